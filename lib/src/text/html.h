// HTML removal for the normalizer: tags and entities, leaving the text a
// reader would see (plain text's cleanup is plain_text.h).
#ifndef STORYSIFT_TEXT_HTML_H_
#define STORYSIFT_TEXT_HTML_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storysift::internal {

struct ByteSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct MarkupScan {
  bool is_html = false;         // A known tag or a comment was seen.
  bool has_block_tags = false;  // <p>, <div>, <br>, <li>, ... were seen.
};

// Looks for HTML: '<' followed by a known tag name ("<p", "<img", "</div")
// and then space, '/' or '>', or a comment "<!--". "a < b" or "<John>" are
// not HTML.
MarkupScan ScanMarkup(std::string_view text);

// Replaces *out with the visible text of the HTML in `in` (valid UTF-8).
// Tags vanish; script, style, noscript, iframe, title, template, head, nav,
// footer, svg, button and select lose their content, and so do cookie or
// consent banners and bylines marked up as such (class or id naming
// cookie/consent/gdpr/byline/author, rel="author"); comments vanish; block
// tags become '\n'; td/th become spaces; entities are decoded; runs of
// whitespace collapse to one space. If `source_newlines_break`, newlines of
// the source also end lines (for text with a few inline tags but no block
// structure, like a scraped page with a tracking pixel). *links receives the
// byte spans of *out that were inside <a> elements, in order.
void StripHtml(std::string_view in, bool source_newlines_break,
               std::string* out, std::vector<ByteSpan>* links);

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_HTML_H_
