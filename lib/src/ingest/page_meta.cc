#include "ingest/page_meta.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "ingest/ascii.h"
#include "text/entities.h"
#include "text/utf8.h"

namespace storysift::internal {
namespace {

constexpr size_t kScanBytes = size_t{1} << 20;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Entities decoded, whitespace runs collapsed, trimmed.
std::string CleanText(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '&') {
      char32_t cp;
      const size_t len = DecodeEntity(s.substr(i), &cp);
      if (len > 0) {
        if (cp == 0xA0 || cp == '\n' || cp == '\t') {
          if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else if (cp >= 0x20) {
          AppendUtf8(cp, &out);
        }
        i += len;
        continue;
      }
    }
    if (IsSpace(s[i])) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
    ++i;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// A tag's attributes: `attrs_lower` is html[begin, ...) lowercased, for
// finding names; values are read from `html` as written.
class Tag {
 public:
  Tag(std::string_view html, std::string_view attrs_lower, size_t begin)
      : html_(html), attrs_lower_(attrs_lower), begin_(begin) {}

  // The raw value of attribute `name`, or empty.
  std::string_view Attr(std::string_view name) const {
    const std::string_view attrs = attrs_lower_;
    for (size_t at = attrs.find(name); at != std::string_view::npos;
         at = attrs.find(name, at + 1)) {
      if (at == 0 || !IsSpace(attrs[at - 1])) continue;
      size_t k = at + name.size();
      while (k < attrs.size() && IsSpace(attrs[k])) ++k;
      if (k >= attrs.size() || attrs[k] != '=') continue;
      ++k;
      while (k < attrs.size() && IsSpace(attrs[k])) ++k;
      if (k >= attrs.size()) return {};
      size_t end;
      if (attrs[k] == '"' || attrs[k] == '\'') {
        end = attrs.find(attrs[k], k + 1);
        if (end == std::string_view::npos) end = attrs.size();
        ++k;
      } else {
        end = k;
        while (end < attrs.size() && !IsSpace(attrs[end]) && attrs[end] != '/') ++end;
      }
      return html_.substr(begin_ + k, end - k);
    }
    return {};
  }
  // The value lowercased, for comparisons.
  std::string AttrLower(std::string_view name) const {
    return absl::AsciiStrToLower(ToAbsl(Attr(name)));
  }

 private:
  std::string_view html_, attrs_lower_;
  size_t begin_;
};

// The first match of `needle` (lowercase, starting with '<') in `s` at or
// after `from`, ignoring ASCII case; npos when none.
size_t FindNoCase(std::string_view s, std::string_view needle, size_t from) {
  for (size_t at = s.find(needle.front(), from); at != std::string_view::npos;
       at = s.find(needle.front(), at + 1)) {
    if (EqualsIgnoreCaseAscii(s.substr(at, needle.size()), needle)) return at;
  }
  return std::string_view::npos;
}

// The longest tag name read below ("script").
constexpr size_t kMaxTagName = 6;

// The string value of the first "key": "value" in `json` (JSON-LD), with
// the common escapes undone; empty when none.
std::string JsonStringValue(std::string_view json, std::string_view key) {
  // Appended, not `"\"" + std::string(key)`, whose inlined insert GCC 12
  // warns of as an overlapping copy (-Wrestrict, a false positive).
  std::string quoted(1, '"');
  quoted.append(key);
  quoted.push_back('"');
  for (size_t at = json.find(quoted); at != std::string_view::npos;
       at = json.find(quoted, at + 1)) {
    size_t k = at + quoted.size();
    while (k < json.size() && IsSpace(json[k])) ++k;
    if (k >= json.size() || json[k] != ':') continue;
    ++k;
    while (k < json.size() && IsSpace(json[k])) ++k;
    if (k >= json.size() || json[k] != '"') continue;
    std::string out;
    for (++k; k < json.size() && json[k] != '"'; ++k) {
      if (json[k] == '\\' && k + 1 < json.size()) ++k;  // \/ and \" as is.
      out.push_back(json[k]);
    }
    return out;
  }
  return {};
}

}  // namespace

bool LooksLikeHtmlPage(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  text = StripLeadingSpace(text);
  return !text.empty() && text.front() == '<';
}

std::string StripSiteSuffix(std::string title, std::string_view site_name) {
  static constexpr std::string_view kSeparators[] = {" | ", " - ", " \xE2\x80\x94 ",
                                                     " \xE2\x80\x93 ", " :: ", " \xC2\xBB "};
  size_t cut = std::string::npos, cut_len = 0;
  for (std::string_view sep : kSeparators) {
    const size_t at = title.rfind(sep);
    if (at != std::string::npos && at > 0 && (cut == std::string::npos || at > cut)) {
      cut = at;
      cut_len = sep.size();
    }
  }
  if (cut == std::string::npos) return title;
  const std::string_view tail = std::string_view(title).substr(cut + cut_len);
  auto words = [](std::string_view s) {
    return 1 + std::count(s.begin(), s.end(), ' ');
  };
  const bool is_site =
      !site_name.empty() ? EqualsIgnoreCaseAscii(tail, site_name)
                         : words(tail) <= 4 && words(tail) <= words(title.substr(0, cut));
  if (is_site) title.resize(cut);
  return title;
}

PageMetadata ExtractPageMetadata(std::string_view html) {
  html = html.substr(0, std::min(html.size(), kScanBytes));
  // Only the names and attributes of the tags read are lowercased (the
  // whole page was: a copy of up to 1 MiB for each page).
  std::string attrs_lower;
  PageMetadata meta;
  std::string og_title, title_tag, site_name, og_url, canonical;
  std::string published, json_ld_date, itemprop_date, time_date;
  for (size_t lt = html.find('<'); lt != std::string_view::npos; lt = html.find('<', lt + 1)) {
    size_t name_end = lt + 1;
    while (name_end < html.size() && absl::ascii_isalnum(static_cast<unsigned char>(html[name_end]))) {
      ++name_end;
    }
    const size_t name_size = name_end - lt - 1;
    if (name_size == 0) continue;
    const size_t gt = html.find('>', name_end);
    if (gt == std::string_view::npos) break;
    if (name_size > kMaxTagName) continue;  // None of the names below.
    char name_buffer[kMaxTagName];
    for (size_t i = 0; i < name_size; ++i) {
      name_buffer[i] = absl::ascii_tolower(static_cast<unsigned char>(html[lt + 1 + i]));
    }
    const std::string_view name(name_buffer, name_size);
    if (name != "meta" && name != "link" && name != "time" && name != "title" &&
        name != "script") {
      continue;
    }
    attrs_lower.assign(html.substr(name_end, gt - name_end));
    absl::AsciiStrToLower(&attrs_lower);
    const Tag tag(html, attrs_lower, name_end);
    if (name == "meta") {
      std::string key = tag.AttrLower("property");
      if (key.empty()) key = tag.AttrLower("name");
      const std::string_view content = tag.Attr("content");
      if (key == "og:title" && og_title.empty()) og_title = CleanText(content);
      if (key == "og:site_name" && site_name.empty()) site_name = CleanText(content);
      if (key == "og:url" && og_url.empty()) og_url = CleanText(content);
      if ((key == "article:published_time" || key == "og:published_time" ||
           key == "pubdate" || key == "publish-date" || key == "dc.date.issued") &&
          published.empty()) {
        published = CleanText(content);
      }
      if (tag.AttrLower("itemprop") == "datepublished" && itemprop_date.empty()) {
        itemprop_date = CleanText(content);
      }
    } else if (name == "link") {
      if (tag.AttrLower("rel") == "canonical" && canonical.empty()) {
        canonical = CleanText(tag.Attr("href"));
      }
    } else if (name == "time") {
      if (time_date.empty()) time_date = CleanText(tag.Attr("datetime"));
      if (tag.AttrLower("itemprop") == "datepublished" && itemprop_date.empty()) {
        itemprop_date = CleanText(tag.Attr("datetime"));
      }
    } else if (name == "title" && title_tag.empty()) {
      const size_t close = FindNoCase(html, "</title", gt);
      if (close != std::string_view::npos) title_tag = CleanText(html.substr(gt + 1, close - gt - 1));
    } else if (name == "script" && json_ld_date.empty() &&
               tag.AttrLower("type") == "application/ld+json") {
      const size_t close = FindNoCase(html, "</script", gt);
      if (close != std::string_view::npos) {
        json_ld_date = CleanText(JsonStringValue(html.substr(gt + 1, close - gt - 1), "datePublished"));
      }
    }
  }
  if (!og_title.empty()) {
    meta.title = site_name.empty() ? og_title : StripSiteSuffix(og_title, site_name);
  } else {
    meta.title = StripSiteSuffix(title_tag, site_name);
  }
  for (std::string* d : {&published, &json_ld_date, &itemprop_date, &time_date}) {
    if (!d->empty()) {
      meta.date = *d;
      break;
    }
  }
  meta.url = !canonical.empty() ? canonical : og_url;
  return meta;
}

}  // namespace storysift::internal
