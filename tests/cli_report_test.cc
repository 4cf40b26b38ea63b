// End-to-end: the terminal view of `cluster --format text`, `cluster --html`,
// `dedup --html` and `storysift report` on the committed seeds plus
// generated articles with known answers.
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

const std::string kSeeds = std::string(STORYSIFT_DATA_DIR) + "/seeds";
const std::vector<std::string> kSeedIds = {
    "000_8648b8e4cc17f650.txt", "001_b1bb489c0326580c.txt", "002_7b26a201a710dbff.txt"};

// An article on a topic of its own: no shared words with anything else.
std::string Unrelated(const std::string& id, const std::string& title) {
  std::string text;
  for (int i = 0; i < 60; ++i) text += id + "term" + std::to_string(i) + " ";
  return "{\"id\":\"" + id + "\",\"title\":\"" + title +
         "\",\"source\":\"Daily " + id + "\",\"date\":\"2017-03-0" + id.substr(1) +
         "\",\"text\":\"" + text + "\"}\n";
}

struct Inputs {
  TempDir dir;
  std::string others;
  Inputs() {
    others = dir / "others.jsonl";
    WriteFile(others,
              Unrelated("u1", "First lonely piece") + Unrelated("u2", "Second lonely piece"));
  }
};

TEST(CliReportTest, TextViewShowsHeadlinesTitlesAndSumsUpSingletons) {
  Inputs in;
  const CliResult r =
      RunCli({"cluster", kSeeds, in.others, "--format", "text", "-q"}, in.dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_FALSE(lines.empty());
  // The seeds' story first, headed by its top article's first words.
  EXPECT_EQ(lines[0].rfind("== s0001  ", 0), 0u) << r.out;
  EXPECT_NE(lines[1].find("3 articles"), std::string::npos) << r.out;
  for (const std::string& id : kSeedIds) EXPECT_NE(r.out.find("[" + id + "]"), std::string::npos);
  EXPECT_EQ(r.out.find("lonely"), std::string::npos);
  EXPECT_EQ(lines.back(),
            "(2 stories with fewer than 2 articles, 2 articles in all, not shown; --min-size 1 "
            "lists them)");

  const CliResult all = RunCli({"cluster", kSeeds, in.others, "--format", "text", "-q",
                                "--min-size", "1"},
                               in.dir.path());
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("First lonely piece  \xE2\x80\x94 Daily u1  2017-03-01  [u1]"),
            std::string::npos)
      << all.out;
  // Equal size: the more recent story first.
  EXPECT_LT(all.out.find("Second lonely piece"), all.out.find("First lonely piece"));
  EXPECT_EQ(all.out.find("fewer than"), std::string::npos);
}

TEST(CliReportTest, HtmlLeavesTheJsonOutputUnchanged) {
  Inputs in;
  const CliResult plain = RunCli({"cluster", kSeeds, in.others, "-q"}, in.dir.path());
  const CliResult with_html = RunCli(
      {"cluster", kSeeds, in.others, "-q", "--html", in.dir / "r.html"}, in.dir.path());
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(with_html.exit_code, 0) << with_html.err;
  EXPECT_EQ(plain.out, with_html.out);
  const std::string page = ReadFileOrEmpty(in.dir / "r.html");
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
  for (const std::string& id : kSeedIds) EXPECT_NE(page.find(id), std::string::npos);
  EXPECT_NE(page.find("\"Daily u1\""), std::string::npos);
  // Self-contained: nothing refers to another file or host.
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("@import"), std::string::npos);
}

TEST(CliReportTest, PagesAreByteIdenticalForAnyThreadCount) {
  Inputs in;
  for (const std::string threads : {"1", "2"}) {
    const CliResult r = RunCli({"cluster", kSeeds, in.others, "-q", "--threads", threads,
                                "--html", in.dir / ("c" + threads + ".html")},
                               in.dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const CliResult d = RunCli({"dedup", kSeeds, in.others, in.others, "-q", "--threads",
                                threads, "--html", in.dir / ("d" + threads + ".html")},
                               in.dir.path());
    ASSERT_EQ(d.exit_code, 0) << d.err;
  }
  const std::string c1 = ReadFileOrEmpty(in.dir / "c1.html");
  EXPECT_FALSE(c1.empty());
  EXPECT_EQ(c1, ReadFileOrEmpty(in.dir / "c2.html"));
  const std::string d1 = ReadFileOrEmpty(in.dir / "d1.html");
  EXPECT_NE(d1.find("\"groups\":[["), std::string::npos);  // others twice: two groups.
  EXPECT_EQ(d1, ReadFileOrEmpty(in.dir / "d2.html"));
}

TEST(CliReportTest, ReportOfSavedStoriesMatchesTheClusterTextView) {
  Inputs in;
  const CliResult text =
      RunCli({"cluster", kSeeds, in.others, "--format", "text", "-q"}, in.dir.path());
  const CliResult saved =
      RunCli({"cluster", kSeeds, in.others, "-q", "-o", in.dir / "s.jsonl"}, in.dir.path());
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  const CliResult report = RunCli(
      {"report", in.dir / "s.jsonl", kSeeds, in.others, "--format", "text", "-q"}, in.dir.path());
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(report.out, text.out);
  // Without the documents, articles are shown by id and the count is told.
  const CliResult bare = RunCli({"report", in.dir / "s.jsonl", "-o", in.dir / "bare.html"},
                                in.dir.path());
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_NE(bare.err.find("5 articles not found among the documents"), std::string::npos)
      << bare.err;
  EXPECT_NE(ReadFileOrEmpty(in.dir / "bare.html").find(kSeedIds[0]), std::string::npos);
}

TEST(CliReportTest, ReportOfAStateDirectoryUsesItsStoryIds) {
  Inputs in;
  const std::string state = in.dir / "state";
  ASSERT_EQ(RunCli({"cluster", in.others, "--state", state, "-q", "-o", in.dir / "d1.jsonl"},
                   in.dir.path())
                .exit_code,
            0);
  const CliResult day2 = RunCli({"cluster", kSeeds, "--state", state, "-q", "--format", "text",
                                 "--min-size", "1", "--html", in.dir / "day2.html"},
                                in.dir.path());
  ASSERT_EQ(day2.exit_code, 0) << day2.err;
  // The page carries each story's status for its badge.
  const std::string page = ReadFileOrEmpty(in.dir / "day2.html");
  EXPECT_NE(page.find("[\"s0003\",\"new\",0,"), std::string::npos);
  EXPECT_NE(page.find("[\"s0001\",\"unchanged\",0,"), std::string::npos);
  // Day 1 gave s0001 and s0002; the seeds' story is new on day 2.
  EXPECT_NE(day2.out.find("== s0003  "), std::string::npos) << day2.out;
  EXPECT_NE(day2.out.find("[new]"), std::string::npos) << day2.out;
  const CliResult report =
      RunCli({"report", state, "--format", "text", "--min-size", "1", "-q"}, in.dir.path());
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("== s0003  "), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("== s0001  First lonely piece"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("== s0002  Second lonely piece"), std::string::npos) << report.out;
  EXPECT_EQ(RunCli({"report", state, in.others}, in.dir.path()).exit_code, 2);
  EXPECT_EQ(report.err.find("warning"), std::string::npos) << report.err;  // Default options.
}

// A state made with other story options is shown grouped with the defaults
// (the report takes no story flags): that is said, not left to be noticed.
TEST(CliReportTest, ReportOfAStateMadeWithOtherOptionsSaysItUsesTheDefaults) {
  Inputs in;
  const std::string state = in.dir / "state";
  const CliResult day = RunCli(
      {"cluster", kSeeds, in.others, "--state", state, "-q", "--story-threshold", "0.35"},
      in.dir.path());
  ASSERT_EQ(day.exit_code, 0) << day.err;
  const CliResult report =
      RunCli({"report", state, "--format", "text", "--min-size", "1", "-q"}, in.dir.path());
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.err.find("warning"), std::string::npos) << report.err;
  EXPECT_NE(report.err.find("--story-threshold 0.35 -> 0.2"), std::string::npos) << report.err;
}

// Day 1: a volcano story and an airlines story; day 2: one article on both
// brings them together, so day 2's output holds a merged story's pointer
// line. `report` and `eval` of that saved output had stopped at it (exit 1:
// "not a story line", "record without an id field").
TEST(CliReportTest, SavedStateOutputWithAMergedStoryIsReportedAndEvaluated) {
  const std::string volcano =
      "The volcano Eyjafjallajokull erupted on Wednesday sending lava down the glacier. "
      "Scientists measured lava temperature and glacier melt near the volcano crater. Farmers "
      "near the glacier evacuated livestock.";
  const std::string airlines =
      "Airlines cancelled hundreds of flights across Europe on Wednesday as airports closed. "
      "Passengers stranded at airports sought hotels while airlines rebooked flights.";
  const std::string both =
      "The volcano Eyjafjallajokull eruption sent an ash cloud over Europe, and airlines "
      "cancelled flights as airports closed. The glacier lava and the ash cloud grounded "
      "flights; airports and airlines expect more cancelled flights while the volcano keeps "
      "erupting near the glacier.";
  const auto line = [](const std::string& id, const std::string& date, const std::string& text) {
    return "{\"id\":\"" + id + "\",\"date\":\"" + date + "\",\"text\":\"" + text + "\"}\n";
  };
  const TempDir dir;
  std::string day1 = line("A", "2010-04-14", volcano) + line("B", "2010-04-14", airlines);
  for (int i = 0; i < 5; ++i) {
    std::string text;
    for (int w = 0; w < 20; ++w) text += "filler" + std::to_string(i) + "w" + std::to_string(w) + " ";
    day1 += line("f" + std::to_string(i), "2010-04-14", text);
  }
  WriteFile(dir / "m1.jsonl", day1);
  WriteFile(dir / "m2.jsonl", line("C", "2010-04-15", both));
  const std::string state = dir / "state";
  ASSERT_EQ(RunCli({"cluster", dir / "m1.jsonl", "--state", state, "-q"}, dir.path()).exit_code,
            0);
  const CliResult day2 =
      RunCli({"cluster", dir / "m2.jsonl", "--state", state, "-q", "-o", dir / "m2out.jsonl"},
             dir.path());
  ASSERT_EQ(day2.exit_code, 0) << day2.err;
  const std::string out = ReadFileOrEmpty(dir / "m2out.jsonl");
  ASSERT_NE(out.find("\"status\":\"merged\""), std::string::npos) << out;

  const CliResult report = RunCli({"report", dir / "m2out.jsonl", dir / "m1.jsonl",
                                   dir / "m2.jsonl", "--format", "text", "--min-size", "1"},
                                  dir.path());
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("[C]"), std::string::npos) << report.out;

  WriteFile(dir / "gold.jsonl", "{\"id\":\"A\",\"event\":\"ash\"}\n"
                                "{\"id\":\"B\",\"event\":\"ash\"}\n"
                                "{\"id\":\"C\",\"event\":\"ash\"}\n");
  const CliResult eval =
      RunCli({"eval", dir / "m2out.jsonl", dir / "gold.jsonl", "--gold-field", "event"},
             dir.path());
  EXPECT_EQ(eval.exit_code, 0) << eval.err;
}

TEST(CliReportTest, DedupHtmlPairsACopyWithItsOriginalAndMarksTheSharedText) {
  TempDir dir;
  std::string body;
  for (int i = 0; i < 80; ++i) body += "word" + std::to_string(i) + " ";
  WriteFile(dir / "in.jsonl",
            "{\"id\":\"orig\",\"title\":\"The original\",\"text\":\"" + body + "\"}\n" +
                "{\"id\":\"copy\",\"title\":\"The reprint\",\"text\":\"" + body +
                "plus a reprint footer\"}\n" + "{\"id\":\"alone\",\"text\":\"" +
                std::string(200, 'z') + " unrelated\"}\n");
  const CliResult r = RunCli({"dedup", dir / "in.jsonl", "-q", "--html", dir / "d.html"},
                             dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = ReadFileOrEmpty(dir / "d.html");
  EXPECT_NE(page.find("\"documents\":3"), std::string::npos);
  // One group; the copy's text splits into "", the shared 80 words, the footer.
  EXPECT_NE(page.find("\"groups\":[[[\"orig\",\"The original\""), std::string::npos) << page;
  const std::string shared = body.substr(0, body.size() - 1);
  EXPECT_NE(page.find("[\"\",\"" + shared + "\",\" plus a reprint footer\"]"), std::string::npos);
  EXPECT_EQ(page.find("\"alone\""), std::string::npos);
}

TEST(CliReportTest, BadViewFlagsAreUsageErrors) {
  Inputs in;
  EXPECT_EQ(RunCli({"cluster", kSeeds, "--min-size", "0"}, in.dir.path()).exit_code, 2);
  EXPECT_EQ(RunCli({"report", in.others, "--format", "pdf"}, in.dir.path()).exit_code, 2);
  const CliResult bad = RunCli({"report", in.others, "-o", in.dir / "x.html"}, in.dir.path());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("others.jsonl:1: not a story line"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace storysift::cli_test
