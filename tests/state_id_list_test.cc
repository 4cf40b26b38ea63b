// Each retired file has an id list beside it (retired-NNNNNN.ids: the
// sorted hashes of its ids), so that a run reads only the retired files that
// may hold one of the day's ids: a run's cost follows its day, not the
// history. A hash in a list is confirmed by the file itself; states made
// before the lists get them at their next run; `state verify` checks them
// and `state recover` makes a damaged one again from its file.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "state/durable_io.h"
#include "state/generation_store.h"
#include "state/state_format.h"
#include "state/state_segments.h"
#include "state_test_util.h"
#include "storysift/story_state.h"

namespace storysift::state_test {
namespace {

namespace fs = std::filesystem;

CliResult RunDay(const cli_test::TempDir& tmp, int day, const std::string& state) {
  const std::string input = tmp / absl::StrCat("day", day, ".jsonl");
  if (!fs::exists(input)) WriteTopicalDay(input, day, 9);
  return RunWithFault({"cluster", input, "--state", state, "--retention-days", "1", "-o",
                       tmp / absl::StrCat("out", day, ".jsonl")},
                      tmp.path());
}

StoryState Load(const std::string& dir) {
  absl::StatusOr<StoryState> state = LoadStoryState(dir);
  EXPECT_TRUE(state.ok()) << state.status();
  return state.ok() ? *std::move(state) : StoryState();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A state of days 1-4, whose days 1 and 2 are archived (retired files of
// their own, with their lists).
std::string StateOfFourDays(const cli_test::TempDir& tmp) {
  const std::string state = tmp / "state";
  for (int day = 1; day <= 4; ++day) {
    const CliResult r = RunDay(tmp, day, state);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  return state;
}

void FlipAByte(const std::string& path, size_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  const char c = static_cast<char>(f.get());
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x20));
}

// Persisted: a changed value makes every saved list miss its ids.
TEST(StateIdListTest, TheIdHashIsPinned) {
  EXPECT_EQ(internal::RetiredIdHash("d1-0"), 0x05a1318ca53a1545ull);
  EXPECT_EQ(internal::RetiredIdHash(""), 0x8c6213b3473d8a28ull);
}

TEST(StateIdListTest, EachRetiredFileHasItsIdListInTheManifest) {
  const cli_test::TempDir tmp;
  const StoryState state = Load(StateOfFourDays(tmp));
  ASSERT_EQ(state.retired.size(), 2u);  // Days 1 and 2, archived on days 3 and 4.
  ASSERT_EQ(state.retired_id_lists.size(), 2u);
  for (size_t i = 0; i < state.retired.size(); ++i) {
    const StateSegment& retired = state.retired[i];
    const StateSegment& list = state.retired_id_lists[i];
    EXPECT_EQ(list.name, internal::RetiredIdListName(retired.name));
    ASSERT_TRUE(list.checksum.has_value());
    EXPECT_EQ(*internal::BuildRetiredIdList(retired.path, ReadAll(retired.path),
                                            internal::EntryOf(retired)),
              ReadAll(list.path));
    // Header (32 bytes) and one hash per archived document.
    EXPECT_EQ(list.size, 32u + 8u * 9u) << list.name;
  }
  EXPECT_EQ(RunWithFault({"state", "verify", tmp / "state"}, tmp.path()).exit_code, 0);
}

// The point of the lists: a retired file that holds none of the day's ids
// is not read. Damaged in place (same size, so loading passes), it stops
// only the run whose day has one of its ids.
TEST(StateIdListTest, ARunReadsOnlyTheRetiredFilesThatMayHoldItsIds) {
  const cli_test::TempDir tmp;
  const std::string state = StateOfFourDays(tmp);
  const StateSegment day1 = Load(state).retired.front();
  FlipAByte(day1.path, 10);
  const CliResult day5 = RunDay(tmp, 5, state);
  EXPECT_EQ(day5.exit_code, 0) << day5.err;
  const CliResult again = RunDay(tmp, 1, state);
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_NE(again.err.find(day1.name), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("checksum"), std::string::npos) << again.err;
}

// The lists hold hashes: one that matches a day's id says only that the
// file may hold it. The file's own lines decide, so a collision never makes
// a new article a repeat of an archived one.
TEST(StateIdListTest, AHashInAListIsConfirmedByItsFile) {
  const cli_test::TempDir tmp;
  const std::string state = StateOfFourDays(tmp);
  const StoryState before = Load(state);
  const StateSegment& retired = before.retired.front();
  const std::string good = ReadAll(before.retired_id_lists[0].path);
  // A list that also names "d9-0", which no retired file holds.
  std::vector<uint64_t> hashes = {internal::RetiredIdHash("d9-0")};
  for (int i = 0; i < 9; ++i) hashes.push_back(internal::RetiredIdHash(absl::StrCat("d1-", i)));
  ReplaceIdLists(state, {{before.retired_id_lists[0].name,
                          internal::EncodeRetiredIdList(hashes, internal::EntryOf(retired))},
                         {before.retired_id_lists[1].name, ReadAll(before.retired_id_lists[1].path)}});
  const StoryState crafted = Load(state);
  absl::StatusOr<std::vector<RetiredDocument>> found =
      FindRetiredDocuments(crafted, {"d9-0", "d1-3"});
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().id, "d1-3");
  // `state verify` sees a list that is not its file's; `state recover`
  // makes it again from the file.
  const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
  EXPECT_EQ(verify.exit_code, 1) << verify.out;
  EXPECT_NE(verify.err.find(before.retired_id_lists[0].name), std::string::npos) << verify.err;
  const CliResult recover = RunWithFault({"state", "recover", state}, tmp.path());
  ASSERT_EQ(recover.exit_code, 0) << recover.err;
  EXPECT_NE(recover.out.find("rebuilt: " + before.retired_id_lists[0].name), std::string::npos)
      << recover.out;
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
  EXPECT_EQ(ReadAll(Load(state).retired_id_lists[0].path), good);
}

TEST(StateIdListTest, AStateWithoutIdListsIsReadInFullAndGetsThemAtItsNextRun) {
  const cli_test::TempDir tmp;
  const std::string state = StateOfFourDays(tmp);
  const StoryState with_lists = Load(state);
  std::vector<std::string> made_by_archiving;  // The lists' bytes (the generation goes).
  for (const StateSegment& list : with_lists.retired_id_lists) {
    made_by_archiving.push_back(ReadAll(list.path));
  }
  ReplaceIdLists(state);
  const StoryState without = Load(state);
  ASSERT_TRUE(without.retired_id_lists.empty());
  ASSERT_EQ(without.retired.size(), 2u);
  const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.out.find("2 retired files without an id list"), std::string::npos)
      << verify.out;
  // Still known: day 1 again is archived news, read from the files.
  absl::StatusOr<std::vector<RetiredDocument>> found = FindRetiredDocuments(without, {"d2-4"});
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  const CliResult again = RunDay(tmp, 1, state);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("9 already archived"), std::string::npos) << again.err;
  // That run made the lists, the same bytes as a run that archived them.
  const StoryState after = Load(state);
  ASSERT_EQ(after.retired_id_lists.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(after.retired_id_lists[i].name, with_lists.retired_id_lists[i].name);
    EXPECT_EQ(ReadAll(after.retired_id_lists[i].path), made_by_archiving[i]);
  }
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
}

TEST(StateIdListTest, ADamagedIdListIsNamedAndMadeAgainByRecover) {
  const cli_test::TempDir tmp;
  const std::string state = StateOfFourDays(tmp);
  const StoryState before = Load(state);
  const StateSegment list = before.retired_id_lists.back();
  const std::string good = ReadAll(list.path);
  FlipAByte(list.path, 40);  // A hash: the day's id may be missed.
  const CliResult run = RunDay(tmp, 5, state);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find(list.name), std::string::npos) << run.err;
  const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
  EXPECT_EQ(verify.exit_code, 1) << verify.out;
  EXPECT_NE(verify.err.find(list.name), std::string::npos) << verify.err;
  const CliResult recover = RunWithFault({"state", "recover", state}, tmp.path());
  ASSERT_EQ(recover.exit_code, 0) << recover.err;
  EXPECT_NE(recover.out.find("rebuilt: " + list.name), std::string::npos) << recover.out;
  EXPECT_EQ(recover.out.find("lost: "), std::string::npos) << recover.out;
  EXPECT_TRUE(fs::exists(state + "/damaged-" + list.name));
  EXPECT_EQ(ReadAll(Load(state).retired_id_lists.back().path), good);
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
  EXPECT_EQ(RunDay(tmp, 5, state).exit_code, 0);
  const CliResult again = RunDay(tmp, 2, state);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("9 already archived"), std::string::npos) << again.err;
}

// A damaged retired file goes (the documents of its lines that no longer
// read are lost to re-runs), and so does its list, which would name a file
// no longer there; the lines that still read are kept in a retired file of
// the recovery's generation, with a list of its own.
TEST(StateIdListTest, RecoverDropsADamagedRetiredFileWithItsList) {
  const cli_test::TempDir tmp;
  const std::string state = StateOfFourDays(tmp);
  const StoryState before = Load(state);
  FlipAByte(before.retired.front().path, 10);
  const CliResult recover = RunWithFault({"state", "recover", state}, tmp.path());
  ASSERT_EQ(recover.exit_code, 0) << recover.err;
  EXPECT_NE(recover.out.find("lost: " + before.retired.front().name), std::string::npos)
      << recover.out;
  EXPECT_NE(recover.out.find("dropped: " + before.retired_id_lists.front().name),
            std::string::npos)
      << recover.out;
  const StoryState after = Load(state);
  ASSERT_EQ(after.retired.size(), 2u);
  ASSERT_EQ(after.retired_id_lists.size(), 2u);
  EXPECT_EQ(after.retired[0].name, before.retired[1].name);
  EXPECT_EQ(after.retired_id_lists[0].name, before.retired_id_lists[1].name);
  EXPECT_NE(after.retired[1].name, before.retired.front().name);
  EXPECT_EQ(after.retired_id_lists[1].name, internal::RetiredIdListName(after.retired[1].name));
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
}

// Bytes read(2) by this process so far (/proc/self/io rchar); -1 when the
// kernel does not say.
int64_t BytesReadSoFar() {
  std::ifstream in("/proc/self/io");
  std::string key;
  int64_t value = 0;
  while (in >> key >> value) {
    if (key == "rchar:") return value;
  }
  return -1;
}

// Loading checked each file's checksum on one read and parsed it from
// another: the documents file, the largest, was read twice (and a run read
// it a third time). Each file is read once now.
TEST(StateIdListTest, LoadingReadsEachFileOnce) {
  const cli_test::TempDir tmp;
  const std::string state = tmp / "state";
  WriteDay(tmp / "big.jsonl", 3, 400);
  ASSERT_EQ(RunWithFault({"cluster", tmp / "big.jsonl", "--state", state, "-o", tmp / "o"},
                         tmp.path())
                .exit_code,
            0);
  if (BytesReadSoFar() < 0) GTEST_SKIP() << "no /proc/self/io";
  const StoryState loaded = Load(state);
  const uint64_t generation = loaded.generation;
  const std::string gen = internal::GenerationDir(state, generation);
  uint64_t files = 0;
  for (const char* name : {"MANIFEST", "meta.json", "stories.jsonl", "documents.jsonl"}) {
    files += fs::file_size(gen + "/" + name);
  }
  ASSERT_GT(fs::file_size(gen + "/documents.jsonl"), 100000u);
  const int64_t before = BytesReadSoFar();
  ASSERT_TRUE(LoadStoryState(state).ok());
  const int64_t read = BytesReadSoFar() - before;
  EXPECT_LT(read, static_cast<int64_t>(files + files / 4)) << "the files hold " << files;
}

}  // namespace
}  // namespace storysift::state_test
