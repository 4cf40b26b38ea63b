// Cleanup of plain (non-HTML) text for the normalizer: character references
// and Markdown link targets.
#ifndef STORYSIFT_TEXT_PLAIN_TEXT_H_
#define STORYSIFT_TEXT_PLAIN_TEXT_H_

#include <string>
#include <string_view>

namespace storysift::internal {

// Plain-text cleanup: if `decode_entities`, decodes well-formed character
// references; always drops Markdown link targets ("[text](http://x)" becomes
// "[text]"). Replaces *out.
void CleanPlainText(std::string_view in, bool decode_entities,
                    std::string* out);

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_PLAIN_TEXT_H_
