// Saved files that fix options for the runs that use them (an IDF model's
// term options, an index's markup) refuse a run with other values: exit 2
// with a message naming the option, the file's value and the run's, before
// any input is read; an equal value is accepted.
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

std::string Seeds() { return std::string(STORYSIFT_DATA_DIR) + "/seeds"; }

std::string CommittedIdfModel(const std::string &name) {
  return std::string(STORYSIFT_DATA_DIR) + "/../tests/fuzz/corpus/idf_model/" +
         name;
}

bool Contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

class CliSavedOptionsTest : public ::testing::Test {
protected:
  TempDir tmp_;
};

TEST_F(CliSavedOptionsTest, IdfModelRecordsItsTermOptionsAndInfoShowsThem) {
  const std::string model = tmp_ / "stem_html.idf";
  const CliResult built = RunCli({"idf", "build", Seeds(), "--stem", "--markup",
                                  "html", "-q", "-o", model},
                                 tmp_.path());
  ASSERT_EQ(built.exit_code, 0) << built.err;
  const CliResult info = RunCli({"idf", "info", model}, tmp_.path());
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(JsonField(info.out, "format_version"), "2") << info.out;
  EXPECT_EQ(JsonField(info.out, "documents"), "3") << info.out;
  EXPECT_EQ(JsonField(info.out, "stem"), "true") << info.out;
  EXPECT_EQ(JsonField(info.out, "markup"), "html") << info.out;
  EXPECT_EQ(JsonField(info.out, "drop_boilerplate"), "true") << info.out;
  EXPECT_TRUE(Contains(info.out, "\"unrecorded\":[]")) << info.out;
}

TEST_F(CliSavedOptionsTest,
       ClusterRefusesAnIdfModelOfOtherTermOptionsNamingEach) {
  const std::string model = tmp_ / "stem_html.idf";
  ASSERT_EQ(RunCli({"idf", "build", Seeds(), "--stem", "--markup", "html", "-q",
                    "-o", model},
                   tmp_.path())
                .exit_code,
            0);
  const std::string out = tmp_ / "stories.jsonl";
  const CliResult refused =
      RunCli({"cluster", Seeds(), "--idf", model, "-o", out}, tmp_.path());
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--idf " + model)) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "stem: model on, run off")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "markup: model html, run auto"))
      << refused.err;
  EXPECT_FALSE(fs::exists(out));
  // With --state too, before the state directory is made.
  const CliResult with_state =
      RunCli({"cluster", Seeds(), "--idf", model, "--stem", "--state",
              tmp_ / "st", "-o", out},
             tmp_.path());
  EXPECT_EQ(with_state.exit_code, 2) << with_state.err;
  EXPECT_TRUE(Contains(with_state.err, "markup: model html, run auto"))
      << with_state.err;
  EXPECT_FALSE(fs::exists(tmp_ / "st"));

  const CliResult same = RunCli({"cluster", Seeds(), "--idf", model, "--stem",
                                 "--markup", "html", "-q", "-o", out},
                                tmp_.path());
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(same.err, "");
  EXPECT_EQ(SplitLines(ReadFileOrEmpty(out)).size(),
            1u); // The seeds' one story.
}

// Format 1 recorded nothing: its stem is read off its terms, markup and
// boilerplate are named as not checked.
TEST_F(CliSavedOptionsTest, Version1ModelIsCheckedForStemAndWarnsOfTheRest) {
  const std::string unstemmed = CommittedIdfModel("seeds_v1.idf");
  const std::string stemmed = CommittedIdfModel("seeds_stem_v1.idf");
  const CliResult info = RunCli({"idf", "info", stemmed}, tmp_.path());
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(JsonField(info.out, "format_version"), "1") << info.out;
  EXPECT_EQ(JsonField(info.out, "stem"), "true") << info.out;
  EXPECT_EQ(JsonField(info.out, "stem_inferred"), "true") << info.out;
  EXPECT_EQ(JsonField(info.out, "markup"), "null") << info.out;
  EXPECT_TRUE(
      Contains(info.out, "\"unrecorded\":[\"markup\",\"drop_boilerplate\"]"))
      << info.out;

  const std::string out = tmp_ / "stories.jsonl";
  const CliResult refused =
      RunCli({"cluster", Seeds(), "--idf", stemmed, "-o", out}, tmp_.path());
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_TRUE(
      Contains(refused.err, "stem: model on (read off its terms), run off"))
      << refused.err;
  const CliResult refused_too =
      RunCli({"cluster", Seeds(), "--idf", unstemmed, "--stem", "-o", out},
             tmp_.path());
  EXPECT_EQ(refused_too.exit_code, 2) << refused_too.err;
  EXPECT_TRUE(
      Contains(refused_too.err, "stem: model off (read off its terms), run on"))
      << refused_too.err;

  const CliResult accepted =
      RunCli({"cluster", Seeds(), "--idf", stemmed, "--stem", "-q", "-o", out},
             tmp_.path());
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_TRUE(Contains(
      accepted.err,
      "warning: --idf " + stemmed +
          ": a format-1 model, which does not record markup, drop_boilerplate"))
      << accepted.err;
}

TEST_F(CliSavedOptionsTest,
       IndexQueryAndAddRefuseAnotherMarkupAndAcceptTheSame) {
  const std::string index = tmp_ / "feed.idx";
  ASSERT_EQ(RunCli({"index", "build", Seeds(), "--markup", "plain", "-q", "-o",
                    index},
                   tmp_.path())
                .exit_code,
            0);
  const CliResult info = RunCli({"index", "info", index}, tmp_.path());
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(JsonField(info.out, "markup"), "plain") << info.out;
  EXPECT_EQ(JsonField(info.out, "drop_boilerplate"), "true") << info.out;
  EXPECT_EQ(JsonField(info.out, "lookalike_fold"), "true") << info.out;

  const std::string verdicts = tmp_ / "verdicts.jsonl";
  const CliResult query = RunCli(
      {"index", "query", index, Seeds(), "--markup", "html", "-o", verdicts},
      tmp_.path());
  EXPECT_EQ(query.exit_code, 2) << query.err;
  EXPECT_TRUE(Contains(query.err, "--markup html: the index " + index +
                                      " was built with --markup plain"))
      << query.err;
  EXPECT_FALSE(fs::exists(verdicts));
  const std::string before = ReadFileOrEmpty(index);
  const CliResult add =
      RunCli({"index", "add", index, Seeds(), "--markup", "auto"}, tmp_.path());
  EXPECT_EQ(add.exit_code, 2) << add.err;
  EXPECT_TRUE(Contains(add.err, "--markup auto: the index")) << add.err;
  EXPECT_EQ(ReadFileOrEmpty(index), before);

  const CliResult same = RunCli({"index", "query", index, Seeds(), "--markup",
                                 "plain", "-q", "-o", verdicts},
                                tmp_.path());
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(SplitLines(ReadFileOrEmpty(verdicts)).size(), 3u);
  const CliResult left_out =
      RunCli({"index", "query", index, Seeds(), "-q"}, tmp_.path());
  EXPECT_EQ(left_out.exit_code, 0) << left_out.err;
}

// Stemming shapes TF-IDF terms only: on an index it would be ignored.
TEST_F(CliSavedOptionsTest, IndexCommandsRefuseStem) {
  const std::string index = tmp_ / "feed.idx";
  const CliResult build =
      RunCli({"index", "build", Seeds(), "--stem", "-o", index}, tmp_.path());
  EXPECT_EQ(build.exit_code, 2) << build.err;
  EXPECT_TRUE(Contains(build.err, "--stem")) << build.err;
  EXPECT_FALSE(fs::exists(index));
  ASSERT_EQ(RunCli({"index", "build", Seeds(), "-q", "-o", index}, tmp_.path())
                .exit_code,
            0);
  EXPECT_EQ(RunCli({"index", "query", index, Seeds(), "--stem"}, tmp_.path())
                .exit_code,
            2);
  EXPECT_EQ(
      RunCli({"index", "add", index, Seeds(), "--stem"}, tmp_.path()).exit_code,
      2);
}

// dedup, tune, stats and normalize make no TF-IDF terms (normalize shows
// the folded words, never stems): --stem was accepted and ignored.
TEST_F(CliSavedOptionsTest, CommandsWithoutTermsRefuseStem) {
  const std::string gold = tmp_ / "gold.tsv";
  WriteFile(gold, "id_a\tid_b\tjaccard\na\tb\t0.9\n");
  const std::vector<std::vector<std::string>> commands = {
      {"dedup", Seeds(), "--stem"},
      {"dedup", Seeds(), "--stem", "-o", tmp_ / "dedup.jsonl"},
      {"stats", Seeds(), "--stem"},
      {"normalize", Seeds(), "--json", "--stem"},
      {"tune", Seeds(), "--gold", gold, "--stem"}};
  for (const std::vector<std::string> &args : commands) {
    const CliResult r = RunCli(args, tmp_.path());
    EXPECT_EQ(r.exit_code, 2) << args[0] << "\n" << r.err;
    EXPECT_TRUE(Contains(r.err, "--stem")) << r.err;
    EXPECT_TRUE(r.out.empty()) << args[0] << "\n" << r.out;
  }
  EXPECT_FALSE(fs::exists(tmp_ / "dedup.jsonl"));
  // Where it shapes terms it is taken.
  EXPECT_EQ(RunCli({"cluster", Seeds(), "--stem", "-q"}, tmp_.path()).exit_code, 0);
  EXPECT_EQ(RunCli({"normalize", Seeds(), "--json"}, tmp_.path()).exit_code, 0);
}

} // namespace
} // namespace storysift::cli_test
