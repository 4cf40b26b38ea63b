#include "text/boilerplate.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace storysift::internal {
namespace {

// Share of capitalized words above which an unpunctuated line reads as a
// menu or label rather than prose. English prose runs at 10-30% capitals;
// title-case menus at 90-100%; headlines in sentence case at 20-40%.
constexpr uint32_t kCapitalPercent = 70;
// Share of link text above which an unpunctuated line is navigation.
constexpr uint32_t kLinkPercent = 50;

// Lines with words from either end within which bylines and consent lines
// are dropped.
constexpr size_t kBylineReach = 6;

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    char c = s[k];
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c != prefix[k]) return false;
  }
  return true;
}

// "cookie" in any case. Finds the rare 'k' with memchr first: most lines
// have few.
bool ContainsCookie(std::string_view s) {
  for (const char k : {'k', 'K'}) {
    size_t from = 3;
    while (from + 2 < s.size()) {
      const void* hit = std::memchr(s.data() + from, k, s.size() - from - 2);
      if (hit == nullptr) break;
      const size_t at = static_cast<const char*>(hit) - s.data();
      if (StartsWithNoCase(s.substr(at - 3), "cookie")) return true;
      from = at + 1;
    }
  }
  return false;
}

// The line ends with sentence punctuation (a closing quote or bracket may
// follow it).
bool EndsSentence(std::string_view clean, const LineStats& line) {
  std::string_view text = clean.substr(line.begin, line.end - line.begin);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '"' ||
                           text.back() == '\'' || text.back() == ')')) {
    text.remove_suffix(1);
  }
  if (text.ends_with("\xE2\x80\x9D") || text.ends_with("\xE2\x80\x99")) {  // ” ’
    text.remove_suffix(3);
  }
  return !text.empty() && (text.back() == '.' || text.back() == '!' || text.back() == '?');
}

// A byline: "By Jane Doe", "BY JANE DOE, Reuters", "Written by ...",
// "(Reporting by ...; Editing by ...)"; short, capitalized, mostly names, and
// not the wrapped end of a sentence ("...an investor group led" / "by Dudley
// Taft."): `previous` (the line with words before, or null) must not end in
// a lowercase word without sentence punctuation.
bool IsByline(std::string_view clean, const LineStats& line, const LineStats* previous) {
  if (line.first_lower || line.words > 12 || line.capitals * 100 < line.words * 60) {
    return false;
  }
  std::string_view text = clean.substr(line.begin, line.end - line.begin);
  while (!text.empty() && (text.front() == ' ' || text.front() == '(')) text.remove_prefix(1);
  for (std::string_view p : {"by ", "written by ", "reporting by ", "additional reporting by ",
                             "writing by ", "editing by "}) {
    if (!StartsWithNoCase(text, p)) continue;
    return previous == nullptr || !previous->last_lower || EndsSentence(clean, *previous);
  }
  return false;
}

// A cookie-consent notice: "cookie" with accept/consent/agree/privacy/
// continue, at most 60 words.
bool IsConsentNotice(std::string_view clean, const LineStats& line) {
  if (line.words < 4 || line.words > 60) return false;
  const std::string_view text = clean.substr(line.begin, line.end - line.begin);
  if (!ContainsCookie(text)) return false;  // Nearly every line: no copy.
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  }
  for (std::string_view w : {"accept", "consent", "agree", "privacy", "continu"}) {
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}

uint32_t LinkBytesIn(const std::vector<ByteSpan>& links, size_t* cursor,
                     uint32_t begin, uint32_t end) {
  while (*cursor < links.size() && links[*cursor].end <= begin) ++*cursor;
  uint32_t total = 0;
  for (size_t k = *cursor; k < links.size() && links[k].begin < end; ++k) {
    total += std::min(end, links[k].end) - std::max(begin, links[k].begin);
  }
  return total;
}

}  // namespace

int MarkBoilerplate(std::string_view clean, const std::vector<ByteSpan>& links,
                    bool lines_may_wrap, std::vector<LineStats>* lines) {
  const size_t n = lines->size();
  // kind: 0 no words (transparent), 1 content, 2 furniture-like, 3 link-dense.
  auto kind = [lines](size_t i) -> uint8_t& { return (*lines)[i].kind; };
  size_t cursor = 0;
  bool any_content = false;
  for (size_t i = 0; i < n; ++i) {
    const LineStats& line = (*lines)[i];
    kind(i) = 0;
    if (line.words == 0) continue;
    kind(i) = 1;
    if (line.clause_punct) {
      any_content = true;
      continue;
    }
    const uint32_t link_bytes =
        links.empty() ? 0 : LinkBytesIn(links, &cursor, line.begin, line.end);
    const uint32_t bytes = line.end - line.begin;
    const bool continues =
        line.last_lower || (i + 1 < n && (*lines)[i + 1].first_lower);
    if (link_bytes * 100 >= bytes * kLinkPercent) {
      kind(i) = 3;
    } else if (!continues &&
               line.capitals * 100 >= line.words * kCapitalPercent) {
      kind(i) = 2;
    } else {
      any_content = true;
    }
  }
  if (!any_content) return 0;
  if (lines_may_wrap) {
    // Ascending, so an upgraded line does not upgrade its predecessor.
    for (size_t i = 0; i + 1 < n; ++i) {
      if (kind(i) == 2 && kind(i + 1) == 1) kind(i) = 1;
    }
  }
  int dropped = 0;
  auto drop = [&](size_t i) {
    if (!(*lines)[i].drop) ++dropped;
    (*lines)[i].drop = true;
  };
  for (size_t i = 0; i < n && kind(i) != 1; ++i) {
    if (kind(i) >= 2) drop(i);
  }
  for (size_t i = n; i > 0 && kind(i - 1) != 1; --i) {
    if (kind(i - 1) >= 2) drop(i - 1);
  }
  for (size_t i = 0; i < n; ++i) {
    if (kind(i) == 3) drop(i);
  }
  // Bylines and consent lines near either end: the first and the last
  // kBylineReach lines with words (only those are looked at).
  // Only these lines are searched for "cookie" (the whole text was: twice
  // a document's length of memchr, 2.5 % of dedup's samples).
  auto check = [&](size_t i) {
    size_t p = i;  // The line with words before i, if any.
    while (p > 0 && kind(p - 1) == 0) --p;
    const LineStats& line = (*lines)[i];
    if (IsByline(clean, line, p > 0 ? &(*lines)[p - 1] : nullptr) ||
        IsConsentNotice(clean, line)) {
      drop(i);
    }
  };
  size_t head_end = 0;  // Lines before this were checked from the start.
  for (size_t seen = 0; head_end < n && seen < kBylineReach; ++head_end) {
    if (kind(head_end) == 0) continue;
    ++seen;
    check(head_end);
  }
  for (size_t i = n, seen = 0; i > head_end && seen < kBylineReach; --i) {
    if (kind(i - 1) == 0) continue;
    ++seen;
    check(i - 1);
  }
  return dropped;
}

}  // namespace storysift::internal
