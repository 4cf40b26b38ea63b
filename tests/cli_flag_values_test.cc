// Every numeric and enum flag of every command: a bad value (NaN, infinity,
// negative, out of range, not a number, unknown name) is a usage error,
// exit 2 with a message naming the flag, before any input is read.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

struct BadFlag {
  std::vector<std::string> command;  // Subcommand words and the operands.
  std::string flag;
  std::string value;
};

class CliFlagValuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    docs_ = tmp_ / "docs.jsonl";
    WriteFile(docs_, "{\"id\":\"a\",\"text\":\"one two three four five six\"}\n");
    gold_ = tmp_ / "gold.tsv";
    WriteFile(gold_, "id_a\tid_b\tjaccard\na\tb\t0.9\n");
  }
  TempDir tmp_;
  std::string docs_, gold_;
};

TEST_F(CliFlagValuesTest, EveryBadNumericOrEnumValueExitsTwoNamingTheFlag) {
  const std::vector<std::string> dedup = {"dedup", docs_};
  const std::vector<std::string> cluster = {"cluster", docs_};
  const std::vector<std::string> stats = {"stats", docs_};
  const std::vector<std::string> index_build = {"index", "build", docs_, "-o", tmp_ / "i.idx"};
  const std::vector<std::string> eval = {"eval", gold_, gold_};
  const std::vector<std::string> tune = {"tune", docs_, "--gold", gold_};
  const std::vector<BadFlag> table = {
      // Input flags (shared by every corpus command).
      {stats, "--threads", "-1"},
      {stats, "--threads", "nan"},
      {stats, "--threads", "100000"},
      {stats, "--max-doc-bytes", "-5"},
      {stats, "--max-doc-bytes", "lots"},
      {stats, "--max-line-bytes", "-1"},
      {stats, "--input-format", "xml"},
      {stats, "--markup", "latex"},
      {dedup, "--threads", "inf"},
      {stats, "--report", ""},
      {dedup, "--report", ""},
      // Lock waits (CLI::Range let "nan" through).
      {{"cluster", docs_, "--state", tmp_ / "st"}, "--wait", "nan"},
      {{"cluster", docs_, "--state", tmp_ / "st"}, "--wait", "-1"},
      {index_build, "--wait", "nan"},
      {{"state", "verify", tmp_.path()}, "--wait", "nan"},
      // Near-duplicate flags (dedup, cluster, index, tune).
      {dedup, "--threshold", "nan"},
      {dedup, "--threshold", "0"},
      {dedup, "--threshold", "1.5"},
      {dedup, "--threshold", "-0.2"},
      {dedup, "--threshold", "inf"},
      {dedup, "--containment", "nan"},
      {dedup, "--containment", "-0.5"},
      {dedup, "--containment", "2"},
      {dedup, "--max-hamming", "-1"},
      {dedup, "--max-hamming", "65"},
      {dedup, "--num-perm", "0"},
      {dedup, "--num-perm", "-128"},
      {dedup, "--num-perm", "nan"},
      {dedup, "--verify-bits", "12"},
      {dedup, "--shingle-size", "0"},
      {dedup, "--shingle-size", "-3"},
      {dedup, "--bands", "-1"},
      {dedup, "--bands", "4"},  // Without --rows: the library's check (ApplyDedupSettings).
      {dedup, "--rows", "0"},
      {dedup, "--method", "lsh"},
      {dedup, "--scheme", "xor"},
      {dedup, "--grouping", "greedy"},
      {dedup, "--keep", "last"},
      {cluster, "--threshold", "nan"},
      {cluster, "--containment", "inf"},
      {index_build, "--threshold", "7"},
      {tune, "--num-perm", "-1"},
      // Beyond what the library takes: the flag was not named (num_perm = 5000
      // is outside [1, 4096]; window_seconds must be > 0, got 0 or got
      // -9223372036854775808; title_weight ... got inf).
      {dedup, "--num-perm", "5000"},
      {tune, "--num-perm", "4097"},
      {dedup, "--shingle-size", "65"},
      {index_build, "--shingle-size", "100"},
      {dedup, "--bands", "5000"},
      {dedup, "--rows", "4097"},
      {cluster, "--window-days", "1e-300"},
      {cluster, "--window-days", "0.000001"},
      {cluster, "--window-days", "2e14"},
      {cluster, "--window-days", "146098"},
      {cluster, "--title-weight", "1e300"},
      {cluster, "--name-weight", "1e39"},
      {cluster, "--table-word-weight", "1e300"},
      {cluster, "--min-size", "0"},
      // Past size_t: converted in silence, and 2^64 - 1 wrapped to 2 bytes.
      {stats, "--max-doc-bytes", "99999999999999999999"},
      {stats, "--max-line-bytes", "1e30"},
      {dedup, "--short-shingles", "3e9"},
      {{"report", docs_}, "--min-size", "0"},
      // cluster.
      {cluster, "--story-threshold", "nan"},
      {cluster, "--story-threshold", "-0.1"},
      {cluster, "--story-threshold", "0"},
      {cluster, "--story-threshold", "1.1"},
      {cluster, "--window-days", "0"},
      {cluster, "--window-days", "-2"},
      {cluster, "--window-days", "inf"},
      {cluster, "--label-terms", "-1"},
      {cluster, "--new-terms", "-4"},
      {cluster, "--title-weight", "nan"},
      {cluster, "--title-weight", "-1"},
      {cluster, "--retention-days", "-1"},
      {cluster, "--retention-days", "nan"},
      {cluster, "--format", "xml"},
      {cluster, "--linkage", "complete"},
      {cluster, "--mode", "online"},
      {cluster, "--cohesion-split", "1"},
      {cluster, "--cohesion-split", "-0.5"},
      {cluster, "--cohesion-split", "nan"},
      // index build.
      {index_build, "--retention-days", "-1"},
      {index_build, "--retention-days", "x"},
      // Days whose seconds overflowed int64 (index: "retention_seconds -1166... is
      // negative"; cluster --state took them); bounded at 400 years.
      {index_build, "--retention-days", "200000000000000"},
      {index_build, "--retention-days", "146098"},
      {{"cluster", docs_, "--state", tmp_ / "st"}, "--retention-days", "200000000000000"},
      {{"cluster", docs_, "--state", tmp_ / "st"}, "--retention-days", "1e300"},
      // eval.
      {eval, "--min-gold", "nan"},
      {eval, "--min-gold", "-1"},
      {eval, "--min-score", "2"},
      {eval, "--min-score", "inf"},
      // tune.
      {tune, "--floor", "0"},
      {tune, "--floor", "1"},
      {tune, "--floor", "nan"},
      {tune, "--min-gold", "-0.5"},
      {tune, "--target-precision", "1.5"},
      {tune, "--target-precision", "nan"},
  };
  for (const BadFlag& bad : table) {
    std::vector<std::string> args = bad.command;
    args.push_back(bad.flag);
    args.push_back(bad.value);
    const CliResult r = RunCli(args, tmp_.path());
    const std::string what = bad.command[0] + " " + bad.flag + " " + bad.value;
    EXPECT_EQ(r.exit_code, 2) << what << "\n" << r.err;
    EXPECT_NE(r.err.find(bad.flag.substr(2)), std::string::npos)
        << what << ": the message should name the flag\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << what << "\n" << r.out;
  }
}

TEST_F(CliFlagValuesTest, RetentionDaysNamesItsRange) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"index", "build", docs_, "-o", tmp_ / "z.idx", "--retention-days", "200000000000000"},
           {"cluster", docs_, "--state", tmp_ / "st", "--retention-days", "200000000000000"}}) {
    const CliResult r = RunCli(args, tmp_.path());
    EXPECT_EQ(r.exit_code, 2) << args[0] << "\n" << r.err;
    EXPECT_NE(r.err.find("--retention-days"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("146097"), std::string::npos) << "the allowed range\n" << r.err;
    EXPECT_FALSE(fs::exists(tmp_ / "z.idx"));
    EXPECT_FALSE(fs::exists(tmp_ / "st"));
  }
}

// A SimHash distance past the 15 bits the index's permuted tables serve
// (--max-hamming 16, or a --threshold of 0.75, which lets 16 bits differ)
// failed only after reading, exit 1 ("num_blocks = 17 must be in
// (max_distance = 16, 16]"): a usage error naming the flag and its range,
// before the (here missing) input is opened.
TEST_F(CliFlagValuesTest, SimHashDistancePastTheIndexNamesItsRange) {
  const std::string missing = tmp_ / "missing.jsonl";
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> cases = {
      {{"dedup", missing, "--method", "simhash", "--max-hamming", "16"},
       {"--max-hamming", "[0, 15]"}},
      {{"index", "build", missing, "-o", tmp_ / "h.idx", "--method", "simhash", "--max-hamming",
        "16"},
       {"--max-hamming", "[0, 15]"}},
      {{"cluster", missing, "--method", "simhash", "--max-hamming", "40"},
       {"--max-hamming", "[0, 15]"}},
      {{"dedup", missing, "--method", "simhash", "--threshold", "0.75"},
       {"--threshold: 0.75 with --method simhash lets 16 of 64 bits differ",
        "give a threshold above 0.75 (or --max-hamming 0-15)"}},
  };
  for (const auto& [args, said] : cases) {
    const CliResult r = RunCli(args, tmp_.path());
    EXPECT_EQ(r.exit_code, 2) << args[0] << "\n" << r.err;
    for (const std::string& words : said) {
      EXPECT_NE(r.err.find(words), std::string::npos) << words << "\n" << r.err;
    }
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(fs::exists(tmp_ / "h.idx"));
  }
}

TEST_F(CliFlagValuesTest, GoodEdgeValuesAreAccepted) {
  // The bounds themselves are allowed where the range is closed.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"dedup", docs_, "--containment", "0", "--threshold", "1", "-q"},
           {"dedup", docs_, "--max-hamming", "0", "--method", "simhash", "-q"},
           {"dedup", docs_, "--max-hamming", "15", "--method", "simhash", "-q"},
           {"dedup", docs_, "--threshold", "0.7657", "--method", "simhash", "-q"},
           {"cluster", docs_, "--story-threshold", "1", "--retention-days", "0", "--state",
            tmp_.path() + "/state", "-q"},
           {"stats", docs_, "--threads", "0", "--max-doc-bytes", "0", "-q"},
           {"cluster", docs_, "--retention-days", "146097", "--state", tmp_.path() + "/state2",
            "-q"},
           {"index", "build", docs_, "-o", tmp_.path() + "/long.idx", "--retention-days", "146097",
            "-q"},
           // Every name of every enum flag (AddEnumOption, OneOf).
           {"dedup", docs_, "--method", "minhash", "--scheme", "affine", "--grouping",
            "components", "--keep", "longest", "-q"},
           {"dedup", docs_, "--scheme", "oph", "--grouping", "nonchaining", "--keep", "earliest",
            "-q"},
           {"dedup", docs_, "--keep", "first", "--markup", "html", "-q"},
           {"stats", docs_, "--markup", "plain", "-q"},
           {"stats", docs_, "--markup", "auto", "-q"},
           {"cluster", docs_, "--linkage", "single", "--mode", "batch", "--format", "text", "-q"},
           {"cluster", docs_, "--linkage", "average", "--mode", "stream", "--format", "jsonl", "-q"},
           // The ends of the ranges the library checks.
           {"dedup", docs_, "--num-perm", "4096", "--bands", "4096", "--rows", "1",
            "--shingle-size", "64", "-q"},
           {"dedup", docs_, "--num-perm", "1", "--bands", "1", "--rows", "1", "--shingle-size", "1",
            "-q"},
           {"cluster", docs_, "--window-days", "0.0000116", "--title-weight", "3.4e38",
            "--story-threshold", "1e-300", "--cohesion-split", "0.9999999999", "-q"},
           {"cluster", docs_, "--window-days", "146097", "--label-terms", "1000", "--new-terms",
            "1000", "--short-text-terms", "100000", "-q"},
       }) {
    const CliResult r = RunCli(args, tmp_.path());
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[2] << "\n" << r.err;
  }
}

// A flag's --help shows the range the library checks (--num-perm said
// "INT:> 0" and 5000 failed in the library), and a value the flags allow
// one by one but not together is refused naming them.
TEST_F(CliFlagValuesTest, HelpShowsTheRangesTheLibraryChecks) {
  const CliResult dedup = RunCli({"dedup", "--help"}, tmp_.path());
  ASSERT_EQ(dedup.exit_code, 0) << dedup.err;
  for (const char* shown : {"--num-perm INT:[1, 4096]=128", "--shingle-size INT:[1, 64]",
                            "--bands INT:[1, 4096]", "--rows INT:[1, 4096]"}) {
    EXPECT_NE(dedup.out.find(shown), std::string::npos) << shown << "\n" << dedup.out;
  }
  const CliResult cluster = RunCli({"cluster", "--help"}, tmp_.path());
  ASSERT_EQ(cluster.exit_code, 0) << cluster.err;
  for (const char* shown :
       {"--window-days FLOAT:[1.15741e-05, 146097]=3", "--title-weight FLOAT:[0, 3.40282e+38]",
        "--name-weight FLOAT:[0, 3.40282e+38]", "--table-word-weight FLOAT:[0, 3.40282e+38]",
        "--label-terms INT:[0, 1000]", "--min-size INT:[1, 2147483647]",
        "--max-doc-bytes UINT:[0, 9007199254740992]"}) {
    EXPECT_NE(cluster.out.find(shown), std::string::npos) << shown << "\n" << cluster.out;
  }
  const CliResult r = RunCli({"dedup", docs_, "--bands", "64", "--rows", "4", "-q"}, tmp_.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--bands 64 times --rows 4 is 256 slots, more than --num-perm 128"),
            std::string::npos)
      << r.err;
  const CliResult window = RunCli({"cluster", docs_, "--window-days", "2e14"}, tmp_.path());
  EXPECT_EQ(window.exit_code, 2);
  EXPECT_NE(window.err.find("--window-days: 2e14 is not a finite number in [1.15741e-05, 146097]"),
            std::string::npos)
      << window.err;
}

// Flags an index cannot honour (it keeps signatures, groups non-chaining in
// arrival order) are usage errors, before any input is read.
TEST_F(CliFlagValuesTest, IndexBuildRefusesWhatAnIndexCannotHonour) {
  for (const std::vector<std::string>& flag :
       {std::vector<std::string>{"--keep", "earliest"}, {"--keep", "longest"}, {"--exact-verify"},
        {"--grouping", "components"}}) {
    std::vector<std::string> args = {"index", "build", tmp_ / "missing.jsonl", "-o",
                                     tmp_ / "x.idx", "-q"};
    args.insert(args.end(), flag.begin(), flag.end());
    const CliResult r = RunCli(args, tmp_.path());
    EXPECT_EQ(r.exit_code, 2) << flag[0] << "\n" << r.err;
    EXPECT_NE(r.err.find(flag[0] + ":"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(tmp_ / "x.idx"));
  }
  const CliResult first = RunCli({"index", "build", docs_, "-o", tmp_ / "y.idx", "--keep", "first", "-q"},
                                 tmp_.path());
  EXPECT_EQ(first.exit_code, 0) << first.err;
}

// A flag that the chosen method or mode would ignore is a usage error
// naming it, not silently dropped.
TEST_F(CliFlagValuesTest, FlagsOfAnotherMethodOrModeAreUsageErrors) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"dedup", docs_, "--method", "simhash", "--num-perm", "64", "-q"}, "--num-perm"},
      {{"dedup", docs_, "--method", "simhash", "--containment", "0.8", "-q"}, "--containment"},
      // SimHash's features are fixed word bigrams, verified by Hamming distance.
      {{"dedup", docs_, "--method", "simhash", "--exact-verify", "-q"}, "--exact-verify"},
      {{"dedup", docs_, "--method", "simhash", "--shingle-size", "4", "-q"}, "--shingle-size"},
      {{"cluster", docs_, "--method", "simhash", "--char-shingles", "-q"}, "--char-shingles"},
      {{"cluster", docs_, "--method", "simhash", "--no-lookalike-fold", "-q"},
       "--no-lookalike-fold"},
      {{"dedup", docs_, "--max-hamming", "4", "-q"}, "--max-hamming"},
      {{"cluster", docs_, "--mode", "stream", "--linkage", "single", "-q"}, "--linkage"},
      {{"cluster", docs_, "--min-size", "3", "-q"}, "--min-size"},  // JSON lines, no --html.
  };
  // CLI11's own words for flags that need or exclude another.
  const std::vector<std::pair<std::vector<std::string>, std::string>> clashes = {
      {{"cluster", docs_, "--retention-days", "3", "-q"}, "--retention-days requires --state"},
      {{"cluster", docs_, "--wait", "5", "-q"}, "--wait requires --state"},
      {{"dedup", docs_, "--explain", "--keep-first", "-q"}, "excludes --explain"},
      {{"dedup", docs_, "--explain", "--pairs", "-q"}, "excludes --explain"},
  };
  for (const auto& [args, flag] : cases) {
    const CliResult r = RunCli(args, tmp_.path());
    EXPECT_EQ(r.exit_code, 2) << flag << "\n" << r.err;
    EXPECT_NE(r.err.find(flag + " applies to"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  for (const auto& [args, message] : clashes) {
    const CliResult r = RunCli(args, tmp_.path());
    EXPECT_EQ(r.exit_code, 2) << message << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST_F(CliFlagValuesTest, TuneWithoutInputsOrScoredIsAUsageError) {
  const CliResult r = RunCli({"tune", "--gold", gold_}, tmp_.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--scored"), std::string::npos) << r.err;
}

// An unknown command word said only "A subcommand is required" (or nothing
// of the word): it is named, with the commands valid there, exit 2.
TEST_F(CliFlagValuesTest, UnknownCommandWordsAreNamedWithTheValidOnes) {
  struct Case {
    std::vector<std::string> args;
    std::string said;
  };
  const std::vector<Case> cases = {
      {{"bogus"}, "unknown command 'bogus' for `storysift`; the commands are: stats, normalize, "
                  "dedup, cluster, idf, index, eval, tune, state, report"},
      {{"state", "verfy", tmp_.path()},
       "unknown command 'verfy' for `storysift state`; the commands are: verify, recover (did "
       "you mean 'verify'?)"},
      {{"idf", "inof"}, "unknown command 'inof' for `storysift idf`; the commands are: build, "
                        "info (did you mean 'info'?)"},
      {{"index", "qeury", docs_}, "unknown command 'qeury' for `storysift index`"},
      {{"idf"}, "`storysift idf` needs a command: build, info"},
      {{}, "`storysift` needs a command: stats, normalize"},
  };
  for (const Case& c : cases) {
    const CliResult r = RunCli(c.args, tmp_.path());
    EXPECT_EQ(r.exit_code, 2) << c.said;
    EXPECT_NE(r.err.find(c.said), std::string::npos) << r.err;
  }
  // Known words keep the parser's own message for what is wrong after them.
  const CliResult missing = RunCli({"state", "verify"}, tmp_.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("dir is required"), std::string::npos) << missing.err;
  EXPECT_EQ(RunCli({"idf", "--help"}, tmp_.path()).exit_code, 0);
}

}  // namespace
}  // namespace storysift::cli_test
