#include "text/html.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/entities.h"
#include "text/utf8.h"

namespace storysift::internal {
namespace {

enum class TagKind : uint8_t {
  kInline,     // Vanishes: b, span, img, ...
  kBlock,      // Ends a line.
  kCell,       // A space between table cells.
  kLink,       // <a>: its text counts toward link density.
  kRawText,    // Content is not markup and not shown: script, style.
  kContainer,  // Content is page furniture: nav, footer (may nest).
  kHead,       // Document head: to </head> or <body>.
};

struct TagInfo {
  const char* name;
  TagKind kind;
};

// Sorted by name for binary search.
constexpr TagInfo kTags[] = {
    {"a", TagKind::kLink},           {"abbr", TagKind::kInline},
    {"address", TagKind::kBlock},    {"article", TagKind::kBlock},
    {"aside", TagKind::kBlock},      {"b", TagKind::kInline},
    {"blockquote", TagKind::kBlock}, {"body", TagKind::kBlock},
    {"br", TagKind::kBlock},         {"button", TagKind::kContainer},
    {"caption", TagKind::kBlock},    {"center", TagKind::kBlock},
    {"cite", TagKind::kInline},      {"code", TagKind::kInline},
    {"dd", TagKind::kBlock},         {"del", TagKind::kInline},
    {"details", TagKind::kBlock},    {"div", TagKind::kBlock},
    {"dl", TagKind::kBlock},         {"dt", TagKind::kBlock},
    {"em", TagKind::kInline},        {"figcaption", TagKind::kBlock},
    {"figure", TagKind::kBlock},     {"font", TagKind::kInline},
    {"footer", TagKind::kContainer}, {"form", TagKind::kBlock},
    {"h1", TagKind::kBlock},         {"h2", TagKind::kBlock},
    {"h3", TagKind::kBlock},         {"h4", TagKind::kBlock},
    {"h5", TagKind::kBlock},         {"h6", TagKind::kBlock},
    {"head", TagKind::kHead},        {"header", TagKind::kBlock},
    {"hr", TagKind::kBlock},         {"html", TagKind::kBlock},
    {"i", TagKind::kInline},         {"iframe", TagKind::kRawText},
    {"img", TagKind::kInline},       {"input", TagKind::kInline},
    {"ins", TagKind::kInline},       {"label", TagKind::kInline},
    {"li", TagKind::kBlock},         {"link", TagKind::kInline},
    {"main", TagKind::kBlock},       {"mark", TagKind::kInline},
    {"meta", TagKind::kInline},      {"nav", TagKind::kContainer},
    {"noscript", TagKind::kRawText}, {"ol", TagKind::kBlock},
    {"p", TagKind::kBlock},          {"picture", TagKind::kInline},
    {"pre", TagKind::kBlock},        {"q", TagKind::kInline},
    {"s", TagKind::kInline},         {"script", TagKind::kRawText},
    {"section", TagKind::kBlock},    {"select", TagKind::kContainer},
    {"small", TagKind::kInline},     {"source", TagKind::kInline},
    {"span", TagKind::kInline},      {"strong", TagKind::kInline},
    {"style", TagKind::kRawText},    {"sub", TagKind::kInline},
    {"summary", TagKind::kBlock},    {"sup", TagKind::kInline},
    {"svg", TagKind::kContainer},    {"table", TagKind::kBlock},
    {"tbody", TagKind::kBlock},      {"td", TagKind::kCell},
    {"template", TagKind::kContainer}, {"tfoot", TagKind::kBlock},
    {"th", TagKind::kCell},          {"thead", TagKind::kBlock},
    {"time", TagKind::kInline},      {"title", TagKind::kRawText},
    {"tr", TagKind::kBlock},         {"u", TagKind::kInline},
    {"ul", TagKind::kBlock},         {"video", TagKind::kInline},
};

constexpr size_t kMaxTagName = 16;

bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// The bytes that end a run of ordinary text in StripHtml: markup, entities
// and spaces. One table load a byte instead of seven compares.
constexpr std::array<bool, 256> MakeTextStops() {
  std::array<bool, 256> t{};
  for (const char c : {'<', '&', ' ', '\t', '\n', '\r', '\f'}) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kTextStop = MakeTextStops();

// A stop that ends a run: any stop but a lone space between two text bytes.
// The Emitter writes such a space as it is (Space() then Text() after a text
// byte), so copying it inside the run gives the same bytes with one append
// a run instead of one a word.
bool EndsRun(std::string_view s, size_t at) {
  if (!kTextStop[static_cast<unsigned char>(s[at])]) return false;
  return s[at] != ' ' || at + 1 == s.size() ||
         kTextStop[static_cast<unsigned char>(s[at + 1])];
}

// End of the run of text that starts at i: the first byte that EndsRun.
// SSE2 looks 16 bytes at a time for the candidates (bytes <= 0x20, '<',
// '&': the stops and, in sanitized text, no others), checked one by one.
size_t TextRunEnd(std::string_view s, size_t i) {
  const size_t n = s.size();
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i lt = _mm_set1_epi8('<');
  const __m128i amp = _mm_set1_epi8('&');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, space), v);  // v <= 0x20.
    const __m128i markup = _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp));
    unsigned candidates = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(low, markup)));
    for (; candidates != 0; candidates &= candidates - 1) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(candidates));
      if (EndsRun(s, at)) return at;
    }
  }
#endif
  while (i < n && !EndsRun(s, i)) ++i;
  return i;
}
bool IsNameEnd(std::string_view s, size_t i) {
  return i >= s.size() || IsSpace(s[i]) || s[i] == '>' || s[i] == '/';
}

// Reads a tag name at s[i...] (lowercased into *name). Returns the index after
// it, or i when there is none.
size_t ReadTagName(std::string_view s, size_t i, std::string_view* name,
                   char* buf) {
  size_t k = 0;
  size_t j = i;
  if (j >= s.size() || !IsAsciiAlpha(s[j])) return i;
  while (j < s.size() && (IsAsciiAlpha(s[j]) || (s[j] >= '0' && s[j] <= '9') ||
                          s[j] == '-')) {
    if (k < kMaxTagName) buf[k] = Lower(s[j]);
    ++k, ++j;
  }
  *name = k <= kMaxTagName ? std::string_view(buf, k) : std::string_view();
  return j;
}

const TagInfo* FindTag(std::string_view name) {
  const auto* end = std::end(kTags);
  const auto* it = std::lower_bound(
      std::begin(kTags), end, name, [](const TagInfo& t, std::string_view n) {
        return std::string_view(t.name) < n;
      });
  return (it != end && std::string_view(it->name) == name) ? it : nullptr;
}

bool StartsWithNoCase(std::string_view s, size_t i, std::string_view prefix) {
  if (s.size() - i < prefix.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    if (Lower(s[i + k]) != prefix[k]) return false;
  }
  return true;
}

// Index of the '>' ending the tag whose attributes start at i, skipping
// quoted attribute values; npos if the tag is unterminated.
size_t FindTagEnd(std::string_view s, size_t i) {
  char quote = 0, prev = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '>') {
      return i;
    } else if ((c == '"' || c == '\'') && prev == '=') {
      quote = c;
    }
    if (!IsSpace(c)) prev = c;
  }
  return std::string_view::npos;
}

// Position after the end tag closing element `name` opened before i, or npos.
// Counts nested start tags of the same name when `nests`.
size_t SkipElement(std::string_view s, size_t i, std::string_view name,
                   bool nests) {
  int depth = 1;
  while ((i = s.find('<', i)) != std::string_view::npos) {
    const bool close = i + 1 < s.size() && s[i + 1] == '/';
    const size_t at = i + (close ? 2 : 1);
    if (StartsWithNoCase(s, at, name) && IsNameEnd(s, at + name.size())) {
      if (close || nests) depth += close ? -1 : 1;
      if (depth == 0) {
        const size_t gt = s.find('>', at);
        return gt == std::string_view::npos ? s.size() : gt + 1;
      }
    }
    ++i;
  }
  return std::string_view::npos;
}

// The value of attribute `attr` in `attrs` (a tag's attribute text,
// lowercased), or empty.
std::string_view AttributeValue(std::string_view attrs, std::string_view attr) {
  for (size_t at = attrs.find(attr); at != std::string_view::npos;
       at = attrs.find(attr, at + 1)) {
    if (at > 0 && !IsSpace(attrs[at - 1])) continue;  // "data-id" is not "id".
    size_t k = at + attr.size();
    while (k < attrs.size() && IsSpace(attrs[k])) ++k;
    if (k >= attrs.size() || attrs[k] != '=') continue;
    ++k;
    while (k < attrs.size() && IsSpace(attrs[k])) ++k;
    if (k >= attrs.size()) return {};
    const char quote = attrs[k];
    if (quote == '"' || quote == '\'') {
      const size_t end = attrs.find(quote, k + 1);
      return attrs.substr(k + 1, end == std::string_view::npos ? end : end - k - 1);
    }
    size_t end = k;
    while (end < attrs.size() && !IsSpace(attrs[end]) && attrs[end] != '>') ++end;
    return attrs.substr(k, end - k);
  }
  return {};
}

bool Contains(std::string_view s, std::string_view word) {
  return s.find(word) != std::string_view::npos;
}

// Cookie/consent banners and bylines marked up as such (class="cookie-bar",
// id="gdpr-consent", class="byline", class="author", rel="author"): page
// furniture, not the article. Only elements that hold a passage, never
// article, main or body, so a mislabelled wrapper cannot eat the page.
bool IsFurnitureElement(std::string_view name, std::string_view attrs_raw) {
  static constexpr std::string_view kHolders[] = {
      "a", "address", "aside", "dialog", "div", "p", "section", "small", "span", "ul"};
  if (std::find(std::begin(kHolders), std::end(kHolders), name) == std::end(kHolders)) {
    return false;
  }
  if (attrs_raw.empty() || attrs_raw.size() > 1024) return false;
  std::string attrs(attrs_raw);
  for (char& c : attrs) c = Lower(c);
  if (AttributeValue(attrs, "rel") == "author") return true;
  for (std::string_view attr : {"class", "id"}) {
    const std::string_view v = AttributeValue(attrs, attr);
    if (Contains(v, "cookie") || Contains(v, "consent") || Contains(v, "gdpr") ||
        Contains(v, "byline")) {
      return true;
    }
    // "author" as a whole class token: "author", "author-name", "c-author".
    for (size_t at = v.find("author"); at != std::string_view::npos;
         at = v.find("author", at + 1)) {
      const bool starts = at == 0 || v[at - 1] == ' ' || v[at - 1] == '-' || v[at - 1] == '_';
      const size_t after = at + 6;
      const bool ends = after == v.size() || v[after] == ' ' || v[after] == '-' ||
                        v[after] == '_' || (v[after] == 's' && (after + 1 == v.size() ||
                                                                v[after + 1] == ' '));
      if (starts && ends) return true;
    }
  }
  return false;
}

// Writes visible text, collapsing whitespace and tracking line starts.
class Emitter {
 public:
  explicit Emitter(std::string* out) : out_(out) {}
  void Space() { pending_space_ = true; }
  void Break() {
    pending_space_ = false;
    while (!out_->empty() && out_->back() == ' ') out_->pop_back();
    if (!out_->empty() && out_->back() != '\n') out_->push_back('\n');
  }
  void Text(const char* p, size_t n) {
    if (n == 0) return;
    if (pending_space_ && !out_->empty() && out_->back() != '\n') {
      out_->push_back(' ');
    }
    pending_space_ = false;
    out_->append(p, n);
  }
  void CodePoint(char32_t cp) {
    if (cp == 0xA0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
      Space();
    } else if (cp >= 0x20 && !(cp >= 0x7F && cp <= 0x9F)) {
      std::string tmp;
      AppendUtf8(cp, &tmp);
      Text(tmp.data(), tmp.size());
    }
  }
  size_t size() const { return out_->size(); }

 private:
  std::string* out_;
  bool pending_space_ = false;
};

}  // namespace

MarkupScan ScanMarkup(std::string_view text) {
  MarkupScan scan;
  char buf[kMaxTagName];
  for (size_t i = text.find('<'); i != std::string_view::npos;
       i = text.find('<', i + 1)) {
    if (text.compare(i, 4, "<!--") == 0) {
      scan.is_html = true;
      continue;
    }
    const size_t at = i + 1 + (i + 1 < text.size() && text[i + 1] == '/');
    std::string_view name;
    const size_t end = ReadTagName(text, at, &name, buf);
    if (end == at || !IsNameEnd(text, end)) continue;
    const TagInfo* tag = FindTag(name);
    if (tag == nullptr) continue;
    scan.is_html = true;
    if (tag->kind == TagKind::kBlock) {
      scan.has_block_tags = true;
      break;  // Nothing more to learn.
    }
  }
  return scan;
}

void StripHtml(std::string_view in, bool source_newlines_break,
               std::string* out, std::vector<ByteSpan>* links) {
  out->clear();
  links->clear();
  out->reserve(in.size());
  Emitter emit(out);
  bool in_link = false;
  size_t link_begin = 0;
  auto close_link = [&] {
    if (in_link && emit.size() > link_begin) {
      links->push_back({static_cast<uint32_t>(link_begin),
                        static_cast<uint32_t>(emit.size())});
    }
    in_link = false;
  };
  char buf[kMaxTagName];
  size_t i = 0;
  const size_t n = in.size();
  while (i < n) {
    // Copy a run of ordinary text (with its lone spaces) at once.
    const size_t j = kTextStop[static_cast<unsigned char>(in[i])] ? i : TextRunEnd(in, i);
    if (j > i) {
      emit.Text(in.data() + i, j - i);
      i = j;
      continue;
    }
    const char c = in[i];
    if (IsSpace(c)) {
      if (c == '\n' && source_newlines_break) {
        emit.Break();
      } else {
        emit.Space();
      }
      ++i;
      continue;
    }
    if (c == '&') {
      char32_t cp;
      const size_t len = DecodeEntity(in.substr(i), &cp);
      if (len > 0) {
        emit.CodePoint(cp);
        i += len;
      } else {
        emit.Text("&", 1);
        ++i;
      }
      continue;
    }
    // c == '<'.
    if (in.compare(i, 4, "<!--") == 0) {
      const size_t end = in.find("-->", i + 4);
      i = end == std::string_view::npos ? n : end + 3;
      continue;
    }
    if (i + 1 < n && (in[i + 1] == '!' || in[i + 1] == '?')) {
      const size_t end = in.find('>', i);
      i = end == std::string_view::npos ? n : end + 1;
      continue;
    }
    const bool closing = i + 1 < n && in[i + 1] == '/';
    const size_t at = i + 1 + (closing ? 1 : 0);
    std::string_view name;
    const size_t name_end = ReadTagName(in, at, &name, buf);
    if (name_end == at) {  // "a < b": a literal '<'.
      emit.Text("<", 1);
      ++i;
      continue;
    }
    const size_t gt = FindTagEnd(in, name_end);
    if (gt == std::string_view::npos) break;  // Unterminated tag at the end.
    i = gt + 1;
    const TagInfo* tag = FindTag(name);
    const TagKind kind = tag != nullptr ? tag->kind : TagKind::kInline;
    if (!closing && (kind == TagKind::kBlock || kind == TagKind::kInline ||
                     kind == TagKind::kLink) &&
        IsFurnitureElement(name, in.substr(name_end, gt - name_end))) {
      const size_t end = SkipElement(in, i, name, /*nests=*/true);
      if (end != std::string_view::npos) {  // Unclosed: ignore the mark.
        i = end;
        if (kind == TagKind::kBlock) {
          emit.Break();
        } else {
          emit.Space();
        }
        continue;
      }
    }
    switch (kind) {
      case TagKind::kInline:
        break;
      case TagKind::kBlock:
        emit.Break();
        break;
      case TagKind::kCell:
        emit.Space();
        break;
      case TagKind::kLink:
        close_link();
        if (!closing) {
          in_link = true;
          link_begin = emit.size();
        }
        break;
      case TagKind::kRawText:
      case TagKind::kContainer: {
        if (closing) break;
        const bool raw = kind == TagKind::kRawText;
        const size_t end = SkipElement(in, i, name, !raw);
        // An unclosed script hides the rest (as in a browser); an unclosed
        // nav or footer is ignored rather than eat the article.
        if (end != std::string_view::npos) {
          i = end;
        } else if (raw) {
          i = n;
        }
        emit.Space();
        break;
      }
      case TagKind::kHead: {
        if (closing) break;
        size_t end = SkipElement(in, i, "head", false);
        size_t body = i;
        while ((body = in.find('<', body)) != std::string_view::npos &&
               !(StartsWithNoCase(in, body + 1, "body") &&
                 IsNameEnd(in, body + 5))) {
          ++body;
        }
        if (body != std::string_view::npos &&
            (end == std::string_view::npos || body < end)) {
          end = body;
        }
        if (end != std::string_view::npos) i = end;
        break;
      }
    }
  }
  close_link();
  emit.Break();
  if (!out->empty() && out->back() == '\n') out->pop_back();
  // Trimming after a link closed (trailing spaces, the final newline) can
  // leave a span ending past the text: clamp, and drop spans left empty.
  const uint32_t size = static_cast<uint32_t>(out->size());
  size_t kept = 0;
  for (ByteSpan span : *links) {
    span.end = std::min(span.end, size);
    if (span.begin < span.end) (*links)[kept++] = span;
  }
  links->resize(kept);
}

}  // namespace storysift::internal
