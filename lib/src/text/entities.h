// HTML character references (&amp; &#8217; &#x2019;), decoded to code points.
#ifndef STORYSIFT_TEXT_ENTITIES_H_
#define STORYSIFT_TEXT_ENTITIES_H_

#include <cstddef>
#include <string_view>

namespace storysift::internal {

// If `text` starts with a well-formed character reference ("&name;",
// "&#123;", "&#x1F;"; the ';' is required), stores the code point in *cp and
// returns the number of bytes consumed; else returns 0 (malformed entities
// stay text). Numeric references follow HTML5: 0x80-0x9F map through
// Windows-1252, and 0, surrogates and values above 0x10FFFF give U+FFFD.
size_t DecodeEntity(std::string_view text, char32_t* cp);

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_ENTITIES_H_
