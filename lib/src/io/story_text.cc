// The terminal view of `cluster --format text` (see story_report.h).
#include <algorithm>
#include <numeric>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "storysift/date.h"
#include "storysift/story_report.h"

namespace storysift {
namespace {

struct StoryFacts {
  size_t index = 0;
  std::optional<int64_t> first, last;
  size_t sources = 0, copies = 0;
};

StoryFacts FactsOf(const ReportStory& story, size_t index) {
  StoryFacts f;
  f.index = index;
  std::set<std::string_view> sources;
  for (const ReportArticle& a : story.articles) {
    if (!a.source.empty()) sources.insert(a.source);
    if (a.copy_of >= 0) ++f.copies;
    if (!a.published) continue;
    if (!f.first || *a.published < *f.first) f.first = a.published;
    if (!f.last || *a.published > *f.last) f.last = a.published;
  }
  f.sources = sources.size();
  return f;
}

// Titles and sources are scraped text: control characters (a newline, an
// escape sequence for the terminal) become spaces.
std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string TitleOf(const ReportArticle& a) {
  return a.title.empty() ? absl::StrCat("(", OneLine(a.id), ")") : OneLine(a.title);
}

std::string Headline(const ReportStory& story) {
  for (const ReportArticle& a : story.articles) {
    if (a.copy_of < 0 && !a.title.empty()) return OneLine(a.title);
  }
  if (story.articles.empty()) return story.story_id;
  return TitleOf(story.articles.front());
}

std::string Day(int64_t t) { return FormatDate(t).substr(0, 10); }

std::string Plural(size_t n, const char* one, const char* many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

void AppendArticle(std::string* out, const ReportArticle& a, std::string_view indent) {
  out->append(indent);
  if (a.novelty) {
    absl::StrAppendFormat(out, "%4.2f  ", *a.novelty);
  }
  absl::StrAppend(out, TitleOf(a));
  if (!a.source.empty()) absl::StrAppend(out, "  \xE2\x80\x94 ", OneLine(a.source));
  if (a.published) absl::StrAppend(out, "  ", Day(*a.published));
  if (!a.title.empty()) absl::StrAppend(out, "  [", OneLine(a.id), "]");
  if (!a.new_terms.empty()) absl::StrAppend(out, "  + ", absl::StrJoin(a.new_terms, " "));
  out->push_back('\n');
}

void AppendStory(std::string* out, const ReportStory& story, const StoryFacts& f) {
  absl::StrAppend(out, "== ", story.story_id, "  ", Headline(story));
  if (!story.status.empty()) absl::StrAppend(out, "  [", story.status, "]");
  if (story.archived) absl::StrAppend(out, "  [archived]");
  absl::StrAppend(out, "\n   ", Plural(story.articles.size(), "article", "articles"));
  if (f.sources > 0) absl::StrAppend(out, ", ", Plural(f.sources, "source", "sources"));
  if (f.copies > 0) absl::StrAppend(out, ", ", Plural(f.copies, "copy", "copies"));
  if (f.first) {
    absl::StrAppend(out, ", ", Day(*f.first));
    if (Day(*f.last) != Day(*f.first)) absl::StrAppend(out, " .. ", Day(*f.last));
  }
  if (!story.label.empty()) absl::StrAppend(out, "  | ", absl::StrJoin(story.label, ", "));
  out->push_back('\n');
  for (size_t i = 0; i < story.articles.size(); ++i) {
    const ReportArticle& a = story.articles[i];
    if (a.copy_of >= 0) continue;
    AppendArticle(out, a, "   ");
    for (const ReportArticle& c : story.articles) {
      if (c.copy_of == static_cast<int>(i)) AppendArticle(out, c, "         copy: ");
    }
  }
  // Copies whose original is not in the story (not expected) still show.
  for (const ReportArticle& c : story.articles) {
    if (c.copy_of >= 0 && static_cast<size_t>(c.copy_of) >= story.articles.size()) {
      AppendArticle(out, c, "   copy: ");
    }
  }
  out->push_back('\n');
}

}  // namespace

std::string RenderStoryReportText(const StoryReport& report, int min_size) {
  std::vector<StoryFacts> facts;
  for (size_t i = 0; i < report.stories.size(); ++i) {
    facts.push_back(FactsOf(report.stories[i], i));
  }
  std::vector<size_t> order(facts.size());
  std::iota(order.begin(), order.end(), 0);
  const auto size = [&](size_t i) { return report.stories[i].articles.size(); };
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    if (size(x) != size(y)) return size(x) > size(y);
    const int64_t lx = facts[x].last.value_or(INT64_MIN);
    const int64_t ly = facts[y].last.value_or(INT64_MIN);
    return lx > ly;
  });
  std::string out;
  size_t hidden = 0, hidden_articles = 0;
  for (size_t i : order) {
    if (size(i) < static_cast<size_t>(std::max(min_size, 1))) {
      ++hidden;
      hidden_articles += size(i);
      continue;
    }
    AppendStory(&out, report.stories[i], facts[i]);
  }
  if (hidden > 0) {
    absl::StrAppend(&out, "(", Plural(hidden, "story", "stories"), " with fewer than ",
                    Plural(min_size, "article", "articles"), ", ",
                    Plural(hidden_articles, "article", "articles"),
                    " in all, not shown; --min-size 1 lists them)\n");
  }
  return out;
}

}  // namespace storysift
