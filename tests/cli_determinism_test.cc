// End-to-end: the same input gives byte-identical output across runs and
// thread counts (fixed seeds, results in input order), on the committed
// seeds and ECB+ and, when shared data is present, on Reuters-21578.
#include <cstdlib>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

// Set (e.g. by the sanitizer run in scripts/test.sh) to skip the
// whole-Reuters runs, which take most of a minute there.
bool SkipSlowTests() {
  const char* v = std::getenv("STORYSIFT_SKIP_SLOW_TESTS");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

// Runs `storysift ARGS -o FILE --threads T` for T in 1, 2, 4 (and 1 again)
// and expects identical, non-empty output files.
void ExpectSameOutputAcrossThreads(const std::vector<std::string>& args, const TempDir& dir) {
  std::string first;
  int run = 0;
  for (const char* threads : {"1", "2", "4", "1"}) {
    std::vector<std::string> a = args;
    const std::string out = dir / ("out_" + std::to_string(run++));
    a.insert(a.end(), {"-q", "--threads", threads, "-o", out});
    const CliResult r = RunCli(a, dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string got = ReadFileOrEmpty(out);
    if (first.empty()) {
      first = got;
      ASSERT_FALSE(first.empty());
    } else {
      // Not EXPECT_EQ: a diff of megabytes helps nobody.
      EXPECT_TRUE(got == first) << "output with --threads " << threads
                                << " differs from --threads 1 (" << got.size() << " vs "
                                << first.size() << " bytes)";
    }
  }
}

const std::string kSeeds = std::string(STORYSIFT_DATA_DIR) + "/seeds";
const std::string kEcb = std::string(STORYSIFT_DATA_DIR) + "/ecbplus/ecbplus_topics_1-25.jsonl";
const std::string kReuters =
    std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578/reuters.jsonl";

TEST(CliDeterminismTest, DedupOfSeedsAndEcbIsTheSameForAnyThreadCount) {
  TempDir dir;
  ExpectSameOutputAcrossThreads({"dedup", kSeeds, kEcb}, dir);
  ExpectSameOutputAcrossThreads({"dedup", "--pairs", "--method", "simhash", kSeeds, kEcb}, dir);
  ExpectSameOutputAcrossThreads({"normalize", "--json", kSeeds}, dir);
}

TEST(CliDeterminismTest, ClusterOfSeedsAndEcbIsTheSameForAnyThreadCount) {
  TempDir dir;
  ExpectSameOutputAcrossThreads({"cluster", kSeeds, kEcb}, dir);
  ExpectSameOutputAcrossThreads({"cluster", "--mode", "stream", kSeeds, kEcb}, dir);
}

TEST(CliDeterminismTest, DedupOfReutersIsTheSameForAnyThreadCount) {
  if (!fs::exists(kReuters)) GTEST_SKIP() << "no shared data at " << kReuters;
  if (SkipSlowTests()) GTEST_SKIP() << "STORYSIFT_SKIP_SLOW_TESTS is set";
  TempDir dir;
  ExpectSameOutputAcrossThreads({"dedup", "--explain", kReuters}, dir);
}

TEST(CliDeterminismTest, ClusterOfReutersIsTheSameForAnyThreadCount) {
  if (!fs::exists(kReuters)) GTEST_SKIP() << "no shared data at " << kReuters;
  if (SkipSlowTests()) GTEST_SKIP() << "STORYSIFT_SKIP_SLOW_TESTS is set";
  // The first 3000 articles: clustering all 19,043 four times takes a minute.
  TempDir dir;
  const std::vector<std::string> lines = SplitLines(ReadFileOrEmpty(kReuters));
  std::string head;
  for (size_t i = 0; i < lines.size() && i < 3000; ++i) head += lines[i] + "\n";
  WriteFile(dir / "reuters_head.jsonl", head);
  ExpectSameOutputAcrossThreads({"cluster", dir / "reuters_head.jsonl"}, dir);
}

}  // namespace
}  // namespace storysift::cli_test
