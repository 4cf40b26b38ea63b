// The state's archive grows with every day it has seen; a run must neither
// read nor rewrite it (each archive file is written once and carried on by
// hard link), yet every archived story and document stays known: re-runs
// of archived days, `report STATE_DIR`, `state verify` and `state recover`.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "state/generation_store.h"
#include "state_test_util.h"
#include "storysift/story_state.h"

namespace storysift::state_test {
namespace {

namespace fs = std::filesystem;

// Day `day` (2017-01-<day>): `n` articles on topics of that day only, so
// that every story of a day is idle, and archived, two days later with
// --retention-days 1.
void WriteTopicalDay(const std::string& path, int day, int n) {
  std::ofstream out(path);
  for (int i = 0; i < n; ++i) {
    const int topic = i % 3;
    std::string text;
    for (int w = 0; w < 40; ++w) {
      absl::StrAppend(&text, "day", day, "topic", topic, "word", (w * 7 + i) % 23, " ");
    }
    out << "{\"id\":\"d" << day << "-" << i << "\",\"title\":\"day " << day << " topic " << topic
        << "\",\"text\":\"" << text << "\",\"date\":\"2017-01-" << (day < 10 ? "0" : "") << day
        << "T08:00:00Z\"}\n";
  }
}

CliResult RunDay(const cli_test::TempDir& tmp, int day, const std::string& state) {
  return RunWithFault({"cluster", tmp / absl::StrCat("day", day, ".jsonl"), "--state", state,
                       "--retention-days", "1", "-o", tmp / absl::StrCat("out", day, ".jsonl"),
                       "-q"},
                      tmp.path());
}

size_t CountArchivedLines(const std::string& output) {
  std::ifstream in(output);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) n += line.find("\"archived\":true") != std::string::npos;
  return n;
}

ino_t Inode(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_ino;
}

StoryState Load(const std::string& dir) {
  absl::StatusOr<StoryState> state = LoadStoryState(dir);
  EXPECT_TRUE(state.ok()) << state.status();
  return state.ok() ? *std::move(state) : StoryState();
}

TEST(StateArchiveTest, EachArchiveFileIsWrittenOnceAndCarriedOnUnchanged) {
  const cli_test::TempDir tmp;
  const std::string state = tmp / "state";
  std::vector<std::string> archived_so_far;  // Story lines, as the outputs said.
  std::map<std::string, ino_t> first_seen;   // Archive file name -> its inode.
  for (int day = 1; day <= 6; ++day) {
    WriteTopicalDay(tmp / absl::StrCat("day", day, ".jsonl"), day, 12);
    const CliResult r = RunDay(tmp, day, state);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream out(tmp / absl::StrCat("out", day, ".jsonl"));
    for (std::string line; std::getline(out, line);) {
      if (line.find("\"archived\":true") != std::string::npos) archived_so_far.push_back(line);
    }
    const StoryState loaded = Load(state);
    // The archive reads back as every story the runs archived, in order.
    absl::StatusOr<std::vector<std::string>> lines = ReadArchivedStoryLines(loaded);
    ASSERT_TRUE(lines.ok()) << lines.status();
    EXPECT_EQ(*lines, archived_so_far) << "day " << day;
    // A file, once written, is the same file (inode) in every later
    // generation: no run rewrites what an earlier run archived.
    for (const std::vector<StateSegment>* files : {&loaded.archive, &loaded.retired}) {
      for (const StateSegment& f : *files) {
        auto [it, fresh] = first_seen.try_emplace(f.name, Inode(f.path));
        if (!fresh) {
          EXPECT_EQ(Inode(f.path), it->second) << f.name << " on day " << day;
        }
      }
    }
  }
  // Days 1-4 were archived on days 3-6, each day in files of its own.
  EXPECT_GE(CountArchivedLines(tmp / "out3.jsonl"), 3u);
  EXPECT_GE(first_seen.size(), 1u + 2u * 4u);  // archive.jsonl + 4 x (archive, retired).
  const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find(absl::StrCat(archived_so_far.size(), " archived stories")),
            std::string::npos)
      << verify.out;

  // Day 1 again, long after its stories were archived: known by the
  // archive's documents, nothing is read again.
  const CliResult again = RunWithFault({"cluster", tmp / "day1.jsonl", "--state", state,
                                        "--retention-days", "1", "-o", tmp / "again.jsonl"},
                                       tmp.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("12 already archived"), std::string::npos) << again.err;
  const StoryState after = Load(state);
  EXPECT_EQ(ReadArchivedStoryLines(after).value(), archived_so_far);
}

// A state of version 3 keeps its archive in one archive.jsonl and one
// retired.jsonl: the next run carries both on and adds files of its own.
TEST(StateArchiveTest, AVersionThreeArchiveIsCarriedOnAndStillKnown) {
  const cli_test::TempDir tmp;
  const std::string state = tmp / "state";
  for (int day = 1; day <= 3; ++day) {
    WriteTopicalDay(tmp / absl::StrCat("day", day, ".jsonl"), day, 9);
    ASSERT_EQ(RunDay(tmp, day, state).exit_code, 0);
  }
  // Rewrite the live generation as version 3 wrote it: one file each.
  {
    absl::StatusOr<FileLock> lock = LockStoryStateForUpdate(state, 0);
    ASSERT_TRUE(lock.ok()) << lock.status();
    const StoryState v4 = Load(state);
    const std::vector<std::string> lines = ReadArchivedStoryLines(v4).value();
    ASSERT_FALSE(lines.empty());
    std::string archive, retired;
    for (const std::string& l : lines) absl::StrAppend(&archive, l, "\n");
    for (const StateSegment& f : v4.retired) {
      std::ifstream in(f.path);
      retired.append(std::istreambuf_iterator<char>(in), {});
    }
    const std::string gen = fs::path(v4.documents_path).parent_path().string();
    auto read = [&](const char* name) {
      std::ifstream in(gen + "/" + name);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    std::string meta = read("meta.json");
    meta.replace(meta.find("\"version\":4"), 11, "\"version\":3");
    ASSERT_TRUE(internal::CommitGeneration(state, v4.generation,
                                           {{"meta.json", meta},
                                            {"stories.jsonl", read("stories.jsonl")},
                                            {"documents.jsonl", read("documents.jsonl")},
                                            {"archive.jsonl", archive},
                                            {"retired.jsonl", retired}})
                    .ok());
  }
  const StoryState v3 = Load(state);
  ASSERT_EQ(v3.archive.size(), 1u);
  const std::vector<std::string> old_lines = ReadArchivedStoryLines(v3).value();
  WriteTopicalDay(tmp / "day4.jsonl", 4, 9);
  ASSERT_EQ(RunDay(tmp, 4, state).exit_code, 0);
  const StoryState next = Load(state);
  const std::vector<std::string> lines = ReadArchivedStoryLines(next).value();
  ASSERT_GT(lines.size(), old_lines.size());
  EXPECT_TRUE(std::equal(old_lines.begin(), old_lines.end(), lines.begin()));
  EXPECT_EQ(Inode(next.archive.front().path), Inode(v3.archive.front().path));
  // Day 1's documents are known from the old retired.jsonl.
  const CliResult again = RunWithFault({"cluster", tmp / "day1.jsonl", "--state", state,
                                        "--retention-days", "1", "-o", tmp / "again.jsonl"},
                                       tmp.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("9 already archived"), std::string::npos) << again.err;
}

// One physical copy of each archive file (shared by the generations), so a
// damaged one cannot be recovered by going back: `state verify` names it,
// and `state recover` drops it, keeping it aside and the stories as they are.
TEST(StateArchiveTest, ADamagedArchiveFileIsNamedAndDroppedByRecover) {
  const cli_test::TempDir tmp;
  const std::string state = tmp / "state";
  for (int day = 1; day <= 4; ++day) {
    WriteTopicalDay(tmp / absl::StrCat("day", day, ".jsonl"), day, 9);
    ASSERT_EQ(RunDay(tmp, day, state).exit_code, 0);
  }
  const StoryState before = Load(state);
  ASSERT_GE(before.archive.size(), 2u);
  const StateSegment damaged = before.archive[1];  // The first numbered file.
  {
    std::fstream f(damaged.path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5);
    f.put('#');
  }
  const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
  EXPECT_EQ(verify.exit_code, 1) << verify.out;
  EXPECT_NE(verify.err.find(damaged.name), std::string::npos) << verify.err;
  EXPECT_NE(verify.err.find("checksum"), std::string::npos) << verify.err;

  const CliResult recover = RunWithFault({"state", "recover", state}, tmp.path());
  ASSERT_EQ(recover.exit_code, 0) << recover.err;
  EXPECT_NE(recover.out.find("lost: " + damaged.name), std::string::npos) << recover.out;
  EXPECT_TRUE(fs::exists(state + "/damaged-" + damaged.name));
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
  const StoryState after = Load(state);
  EXPECT_EQ(StateIds(state).size(), 0u + [&] {
    size_t n = 0;
    for (const StoredStory& s : before.stories) n += s.members.size();
    return n;
  }());
  EXPECT_EQ(after.archive.size(), before.archive.size() - 1);
  // And the next day runs.
  WriteTopicalDay(tmp / "day5.jsonl", 5, 9);
  EXPECT_EQ(RunDay(tmp, 5, state).exit_code, 0);
}

}  // namespace
}  // namespace storysift::state_test
