// Crash harness for `index build|add` with outputs (-v, --report): a fault
// (an _exit at a named step, lib/src/state/fault_point.h) at every step
// from the outputs' sync to their last rename, then the same command again,
// which must write the bytes an uninterrupted run writes; and a run of
// other input after such a crash.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "state_test_util.h"

namespace storysift::state_test {
namespace {

namespace fs = std::filesystem;

struct Step {
  const char* name;
  int times;  // How often one run with -v FILE and --report FILE reaches it.
};

// In order: the report's and the verdicts' temporaries synced, the pending
// outputs written, the index synced and renamed, then the report and the
// verdicts renamed.
const Step kOutputSteps[] = {
    {"output.synced", 3},         {"index.pending.half", 1}, {"index.pending.synced", 1},
    {"index.pending.renamed", 1}, {"output.renamed", 3},
};

int64_t IndexDocuments(const std::string& index, const std::string& scratch) {
  const CliResult r = RunWithFault({"index", "info", index}, scratch);
  const std::string n = cli_test::JsonField(r.out, "documents");
  return n.empty() ? -1 : std::stoll(n);
}

// Day 2's records and an exact copy of a day-1 article under a new id (a
// "duplicate" verdict), so the verdicts are not all "new".
std::string WriteDayWithCopy(const std::string& dir) {
  WriteDay(dir + "/d2.jsonl", 2, 30);
  std::string day1 = cli_test::ReadFileOrEmpty(dir + "/d1.jsonl");
  std::string copy = day1.substr(0, day1.find('\n') + 1);
  copy.replace(copy.find("\"d1-0\""), 6, "\"copy\"");
  std::ofstream(dir + "/d2.jsonl", std::ios::app) << copy;
  return dir + "/d2.jsonl";
}

// Only the index, its lock and what the test made are left: no pending
// outputs and (`temporaries`: when the last run wrote the outputs a killed
// one had begun) no temporaries.
void ExpectNoOrphans(const std::string& dir, bool temporaries = true) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    EXPECT_EQ(name.find(".pending"), std::string::npos) << name;
    if (temporaries) {
      EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
    }
  }
}

class IndexCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteDay(tmp_ / "d1.jsonl", 1, 40);
    day2_ = WriteDayWithCopy(tmp_.path());
    base_ = tmp_ / "base.idx";
    index_ = tmp_ / "i.idx";
    ASSERT_EQ(RunWithFault({"index", "build", tmp_ / "d1.jsonl", "-o", base_, "-q"}, tmp_.path())
                  .exit_code,
              0);
  }
  // `index add` of day 2 with both outputs.
  std::vector<std::string> AddArgs(const std::string& day) const {
    return {"index", "add", index_, day, "-v", outputs_[0], "--report", outputs_[1]};
  }
  std::vector<std::string> Outputs() const {
    std::vector<std::string> bytes;
    for (const std::string& path : outputs_) bytes.push_back(cli_test::ReadFileOrEmpty(path));
    return bytes;
  }
  void Reset() {
    fs::copy_file(base_, index_, fs::copy_options::overwrite_existing);
    for (const std::string& path : outputs_) fs::remove(path);
  }

  cli_test::TempDir tmp_;
  std::string day2_, base_, index_;
  const std::vector<std::string> outputs_ = {tmp_ / "v.jsonl", tmp_ / "r.json"};
};

// `index add -v FILE` killed after the index was replaced and before the
// verdicts were: the retry answered every record already_indexed, and the
// day's verdicts (new, duplicate_of) were lost for good. The retry now
// writes the run's own verdicts and report, byte for byte.
TEST_F(IndexCrashTest, RetryAfterAFaultAtAnyStepWritesTheRunsOutputs) {
  Reset();
  ASSERT_EQ(RunWithFault(AddArgs(day2_), tmp_.path()).exit_code, 0);
  const std::vector<std::string> expected = Outputs();
  ASSERT_NE(expected[0].find("\"duplicate_of\":\"d1-0\""), std::string::npos) << expected[0];
  ASSERT_NE(expected[1].find("\"added\":31"), std::string::npos) << expected[1];
  int faults = 0, redone = 0;
  for (const Step& step : kOutputSteps) {
    for (int n = 1; n <= step.times; ++n) {
      const std::string fault = absl::StrCat(step.name, ":", n);
      Reset();
      const CliResult r = RunWithFault(AddArgs(day2_), tmp_.path(), fault);
      ASSERT_EQ(r.exit_code, kFaultExit) << fault << " was not reached: " << r.err;
      ++faults;
      const int64_t docs = IndexDocuments(index_, tmp_.path());
      EXPECT_TRUE(docs == 40 || docs == 71) << fault << " " << docs;
      // An output appears only once the index holds its run.
      if (fs::exists(outputs_[0]) || fs::exists(outputs_[1])) {
        EXPECT_EQ(docs, 71) << fault;
      }
      const CliResult again = RunWithFault(AddArgs(day2_), tmp_.path());
      ASSERT_EQ(again.exit_code, 0) << fault << ": " << again.err;
      EXPECT_EQ(Outputs(), expected) << fault;
      EXPECT_EQ(IndexDocuments(index_, tmp_.path()), 71) << fault;
      redone += again.err.find("they are written now") != std::string::npos;
      ExpectNoOrphans(tmp_.path());
    }
  }
  EXPECT_EQ(faults, 9);
  EXPECT_EQ(redone, 3);  // From the index's rename on.
  // Once the outputs are in place, the same input again is a re-feed.
  const CliResult refeed = RunWithFault(AddArgs(day2_), tmp_.path());
  ASSERT_EQ(refeed.exit_code, 0) << refeed.err;
  EXPECT_EQ(refeed.err.find("they are written now"), std::string::npos) << refeed.err;
  EXPECT_NE(Outputs()[1].find("\"same\":31"), std::string::npos) << Outputs()[1];
}

// After such a crash, a run of other input goes on, with a warning that the
// earlier run's outputs cannot be written; so does one asking for no
// outputs. The verdicts are this run's.
TEST_F(IndexCrashTest, OtherInputAfterACrashWarnsThatTheEarlierOutputsAreLost) {
  Reset();
  ASSERT_EQ(RunWithFault(AddArgs(day2_), tmp_.path(), "output.renamed:1").exit_code, kFaultExit);
  WriteDay(tmp_ / "d3.jsonl", 3, 10);
  const CliResult other = RunWithFault(AddArgs(tmp_ / "d3.jsonl"), tmp_.path());
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(other.err.find("warning: the run that last changed the index"), std::string::npos)
      << other.err;
  EXPECT_EQ(IndexDocuments(index_, tmp_.path()), 81);
  const std::vector<std::string> lines = cli_test::SplitLines(Outputs()[0]);
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_EQ(cli_test::JsonField(lines[0], "id"), "d3-0");
  EXPECT_EQ(cli_test::JsonField(lines[0], "verdict"), "new");
  ExpectNoOrphans(tmp_.path());
  // Day 2 again after all that: already indexed, no warning.
  const CliResult again = RunWithFault(AddArgs(day2_), tmp_.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err.find("warning"), std::string::npos) << again.err;

  Reset();
  ASSERT_EQ(RunWithFault(AddArgs(day2_), tmp_.path(), "output.renamed:1").exit_code, kFaultExit);
  const CliResult bare = RunWithFault({"index", "add", index_, day2_}, tmp_.path());
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_NE(bare.err.find("warning: the run that last changed the index"), std::string::npos)
      << bare.err;
  ExpectNoOrphans(tmp_.path(), /*temporaries=*/false);  // The killed run's -v and --report's.
}

// `index build` has the same guarantee, onto standard output too (`-v -`
// holds its lines until the index is in place).
TEST_F(IndexCrashTest, BuildRetriedAfterItsIndexIsInPlaceWritesTheSameVerdicts) {
  const std::vector<std::string> build = {"index", "build", day2_, "-o", index_, "-v", "-", "-q"};
  const CliResult reference = RunWithFault(build, tmp_.path());
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  ASSERT_NE(reference.out.find("\"verdict\":\"new\""), std::string::npos);
  fs::remove(index_);
  const CliResult killed = RunWithFault(build, tmp_.path(), "output.renamed:1");
  ASSERT_EQ(killed.exit_code, kFaultExit) << killed.err;
  EXPECT_EQ(killed.out, "");
  EXPECT_EQ(IndexDocuments(index_, tmp_.path()), 31);
  const CliResult retry = RunWithFault(build, tmp_.path());
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(retry.out, reference.out);
  ExpectNoOrphans(tmp_.path());
  // A build with other options is another run: it builds anew.
  ASSERT_EQ(RunWithFault(build, tmp_.path(), "output.renamed:1").exit_code, kFaultExit);
  std::vector<std::string> other = build;
  other.insert(other.end(), {"--threshold", "0.95"});
  const CliResult rebuilt = RunWithFault(other, tmp_.path());
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_NE(rebuilt.err.find("warning: the run that last changed the index"), std::string::npos)
      << rebuilt.err;
  EXPECT_NE(rebuilt.out.find("\"verdict\":\"new\""), std::string::npos);
}

// A damaged pending file cannot say which run's outputs it held: refused,
// naming it, the index unchanged.
TEST_F(IndexCrashTest, ADamagedPendingFileIsRefusedNamingIt) {
  Reset();
  ASSERT_EQ(RunWithFault(AddArgs(day2_), tmp_.path(), "output.renamed:1").exit_code, kFaultExit);
  const std::string pending = index_ + ".pending";
  ASSERT_TRUE(fs::exists(pending));
  std::string bytes = cli_test::ReadFileOrEmpty(pending);
  bytes[bytes.size() - 1] ^= 0x20;
  std::ofstream(pending, std::ios::binary | std::ios::trunc) << bytes;
  const CliResult r = RunWithFault(AddArgs(day2_), tmp_.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(pending), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("remove it"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(outputs_[0]));
  fs::remove(pending);
  ASSERT_EQ(RunWithFault(AddArgs(day2_), tmp_.path()).exit_code, 0);
}

}  // namespace
}  // namespace storysift::state_test
