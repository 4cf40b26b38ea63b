// Layouts the daily state and the outputs meet in the field: version-1
// state directories (and DIR.old), symlinked state directories and index
// files, outputs through symlinks, FIFOs and device nodes, outputs that
// collide with each other or with an input, and --strict writing nothing.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "gtest/gtest.h"
#include "state/generation_store.h"
#include "state_test_util.h"
#include "storysift/file_lock.h"

namespace storysift::state_test {
namespace {

namespace fs = std::filesystem;
using cli_test::ReadFileOrEmpty;
using cli_test::WriteFile;

// A version-1 state in `dir`: the files directly in it, one story holding
// every document of the day file, members without content hashes.
void WriteVersion1State(const std::string& dir, const std::string& day_file,
                        const std::vector<std::string>& ids) {
  fs::create_directories(dir);
  WriteFile(dir + "/meta.json",
            "{\"format\":\"storysift-state\",\"version\":1,"
            "\"next_story\":2,\"now\":1488412800}\n");
  std::string members;
  for (const std::string& id : ids) {
    absl::StrAppend(&members, members.empty() ? "" : ",", "{\"id\":\"", id,
                    "\",\"seen\":1488412800}");
  }
  WriteFile(dir + "/stories.jsonl", absl::StrCat("{\"story_id\":\"s0001\",\"last_active\":"
                                                 "1488412800,\"members\":[",
                                                 members, "]}\n"));
  WriteFile(dir + "/documents.jsonl", ReadFileOrEmpty(day_file));
  WriteFile(dir + "/archive.jsonl", "");
}

TEST(StateLayoutTest, Version1StateLoadsAndMigratesOnTheNextSave) {
  const cli_test::TempDir tmp;
  const auto day1 = WriteDay(tmp / "d1", 1, 25);
  const auto day2 = WriteDay(tmp / "d2", 2, 25);
  const std::string state = tmp / "state";
  WriteVersion1State(state, tmp / "d1", day1);
  EXPECT_EQ(StateIds(state), Union(day1));
  // Re-running the day the old state holds changes nothing and migrates it.
  const CliResult rerun =
      RunWithFault({"cluster", tmp / "d1", "--state", state, "-o", tmp / "o", "-q"}, tmp.path());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const std::string out = ReadFileOrEmpty(tmp / "o");
  EXPECT_EQ(cli_test::JsonField(out, "story_id"), "s0001");
  EXPECT_EQ(cli_test::JsonField(out, "status"), "unchanged");
  EXPECT_TRUE(fs::exists(state + "/CURRENT"));
  EXPECT_FALSE(fs::exists(state + "/meta.json"));
  EXPECT_FALSE(fs::exists(state + "/documents.jsonl"));
  EXPECT_EQ(StateIds(state), Union(day1));
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
  // A save that died between its two renames left only DIR.old.
  const std::string crashed = tmp / "crashed";
  WriteVersion1State(crashed + ".old", tmp / "d1", day1);
  ASSERT_EQ(
      RunWithFault({"cluster", tmp / "d2", "--state", crashed, "-o", tmp / "o2", "-q"}, tmp.path())
          .exit_code,
      0);
  EXPECT_EQ(StateIds(crashed), Union(day1, day2));
  EXPECT_FALSE(fs::exists(crashed + ".old"));
  EXPECT_EQ(StoryOf(crashed).at(day1[0]), "s0001");
}

// A state of version 2 records no options: it loads, its next run (with
// whatever options) goes on without a complaint, and records them.
TEST(StateLayoutTest, Version2StateWithoutOptionsGetsARecordAtItsNextRun) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 20);
  WriteDay(tmp / "d2", 2, 20);
  const std::string state = tmp / "state";
  ASSERT_EQ(RunWithFault({"cluster", tmp / "d1", "--state", state, "-o", tmp / "o1", "-q"},
                         tmp.path())
                .exit_code,
            0);
  // The live generation again, as version 2 wrote it: meta.json without options.
  {
    absl::StatusOr<FileLock> lock = LockStoryStateForUpdate(state, 0);
    ASSERT_TRUE(lock.ok()) << lock.status();
    absl::StatusOr<StoryState> v3 = LoadStoryState(state);
    ASSERT_TRUE(v3.ok() && v3->options.has_value());
    const std::string gen = fs::path(v3->documents_path).parent_path().string();
    std::vector<std::pair<std::string, std::string>> files;
    for (const char* name : {"stories.jsonl", "documents.jsonl", "archive.jsonl", "retired.jsonl"}) {
      files.push_back({name, ReadFileOrEmpty(gen + "/" + name)});
    }
    files.push_back({"meta.json", absl::StrCat("{\"format\":\"storysift-state\",\"version\":2,"
                                               "\"next_story\":",
                                               v3->next_story, ",\"now\":", v3->now, "}\n")});
    ASSERT_TRUE(internal::CommitGeneration(state, v3->generation, files).ok());
  }
  absl::StatusOr<StoryState> v2 = LoadStoryState(state);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_FALSE(v2->options.has_value());
  const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
  EXPECT_NE(verify.out.find("options: none recorded"), std::string::npos) << verify.out;
  const CliResult next = RunWithFault(
      {"cluster", tmp / "d2", "--state", state, "-o", tmp / "o2", "--story-threshold", "0.3"},
      tmp.path());
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(next.err.find("options"), std::string::npos) << next.err;
  absl::StatusOr<StoryState> recorded = LoadStoryState(state);
  ASSERT_TRUE(recorded.ok() && recorded->options.has_value());
  EXPECT_NE(std::find(recorded->options->begin(), recorded->options->end(),
                      RecordedOption{"story_threshold", "0.3"}),
            recorded->options->end());
  EXPECT_EQ(StateIds(state).size(), 40u);
}

TEST(StateLayoutTest, SymlinkedStateDirectoryAndIndexStayLinks) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 20);
  WriteDay(tmp / "d2", 2, 20);
  fs::create_directories(tmp / "real");
  fs::create_directory_symlink(tmp / "real", tmp / "link");
  for (const char* day : {"d1", "d2"}) {
    ASSERT_EQ(RunWithFault({"cluster", tmp / day, "--state", tmp / "link", "-o", tmp / "o", "-q"},
                           tmp.path())
                  .exit_code,
              0);
  }
  EXPECT_TRUE(fs::is_symlink(tmp / "link"));
  EXPECT_TRUE(fs::exists(tmp / "real/CURRENT"));
  EXPECT_EQ(StateIds(tmp / "link").size(), 40u);
  ASSERT_EQ(RunWithFault({"index", "build", tmp / "d1", "-o", tmp / "real.idx", "-q"}, tmp.path())
                .exit_code,
            0);
  fs::create_symlink(tmp / "real.idx", tmp / "link.idx");
  ASSERT_EQ(
      RunWithFault({"index", "add", tmp / "link.idx", tmp / "d2", "-q"}, tmp.path()).exit_code, 0);
  EXPECT_TRUE(fs::is_symlink(tmp / "link.idx"));
  const CliResult info = RunWithFault({"index", "info", tmp / "real.idx"}, tmp.path());
  EXPECT_EQ(cli_test::JsonField(info.out, "documents"), "40");
}

TEST(StateLayoutTest, OutputsThroughSymlinksFifosAndDevicesKeepTheNode) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 15);
  // A symlinked output: the target is replaced, the link stays.
  WriteFile(tmp / "target.jsonl", "old\n");
  fs::create_symlink(tmp / "target.jsonl", tmp / "out-link");
  ASSERT_EQ(
      RunWithFault({"cluster", tmp / "d1", "-o", tmp / "out-link", "-q"}, tmp.path()).exit_code, 0);
  EXPECT_TRUE(fs::is_symlink(tmp / "out-link"));
  EXPECT_NE(ReadFileOrEmpty(tmp / "target.jsonl"), "old\n");
  EXPECT_NE(ReadFileOrEmpty(tmp / "target.jsonl").find("story_id"), std::string::npos);
  // A FIFO: written through, still a FIFO.
  const std::string fifo = tmp / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  std::string received;
  std::thread reader([&] { received = ReadFileOrEmpty(fifo); });
  const CliResult r = RunWithFault({"cluster", tmp / "d1", "-o", fifo, "-q"}, tmp.path());
  reader.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_NE(received.find("story_id"), std::string::npos);
  // A device node stays one (as root a rename would have replaced it). The
  // machine's /dev/null is shared: an older build elsewhere may have
  // replaced it already, and then there is nothing to test here.
  if (!fs::is_character_file("/dev/null")) GTEST_SKIP() << "/dev/null is not a device here";
  ASSERT_EQ(RunWithFault({"cluster", tmp / "d1", "-o", "/dev/null", "--report", "/dev/null", "-q"},
                         tmp.path())
                .exit_code,
            0);
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  for (const auto& e : fs::directory_iterator(tmp.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
}

TEST(StateLayoutTest, CollidingOutputsAndOutputsOntoInputsAreUsageErrors) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 15);
  const std::string day = ReadFileOrEmpty(tmp / "d1");
  const CliResult same =
      RunWithFault({"cluster", tmp / "d1", "-o", tmp / "x", "--report", tmp / "x"}, tmp.path());
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_NE(same.err.find("both write"), std::string::npos) << same.err;
  EXPECT_FALSE(fs::exists(tmp / "x"));
  for (const char* command : {"dedup", "normalize"}) {
    EXPECT_EQ(
        RunWithFault({command, tmp / "d1", "-o", tmp / "x", "--report", tmp / "x"}, tmp.path())
            .exit_code,
        2)
        << command;
    EXPECT_EQ(RunWithFault({command, tmp / "d1", "-o", tmp / "d1"}, tmp.path()).exit_code, 2)
        << command;
  }
  EXPECT_EQ(
      RunWithFault({"cluster", tmp / "d1", "--state", tmp / "st", "-o", tmp / "st"}, tmp.path())
          .exit_code,
      2);
  const CliResult onto_input = RunWithFault({"cluster", tmp / "d1", "-o", tmp / "d1"}, tmp.path());
  EXPECT_EQ(onto_input.exit_code, 2);
  EXPECT_EQ(ReadFileOrEmpty(tmp / "d1"), day);
  const std::string index = tmp / "x.idx";
  ASSERT_EQ(RunWithFault({"index", "build", tmp / "d1", "-o", index, "-q"}, tmp.path()).exit_code,
            0);
  const std::string before = ReadFileOrEmpty(index);
  const CliResult verdicts_on_index =
      RunWithFault({"index", "add", index, tmp / "d1", "-v", index}, tmp.path());
  EXPECT_EQ(verdicts_on_index.exit_code, 2);
  EXPECT_EQ(ReadFileOrEmpty(index), before);
  EXPECT_EQ(RunWithFault({"index", "info", index}, tmp.path()).exit_code, 0);
  fs::create_symlink(index, tmp / "alias.idx");
  EXPECT_EQ(RunWithFault({"index", "add", index, tmp / "d1", "-v", tmp / "alias.idx"}, tmp.path())
                .exit_code,
            2);
  EXPECT_EQ(RunWithFault({"index", "query", index, tmp / "d1", "-o", index}, tmp.path()).exit_code,
            2);
  EXPECT_EQ(RunWithFault({"index", "add", index, index}, tmp.path()).exit_code, 2);
  EXPECT_EQ(ReadFileOrEmpty(index), before);
}

TEST(StateLayoutTest, StrictIndexRunsWriteNothingBeforeFailing) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 15);
  WriteFile(tmp / "bad", ReadFileOrEmpty(tmp / "d1") + "{not json\n");
  const std::string index = tmp / "x.idx";
  ASSERT_EQ(RunWithFault({"index", "build", tmp / "d1", "-o", index, "-q"}, tmp.path()).exit_code,
            0);
  const CliResult query =
      RunWithFault({"index", "query", index, tmp / "bad", "--strict", "-q"}, tmp.path());
  EXPECT_EQ(query.exit_code, 1);
  EXPECT_EQ(query.out, "");
  const CliResult build = RunWithFault(
      {"index", "build", tmp / "bad", "-o", tmp / "y.idx", "-v", "-", "--strict", "-q"},
      tmp.path());
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_EQ(build.out, "");
  EXPECT_FALSE(fs::exists(tmp / "y.idx"));
  // Without --strict the same query streams its verdicts.
  const CliResult loose = RunWithFault({"index", "query", index, tmp / "bad", "-q"}, tmp.path());
  EXPECT_EQ(loose.exit_code, 0);
  EXPECT_EQ(cli_test::SplitLines(loose.out).size(), 15u);
}

}  // namespace
}  // namespace storysift::state_test
