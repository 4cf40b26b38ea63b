// `storysift index build|add|query|info` end to end: every input document is
// accounted for (a verdict line, the --report's "index" section), a repeated
// id is told from changed content, the retention clock is not moved by one
// mistyped date, and `info` shows what the file holds.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// `n` articles of distinct texts (no two near-duplicates), ids
// prefix0..prefix(n-1), all dated `date`.
std::string Day(int n, const std::string& date, const std::string& prefix = "") {
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string text;
    for (int k = 0; k < 30; ++k) absl::StrAppend(&text, prefix, "w", i, "x", k, " ");
    absl::StrAppend(&out, "{\"id\":\"", prefix, i, "\",\"date\":\"", date, "\",\"text\":\"", text,
                    "\"}\n");
  }
  return out;
}

// The verdict lines of `path` whose id is `id`.
std::vector<std::string> LinesOf(const std::string& path, const std::string& id) {
  std::vector<std::string> found;
  for (const std::string& line : SplitLines(ReadFileOrEmpty(path))) {
    if (JsonField(line, "id") == id) found.push_back(line);
  }
  return found;
}

class CliIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    day1_ = tmp_ / "day1.jsonl";
    WriteFile(day1_, Day(50, "1987-03-01"));
  }
  CliResult Run(const std::vector<std::string>& args) { return RunCli(args, tmp_.path()); }
  // `index info`'s value of `key`.
  std::string Info(const std::string& index, const std::string& key) {
    const CliResult r = Run({"index", "info", index});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return JsonField(r.out, key);
  }
  TempDir tmp_;
  std::string day1_;
};

// `index add` dropped ids already indexed with a stderr count only: no
// verdict, "skipped":0 in the report, --strict passing even when the text
// under the id had changed.
TEST_F(CliIndexTest, AddGivesEveryAlreadyIndexedIdAVerdictAndChangedContentFailsStrict) {
  const std::string index = tmp_ / "s.idx";
  ASSERT_EQ(Run({"index", "build", day1_, "-o", index, "-q"}).exit_code, 0);
  const std::string changed = tmp_ / "chg.jsonl";
  WriteFile(changed,
            "{\"id\":\"1\",\"date\":\"1987-03-01\",\"text\":\"a changed text for id one\"}\n"
            "{\"id\":\"fresh\",\"date\":\"1987-03-01\",\"text\":\"a new story about rain\"}\n");
  const std::string verdicts = tmp_ / "vc.jsonl";
  const std::string report = tmp_ / "r.json";
  const CliResult strict =
      Run({"index", "add", index, changed, "--strict", "-v", verdicts, "--report", report});
  EXPECT_EQ(strict.exit_code, 1) << strict.err;
  EXPECT_TRUE(Contains(strict.err, "other content")) << strict.err;
  EXPECT_FALSE(fs::exists(verdicts));
  EXPECT_TRUE(Contains(ReadFileOrEmpty(report), "\"reason\":\"indexed_id_changed\""));
  EXPECT_EQ(Info(index, "documents"), "50");  // Nothing committed.

  const CliResult plain = Run({"index", "add", index, changed, "-v", verdicts, "--report", report});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(Contains(plain.err, "warning")) << plain.err;
  const std::vector<std::string> one = LinesOf(verdicts, "1");
  ASSERT_EQ(one.size(), 1u) << ReadFileOrEmpty(verdicts);
  EXPECT_EQ(JsonField(one[0], "verdict"), "already_indexed");
  EXPECT_EQ(JsonField(one[0], "content"), "changed");
  ASSERT_EQ(LinesOf(verdicts, "fresh").size(), 1u);
  EXPECT_EQ(JsonField(LinesOf(verdicts, "fresh")[0], "verdict"), "new");
  const std::string r = ReadFileOrEmpty(report);
  EXPECT_TRUE(Contains(r, "\"already_indexed\":{\"same\":0,\"changed\":1,\"unknown\":0}")) << r;
  EXPECT_TRUE(Contains(r, "\"added\":1")) << r;
  EXPECT_EQ(Info(index, "documents"), "51");

  // The same file again (a cron retry): each record has its verdict, and
  // nothing changed, so --strict passes.
  const CliResult again =
      Run({"index", "add", index, day1_, "--strict", "-v", verdicts, "--report", report});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::vector<std::string> lines = SplitLines(ReadFileOrEmpty(verdicts));
  ASSERT_EQ(lines.size(), 50u);
  for (const std::string& line : lines) {
    EXPECT_EQ(JsonField(line, "verdict"), "already_indexed") << line;
    EXPECT_EQ(JsonField(line, "content"), "same") << line;
  }
  EXPECT_TRUE(Contains(ReadFileOrEmpty(report),
                       "\"already_indexed\":{\"same\":50,\"changed\":0,\"unknown\":0}"));
  EXPECT_TRUE(Contains(again.err, "50 already indexed")) << again.err;
}

// An index of format 3 holds no content hashes: a repeated id's content is
// "unknown", counted, not a warning.
TEST_F(CliIndexTest, AnIndexWithoutContentHashesSaysItCannotTell) {
  const std::string index = tmp_ / "v3.idx";
  fs::copy_file(std::string(STORYSIFT_DATA_DIR) +
                    "/../tests/fuzz/corpus/index_load/valid_small_v3.idx",
                index);
  const std::string repeat = tmp_ / "repeat.jsonl";
  WriteFile(repeat, "{\"id\":\"doc0\",\"text\":\"any text at all for this id\"}\n");
  const std::string verdicts = tmp_ / "v.jsonl";
  const CliResult r = Run({"index", "add", index, repeat, "--strict", "-v", verdicts});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = SplitLines(ReadFileOrEmpty(verdicts));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(JsonField(lines[0], "verdict"), "already_indexed");
  EXPECT_EQ(JsonField(lines[0], "content"), "unknown");
  EXPECT_EQ(Info(index, "format_version"), "4");  // Saved in the new format.
}

// One record dated 2087 among 1987's news moved the clock a century on and
// evicted every document without a word (rc 0, "index holds 1").
TEST_F(CliIndexTest, AMistypedFutureDateIsWarnedOfAndEvictsNothing) {
  const std::string index = tmp_ / "f.idx";
  ASSERT_EQ(Run({"index", "build", day1_, "-o", index, "--retention-days", "7", "-q"}).exit_code,
            0);
  const std::string typo = tmp_ / "typo.jsonl";
  WriteFile(typo, "{\"id\":\"t\",\"date\":\"2087-03-06\",\"text\":\"a story of rain\"}\n");
  const std::string verdicts = tmp_ / "v.jsonl";
  const std::string report = tmp_ / "r.json";
  const CliResult r =
      Run({"index", "add", index, typo, "-q", "-v", verdicts, "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "warning")) << "even with -q\n" << r.err;
  EXPECT_TRUE(Contains(r.err, "2087-03-06")) << r.err;
  EXPECT_EQ(Info(index, "documents"), "51");
  EXPECT_EQ(Info(index, "retention_clock"), "1987-03-01T00:00:00Z");
  EXPECT_EQ(JsonField(ReadFileOrEmpty(verdicts), "future_dated"), "true");
  const std::string json = ReadFileOrEmpty(report);
  EXPECT_TRUE(Contains(json, "\"future_dated\":1")) << json;
  EXPECT_TRUE(Contains(json, "\"evicted\":0")) << json;
}

// A backfill of 1987 news with a second article mistyped "2087": the two
// typos made a run of their own and the clock went to the run's clock plus a
// day, so the add evicted the whole index ("4 evicted; index holds 1"), the
// day's own new document too, while its warning said the typo evicted
// nothing. The clock is the latest credible date.
TEST_F(CliIndexTest, APairOfMistypedYearsInABackfillEvictsNothing) {
  const std::string index = tmp_ / "p.idx";
  const std::string day = tmp_ / "typo1.jsonl";
  WriteFile(day, Day(2, "1987-03-02", "a") + Day(1, "2087-03-01", "x"));
  ASSERT_EQ(Run({"index", "build", day, "-o", index, "--retention-days", "7", "-q"}).exit_code, 0);
  const std::string next = tmp_ / "typo2.jsonl";
  WriteFile(next, Day(1, "1987-03-03", "b") + Day(1, "2087-03-02", "y"));
  const std::string verdicts = tmp_ / "v.jsonl";
  const std::string report = tmp_ / "r.json";
  const CliResult r = Run({"index", "add", index, next, "-v", verdicts, "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "2087-03-02")) << r.err;
  EXPECT_TRUE(Contains(ReadFileOrEmpty(report), "\"evicted\":0")) << ReadFileOrEmpty(report);
  EXPECT_EQ(Info(index, "documents"), "5");
  EXPECT_EQ(Info(index, "retention_clock"), "1987-03-03T00:00:00Z");
  ASSERT_EQ(LinesOf(verdicts, "b0").size(), 1u);
  EXPECT_EQ(JsonField(LinesOf(verdicts, "b0")[0], "verdict"), "new");
  EXPECT_EQ(JsonField(LinesOf(verdicts, "y0")[0], "future_dated"), "true");
}

// Adding a day older than the window left one stale document behind (each
// add evicted the one before it): such documents are judged, not indexed.
// Each run reports what it evicted.
TEST_F(CliIndexTest, AnOlderDayIsJudgedNotIndexedAndEvictionsAreReported) {
  const std::string index = tmp_ / "w.idx";
  const std::string day3 = tmp_ / "day3.jsonl";
  WriteFile(day3, Day(20, "1987-03-20", "c"));
  ASSERT_EQ(Run({"index", "build", day3, "-o", index, "--retention-days", "7", "-q"}).exit_code,
            0);
  const std::string verdicts = tmp_ / "v.jsonl";
  const std::string report = tmp_ / "r.json";
  const CliResult old = Run({"index", "add", index, day1_, "-v", verdicts, "--report", report});
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_EQ(Info(index, "documents"), "20");
  const std::vector<std::string> lines = SplitLines(ReadFileOrEmpty(verdicts));
  ASSERT_EQ(lines.size(), 50u);
  for (const std::string& line : lines) {
    EXPECT_EQ(JsonField(line, "verdict"), "new") << line;
    EXPECT_EQ(JsonField(line, "indexed"), "false") << line;
  }
  EXPECT_TRUE(Contains(ReadFileOrEmpty(report), "\"before_retention_window\":50"));
  EXPECT_TRUE(Contains(old.err, "50 older than the retention window")) << old.err;

  const std::string later = tmp_ / "later.jsonl";
  WriteFile(later, Day(3, "1987-03-30", "l"));
  const CliResult moved = Run({"index", "add", index, later, "--report", report});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_TRUE(Contains(moved.err, "20 evicted")) << moved.err;
  EXPECT_TRUE(Contains(ReadFileOrEmpty(report), "\"evicted\":20"));
  EXPECT_EQ(Info(index, "documents"), "3");
}

// `index info` printed the build's format version (3) for a version-1 file.
TEST_F(CliIndexTest, InfoShowsTheFilesFormatVersionAndEveryStoredOption) {
  const std::string corpus = std::string(STORYSIFT_DATA_DIR) + "/../tests/fuzz/corpus/index_load";
  EXPECT_EQ(Info(corpus + "/valid_small_v1.idx", "format_version"), "1");
  EXPECT_EQ(Info(corpus + "/valid_small_v1.idx", "verify_bits"), "32");
  EXPECT_EQ(Info(corpus + "/valid_small_v1.idx", "short_threshold"), "null");  // Not recorded.
  EXPECT_EQ(Info(corpus + "/valid_small_v2.idx", "format_version"), "2");
  EXPECT_EQ(Info(corpus + "/valid_small_v3.idx", "format_version"), "3");
  const std::string index = tmp_ / "o.idx";
  ASSERT_EQ(Run({"index", "build", day1_, "-o", index, "-q", "--no-lookalike-fold",
                 "--short-shingles", "40", "--short-threshold", "0.9", "--retention-days", "3",
                 "--markup", "plain", "--threshold", "0.75", "--num-perm", "64"})
                .exit_code,
            0);
  const CliResult r = Run({"index", "info", index});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"format_version", "4"},
           {"lookalike_fold", "false"},
           {"short_shingles", "40"},
           {"short_threshold", "0.9"},
           {"retention_seconds", "259200"},
           {"retention_clock", "1987-03-01T00:00:00Z"},
           {"markup", "plain"},
           {"stem", "false"},
           {"threshold", "0.75"},
           {"num_perm", "64"},
           {"documents", "50"}}) {
    EXPECT_EQ(JsonField(r.out, key), value) << key << "\n" << r.out;
  }
  for (const char* seed : {"shingle_seed", "minhash_seed", "token_hash_seed", "lsh_band_seed"}) {
    EXPECT_TRUE(Contains(JsonField(r.out, seed), "0x")) << seed << "\n" << r.out;
  }
}

}  // namespace
}  // namespace storysift::cli_test
