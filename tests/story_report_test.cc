// The report model and its two views: the HTML page's escaping and CSP
// hashes, the terminal view's order and summary line, and the dedup pairs'
// shared-passage runs on documents with a known shared passage.
#include "storysift/story_report.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "io/sha256.h"
#include "storysift/reader.h"
#include "temp_dir.h"

namespace storysift {
namespace {

ReportArticle Article(std::string id, std::string title, std::optional<int64_t> t = {},
                      std::string source = "", int copy_of = -1) {
  ReportArticle a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.published = t;
  a.source = std::move(source);
  a.copy_of = copy_of;
  a.novelty = copy_of >= 0 ? 0.05 : 0.8;
  return a;
}

ReportStory Story(std::string id, std::vector<ReportArticle> articles) {
  ReportStory s;
  s.story_id = std::move(id);
  s.articles = std::move(articles);
  return s;
}

std::string Hex(const std::array<uint8_t, 32>& d) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

TEST(Sha256Test, MatchesFips180Vectors) {
  EXPECT_EQ(Hex(internal::Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(internal::Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // 56 bytes: the length no longer fits the first padding block.
  EXPECT_EQ(Hex(internal::Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// The text between the first `open` after `from` and the next "</script>"
// or "</style>".
std::string Between(const std::string& page, const std::string& open, const std::string& close) {
  const size_t b = page.find(open);
  if (b == std::string::npos) return "";
  const size_t e = page.find(close, b + open.size());
  return page.substr(b + open.size(), e - b - open.size());
}

TEST(StoryReportHtmlTest, CspHashesPinTheInlineScriptAndStyle) {
  StoryReport report;
  report.stories.push_back(Story("s0001", {Article("a", "A title")}));
  const std::string page = RenderStoryReportHtml(report);
  const std::string script = Between(page, "</script>\n<script>", "</script>");
  const std::string style = Between(page, "<style>", "</style>");
  ASSERT_FALSE(script.empty());
  ASSERT_FALSE(style.empty());
  auto b64 = [](std::string_view s) {
    const auto d = internal::Sha256(s);
    return absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(d.data()), 32));
  };
  EXPECT_NE(page.find("script-src 'sha256-" + b64(script) + "'"), std::string::npos);
  EXPECT_NE(page.find("style-src 'sha256-" + b64(style) + "'"), std::string::npos);
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  // Exactly two script elements: the data block and the hashed script.
  int scripts = 0;
  for (size_t at = page.find("<script"); at != std::string::npos;
       at = page.find("<script", at + 1)) {
    ++scripts;
  }
  EXPECT_EQ(scripts, 2);
}

TEST(StoryReportHtmlTest, HostileTextCannotLeaveTheDataBlock) {
  StoryReport report;
  report.title = "<b>day</b>";
  ReportArticle a = Article("x</script><script>alert(1)</script>",
                            "<img src=x onerror=alert(1)> & \"q\" <!-- \u2028");
  a.url = "javascript:alert(1)";
  ReportArticle b = Article("y", "fine");
  b.url = "https://example.org/story?id=1&x=2";
  ReportArticle c = Article("z", "spaces");
  c.url = "https://example.org/a b\"onmouseover=x";
  report.stories.push_back(Story("s0001", {a, b, c}));
  const std::string page = RenderStoryReportHtml(report);
  const std::string data = Between(page, "id=\"report-data\">", "</script>");
  EXPECT_EQ(data.find('<'), std::string::npos);
  EXPECT_EQ(data.find('>'), std::string::npos);
  EXPECT_EQ(data.find('&'), std::string::npos);
  EXPECT_NE(data.find("\\u003cimg src=x onerror=alert(1)\\u003e \\u0026 \\\"q\\\""),
            std::string::npos);
  EXPECT_EQ(page.find("javascript:"), std::string::npos);
  EXPECT_NE(data.find("https://example.org/story?id=1\\u0026x=2"), std::string::npos);
  EXPECT_EQ(page.find("example.org/a b"), std::string::npos);
  EXPECT_NE(page.find("<title>&lt;b&gt;day&lt;/b&gt;</title>"), std::string::npos);
}

TEST(StoryReportTextTest, SortsBySizeThenRecencyAndSumsUpSmallStories) {
  StoryReport report;
  report.stories.push_back(Story("s0001", {Article("a1", "Old pair", 100, "Wire"),
                                           Article("a2", "Old pair 2", 200, "Post")}));
  report.stories.push_back(Story("s0002", {Article("b1", "Lonely", 5000)}));
  report.stories.push_back(Story("s0003", {Article("c1", "New pair", 900, "Wire"),
                                           Article("c2", "New pair copy", 950, "Blog", 0)}));
  report.stories.push_back(Story("s0004", {Article("d1", "Big\nstory\x1b[31m", 10),
                                           Article("d2", "Big 2", 20),
                                           Article("d3", "", 30)}));
  const std::string text = RenderStoryReportText(report, 2);
  const std::vector<std::string> lines = absl::StrSplit(text, '\n');
  std::vector<std::string> heads;
  for (const std::string& l : lines) {
    if (l.rfind("== ", 0) == 0) heads.push_back(l);
  }
  ASSERT_EQ(heads.size(), 3u) << text;
  EXPECT_EQ(heads[0], "== s0004  Big story [31m");  // Control bytes become spaces.
  EXPECT_EQ(heads[1], "== s0003  New pair");         // Same size: the more recent first.
  EXPECT_EQ(heads[2], "== s0001  Old pair");
  EXPECT_NE(text.find("(d3)"), std::string::npos);  // Untitled: shown by id.
  EXPECT_NE(text.find("   2 articles, 2 sources, 1 copy, 1970-01-01"), std::string::npos);
  EXPECT_NE(text.find("         copy: 0.05  New pair copy  \xE2\x80\x94 Blog"), std::string::npos);
  EXPECT_EQ(lines[lines.size() - 2],
            "(1 story with fewer than 2 articles, 1 article in all, not shown; --min-size 1 "
            "lists them)");
  EXPECT_EQ(RenderStoryReportText(report, 1).find("fewer than"), std::string::npos);
  EXPECT_NE(RenderStoryReportText(report, 1).find("== s0002  Lonely"), std::string::npos);
}

TEST(StoryReportReadTest, ABadLineNamesFileAndLine) {
  testing_util::TempDir dir;
  testing_util::WriteFile(dir / "s.jsonl",
                          "{\"story_id\":\"s0001\",\"articles\":[{\"id\":\"a\"}]}\n"
                          "{\"id\":\"not a story\"}\n");
  size_t unknown = 0;
  const absl::StatusOr<StoryReport> r =
      ReadStoryReport(dir / "s.jsonl", DocumentTable(), &unknown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("s.jsonl:2: not a story line"), std::string::npos)
      << r.status();
}

}  // namespace
}  // namespace storysift
