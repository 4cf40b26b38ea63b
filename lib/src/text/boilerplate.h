// Page-furniture detection: which lines of a cleaned article are share bars,
// menus, tag lists or navigation rather than text.
#ifndef STORYSIFT_TEXT_BOILERPLATE_H_
#define STORYSIFT_TEXT_BOILERPLATE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "text/html.h"

namespace storysift::internal {

// What the tokenizer learns about one line of NormalizedText::clean.
struct LineStats {
  uint32_t begin = 0;  // Byte range in clean, including the '\n' if any.
  uint32_t end = 0;
  uint32_t first_token = 0;  // Token index range.
  uint32_t end_token = 0;
  uint32_t words = 0;     // Tokens, less one-letter ones ("s" of "it's").
  uint32_t capitals = 0;  // Of those, how many start with a capital.
  bool clause_punct = false;  // '.', '!', '?', U+2026 ending a clause, ',', ';'.
  bool first_lower = false;   // The first word starts with a lowercase letter.
  bool last_lower = false;    // The last word starts with a lowercase letter.
  bool drop = false;            // Output of MarkBoilerplate().
  uint8_t kind = 0;             // Scratch of MarkBoilerplate().
};

// Sets `drop` on furniture lines and returns how many. The rule (a shallow
// text classifier in the spirit of Kohlschuetter et al., "Boilerplate
// Detection using Shallow Text Features", WSDM 2010, but without a learned
// model): a line is furniture-like when it has no clause punctuation
// (. ! ? , ; and the ellipsis) and either at least 70% of its words
// (numbers included) are capitalized (menus, share bars, tag and category
// labels: "About Our People Legal Stuff Careers") or at least half of its
// bytes are link text (HTML navigation). A hard-wrapped line of prose looks
// the same ("Treasury Secretary James Baker said"), so a line that ends in a
// lowercase word, or is followed by a line starting with one, continues a
// sentence and is content; so is, when `lines_may_wrap` (plain text rather
// than HTML with block tags), a line directly followed by a content line
// with no blank line between: the first wrapped line or the heading of a
// paragraph ("Federal Reserve Board Chairman Paul" / "Volcker said ...").
// Furniture-like lines are dropped when they form
// the leading or trailing run of the document (lines without words are
// transparent), and link-dense ones anywhere. Nothing is dropped unless at
// least one line is content, so a short title-only text survives. Long
// lowercase lines without punctuation (stripped wire text) are never
// furniture-like: they have few capitals.
// Bylines ("By Jane Doe, Reuters", "(Reporting by ...; Editing by ...)")
// and cookie-consent lines ("We use cookies ... accept") are dropped among
// the first or last kBylineReach lines with words, whatever their
// punctuation; elsewhere they are prose.
// `links` are link spans in `clean`, sorted; `lines` index into `clean`.
int MarkBoilerplate(std::string_view clean, const std::vector<ByteSpan>& links,
                    bool lines_may_wrap, std::vector<LineStats>* lines);

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_BOILERPLATE_H_
