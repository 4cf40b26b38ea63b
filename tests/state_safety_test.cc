// Safety of the daily state and the index beyond crashes: damage of every
// kind refused naming the file (and recovered on purpose), cron re-runs,
// the state's own schema under a custom field mapping, a full disk, the
// lock's exit code, version-1 states, symlinks, and outputs that would
// collide or overwrite an input.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "gtest/gtest.h"
#include "state_test_util.h"
#include "storysift/file_lock.h"

namespace storysift::state_test {
namespace {

namespace fs = std::filesystem;
using cli_test::ReadFileOrEmpty;
using cli_test::WriteFile;

// The committed generation's directory.
std::string LiveGeneration(const std::string& state) {
  absl::StatusOr<StoryState> s = LoadStoryState(state);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? fs::path(s->documents_path).parent_path().string() : "";
}

TEST(StateSafetyTest, EveryDamagedFileIsRefusedByNameAndRecoverable) {
  const cli_test::TempDir tmp;
  const auto day1 = WriteDay(tmp / "d1", 1, 30);
  const auto day2 = WriteDay(tmp / "d2", 2, 30);
  const std::string base = tmp / "base", state = tmp / "state";
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d1", base, tmp / "o"), tmp.path()).exit_code, 0);
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d2", base, tmp / "o"), tmp.path()).exit_code, 0);
  int damaged = 0;
  for (const char* file : {"meta.json", "stories.jsonl", "documents.jsonl", "archive.jsonl",
                           "MANIFEST", "../CURRENT"}) {
    for (const char* how : {"truncated", "bit-flipped"}) {
      fs::remove_all(state);
      fs::copy(base, state, fs::copy_options::recursive);
      const std::string path = LiveGeneration(state) + "/" + file;
      std::string bytes = ReadFileOrEmpty(path);
      if (std::string(how) == "truncated") {
        bytes = bytes.empty() ? "x" : bytes.substr(0, bytes.size() / 2);  // Empty: grown.
      } else {
        if (bytes.empty()) bytes = " ";
        bytes[bytes.size() / 3] ^= 0x10;
      }
      WriteFile(path, bytes);
      ++damaged;
      const std::string what = absl::StrCat(file, " ", how);
      const std::string name = fs::path(path).filename().string();
      fs::remove(tmp / "o3");
      const CliResult run = RunWithFault(ClusterArgs(tmp / "d1", state, tmp / "o3"), tmp.path());
      EXPECT_EQ(run.exit_code, 1) << what;
      EXPECT_NE(run.err.find(name), std::string::npos) << what << ": " << run.err;
      EXPECT_FALSE(fs::exists(tmp / "o3")) << what;
      const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
      EXPECT_EQ(verify.exit_code, 1) << what;
      EXPECT_NE(verify.err.find(name), std::string::npos) << what << ": " << verify.err;
      // Recovery on purpose: back to day 1, saying what day 2 added is lost;
      // with only CURRENT damaged, the newest complete generation (day 2);
      // an archive file, which generations share, is not gone back for:
      // the copy day 1's generation holds is intact (fs::copy made the
      // links copies) and takes its place.
      const CliResult recover = RunWithFault({"state", "recover", state}, tmp.path());
      ASSERT_EQ(recover.exit_code, 0) << what << ": " << recover.err;
      const bool pointer = std::string(file) == "../CURRENT";
      const bool archive = std::string(file) == "archive.jsonl";
      EXPECT_NE(recover.out.find(archive ? "restored: archive.jsonl" : "lost"), std::string::npos)
          << recover.out;
      EXPECT_EQ(StateIds(state), pointer || archive ? Union(day1, day2) : Union(day1)) << what;
      if (!pointer && !archive) {
        EXPECT_NE(recover.out.find("lost: 30 documents"), std::string::npos) << recover.out;
      }
      EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0) << what;
      ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d2", state, tmp / "o3"), tmp.path()).exit_code, 0);
      EXPECT_EQ(StateIds(state), Union(day1, day2)) << what;
    }
  }
  std::printf("damaged state files: %d, each refused by name and recovered\n", damaged);
}

TEST(StateSafetyTest, DamagedIndexIsRefusedAndLeftAlone) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 50);
  const std::string index = tmp / "x.idx";
  ASSERT_EQ(RunWithFault({"index", "build", tmp / "d1", "-o", index}, tmp.path()).exit_code, 0);
  const std::string good = ReadFileOrEmpty(index);
  int damaged = 0;
  for (size_t at : {size_t{3}, size_t{20}, good.size() / 2, good.size() - 1}) {
    for (bool truncate : {true, false}) {
      std::string bad = good;
      if (truncate) {
        bad.resize(at);
      } else {
        bad[at] ^= 0x04;
      }
      WriteFile(index, bad);
      ++damaged;
      for (const char* command : {"add", "query", "info"}) {
        std::vector<std::string> args = {"index", command, index};
        if (std::string(command) != "info") args.push_back(tmp / "d1");
        const CliResult r = RunWithFault(args, tmp.path());
        EXPECT_EQ(r.exit_code, 1) << command << " at " << at;
        EXPECT_NE(r.err.find("index"), std::string::npos) << r.err;
      }
      EXPECT_EQ(ReadFileOrEmpty(index), bad);  // Never replaced by a failed add.
    }
  }
  std::printf("damaged index files: %d, each refused\n", damaged);
}

TEST(StateSafetyTest, CronRerunOfTheSameDayChangesNothing) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 60);
  WriteDay(tmp / "d2", 2, 60);
  const std::string state = tmp / "state";
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d1", state, tmp / "o1"), tmp.path()).exit_code, 0);
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d2", state, tmp / "o2"), tmp.path()).exit_code, 0);
  const auto before = StoryOf(state);
  const std::string first = ReadFileOrEmpty(LiveGeneration(state) + "/stories.jsonl");
  const CliResult again =
      RunWithFault({"cluster", tmp / "d2", "--state", state, "-o", tmp / "o3"}, tmp.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("0 duplicate ids"), std::string::npos) << again.err;
  EXPECT_EQ(StoryOf(state), before);  // Same documents, same story ids.
  EXPECT_EQ(ReadFileOrEmpty(LiveGeneration(state) + "/stories.jsonl"), first);
  size_t lines = 0;
  for (const std::string& line : cli_test::SplitLines(ReadFileOrEmpty(tmp / "o3"))) {
    ++lines;
    EXPECT_EQ(cli_test::JsonField(line, "status"), "unchanged") << line;
    EXPECT_EQ(line.find("\"new\":true"), std::string::npos) << line;
    EXPECT_EQ(line.find("copy_of\":\""), std::string::npos) << line;
  }
  EXPECT_GT(lines, 0u);
  // A known id with new text is an update: same story, status updated.
  std::string d2 = ReadFileOrEmpty(tmp / "d2");
  const size_t at = d2.find("\"text\":\"") + 8;
  d2.insert(at, "breaking correction ");
  WriteFile(tmp / "d2b", d2.substr(0, d2.find('\n') + 1));
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d2b", state, tmp / "o4"), tmp.path()).exit_code, 0);
  EXPECT_EQ(StoryOf(state), before);
  const std::string out = ReadFileOrEmpty(tmp / "o4");
  EXPECT_NE(out.find("\"status\":\"updated\""), std::string::npos);
}

TEST(StateSafetyTest, CustomFieldMappingAcrossThreeDaysKeepsEveryStory) {
  const cli_test::TempDir tmp;
  DayFields fields{"key", "headline_text", "story_text", "when"};
  std::set<std::string> all;
  std::map<std::string, std::string> day1_story;
  const std::string state = tmp / "state";
  for (int d = 1; d <= 3; ++d) {
    const auto ids = WriteDay(tmp / absl::StrCat("d", d), d, 50, fields);
    all.insert(ids.begin(), ids.end());
    const CliResult r =
        RunWithFault({"cluster", tmp / absl::StrCat("d", d), "--state", state, "-o", tmp / "o",
                      "--text-field", "story_text", "--id-field", "key", "--date-field", "when",
                      "--title-field", "headline_text", "--strict"},
                     tmp.path());
    ASSERT_EQ(r.exit_code, 0) << "day " << d << ": " << r.err;
    EXPECT_EQ(r.err.find("missing_text"), std::string::npos) << r.err;
    EXPECT_EQ(StateIds(state), std::set<std::string>(all.begin(), all.end())) << "day " << d;
    if (d == 1) day1_story = StoryOf(state);
  }
  // Day-1 articles are still in their day-1 stories (or the story theirs merged
  // into).
  const auto now = StoryOf(state);
  size_t same = 0;
  for (const auto& [id, story] : day1_story) same += now.at(id) == story;
  EXPECT_GT(same, day1_story.size() / 2);
}

// Three Reuters days (March 2-4 1987: 565, 499, 455 articles) with renamed
// fields: the case, where day 2 read the state back with the user's
// mapping.
TEST(StateSafetyTest, ReutersDaysWithCustomFieldsKeepIdsStableAndRerunIdempotent) {
  std::ifstream in(std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578/reuters.jsonl");
  if (!in) GTEST_SKIP() << "shared Reuters data absent";
  const cli_test::TempDir tmp;
  const char* kDays[] = {"1987-03-02", "1987-03-03", "1987-03-04"};
  std::ofstream days[3] = {std::ofstream(tmp / "r1"), std::ofstream(tmp / "r2"),
                           std::ofstream(tmp / "r3")};
  std::string line;
  size_t counts[3] = {0, 0, 0};
  while (std::getline(in, line)) {
    for (int d = 0; d < 3; ++d) {
      if (line.find(absl::StrCat("\"date\": \"", kDays[d])) == std::string::npos) continue;
      // Key names cannot occur unescaped inside JSON strings.
      for (const auto& [from, to] :
           {std::pair<std::string, std::string>{"\"text\": ", "\"story_text\": "},
            {"\"id\": ", "\"key\": "},
            {"\"date\": ", "\"when\": "}}) {
        line.replace(line.find(from), from.size(), to);
      }
      days[d] << line << "\n";
      ++counts[d];
    }
  }
  for (auto& f : days) f.close();
  const std::string state = tmp / "state";
  std::map<std::string, std::string> first_story, merged_into;
  size_t total = 0;
  for (int d = 0; d < 3; ++d) {
    const std::string out = tmp / absl::StrCat("o", d);
    const CliResult r =
        RunWithFault({"cluster", tmp / absl::StrCat("r", d + 1), "--state", state, "-o", out,
                      "--text-field", "story_text", "--id-field", "key", "--date-field", "when"},
                     tmp.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("missing_text"), std::string::npos);
    total += counts[d];
    const auto now = StoryOf(state);
    EXPECT_EQ(now.size(), total) << "day " << d + 1;
    for (const std::string& l : cli_test::SplitLines(ReadFileOrEmpty(out))) {
      if (cli_test::JsonField(l, "status") == "merged") {
        merged_into[cli_test::JsonField(l, "story_id")] = cli_test::JsonField(l, "merged_into");
      }
    }
    // No old article changes story, except by its story merging.
    for (const auto& [id, story] : first_story) {
      std::string where = story;
      while (merged_into.count(where)) where = merged_into[where];
      EXPECT_EQ(now.at(id), where) << id;
    }
    for (const auto& [id, story] : now) first_story.emplace(id, story);
  }
  // A cron retry of day 3 changes nothing.
  const auto before = StoryOf(state);
  const CliResult again =
      RunWithFault({"cluster", tmp / "r3", "--state", state, "-o", tmp / "o4", "--text-field",
                    "story_text", "--id-field", "key", "--date-field", "when"},
                   tmp.path());
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("0 duplicate ids"), std::string::npos) << again.err;
  EXPECT_EQ(StoryOf(state), before);
  for (const std::string& l : cli_test::SplitLines(ReadFileOrEmpty(tmp / "o4"))) {
    EXPECT_EQ(cli_test::JsonField(l, "status"), "unchanged");
  }
  std::printf("Reuters days %zu + %zu + %zu articles: %zu merges, ids stable\n", counts[0],
              counts[1], counts[2], merged_into.size());
}

TEST(StateSafetyTest, FullDiskLeavesStateIndexAndOutputAsTheyWere) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  const cli_test::TempDir tmp;
  const std::string mnt = tmp / "small";
  fs::create_directories(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=640k") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here";
  }
  WriteDay(tmp / "d1", 1, 20);
  WriteDay(tmp / "d2", 2, 600);  // ~550 KB of state: does not fit twice.
  const std::string state = mnt + "/state";
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d1", state, mnt + "/out"), tmp.path()).exit_code, 0);
  const std::string out_before = ReadFileOrEmpty(mnt + "/out");
  // Without -q: the summary, printed only once the state is committed, is
  // not there to claim the day's stories.
  const CliResult full =
      RunWithFault({"cluster", tmp / "d2", "--state", state, "-o", mnt + "/out"}, tmp.path());
  EXPECT_EQ(full.exit_code, 1) << full.err;
  EXPECT_NE(full.err.find("No space"), std::string::npos) << full.err;
  EXPECT_EQ(full.err.find("new stories"), std::string::npos) << full.err;
  EXPECT_EQ(full.err.find("processed"), std::string::npos) << full.err;
  EXPECT_EQ(StateIds(state).size(), 20u);
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
  EXPECT_EQ(ReadFileOrEmpty(mnt + "/out"), out_before);
  // The index and its verdicts: the old index stays live.
  const std::string index = mnt + "/x.idx";
  fs::remove_all(state);
  fs::remove(mnt + "/out");
  ASSERT_EQ(RunWithFault({"index", "build", tmp / "d1", "-o", index}, tmp.path()).exit_code, 0);
  const std::string idx_before = ReadFileOrEmpty(index);
  WriteFile(mnt + "/filler", std::string(560 * 1024, 'x'));
  const CliResult add =
      RunWithFault({"index", "add", index, tmp / "d2", "-v", mnt + "/verdicts"}, tmp.path());
  EXPECT_EQ(add.exit_code, 1) << add.err;
  EXPECT_EQ(ReadFileOrEmpty(index), idx_before);
  EXPECT_FALSE(fs::exists(mnt + "/verdicts"));
  ::umount(mnt.c_str());
}

// Two records with one id in a day's input: the state keeps one document
// per id, the last version (as a later day's record would replace it), says
// so, and a re-run of the day changes nothing.
TEST(StateSafetyTest, RepeatedIdInOneDayKeepsTheLastVersion) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 30);
  std::string day = ReadFileOrEmpty(tmp / "d1");
  day += "{\"id\":\"x1\",\"title\":\"Cocoa\",\"text\":\"Cocoa prices rose in Ghana as "
         "traders bought beans\",\"date\":\"2017-03-01T05:00:00Z\"}\n"
         "{\"id\":\"x1\",\"title\":\"Zebras\",\"text\":\"Zebras crossed the river in the "
         "Serengeti at dawn\",\"date\":\"2017-03-01T06:00:00Z\"}\n";
  WriteFile(tmp / "day", day);
  const std::string state = tmp / "state";
  const CliResult first = RunWithFault(
      {"cluster", tmp / "day", "--state", state, "-o", tmp / "o1", "--report", tmp / "r1"},
      tmp.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // The earlier version is accounted for: a skipped record, so --strict fails.
  const std::string report = ReadFileOrEmpty(tmp / "r1");
  EXPECT_NE(report.find("\"skipped_by_reason\":{\"superseded_id\":1}"), std::string::npos)
      << report;
  EXPECT_NE(report.find("\"read\":32"), std::string::npos) << report;
  EXPECT_EQ(RunWithFault({"cluster", tmp / "day", "--state", tmp / "strict", "-o", tmp / "o0",
                          "--strict"},
                         tmp.path())
                .exit_code,
            1);
  absl::StatusOr<StoryState> loaded = LoadStoryState(state);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  size_t x1 = 0;
  for (const StoredStory& story : loaded->stories) {
    for (const StoryStateMember& m : story.members) x1 += m.id == "x1";
  }
  EXPECT_EQ(x1, 1u);
  EXPECT_EQ(StateIds(state).size(), 31u);
  const std::string docs = ReadFileOrEmpty(loaded->documents_path);
  EXPECT_NE(docs.find("Serengeti"), std::string::npos);
  EXPECT_EQ(docs.find("Ghana"), std::string::npos);
  const auto before = StoryOf(state);
  const CliResult again =
      RunWithFault({"cluster", tmp / "day", "--state", state, "-o", tmp / "o2"}, tmp.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(StoryOf(state), before);
  for (const std::string& line : cli_test::SplitLines(ReadFileOrEmpty(tmp / "o2"))) {
    EXPECT_EQ(cli_test::JsonField(line, "status"), "unchanged") << line;
  }
}

// An article dated decades ahead is warned of in the run it arrives in (even
// with -q); later runs, which cap its date again, say nothing of it but
// count it in the state's line. The warning came again in every run.
TEST(StateSafetyTest, FutureDatedArticleIsWarnedOfOnceThenCounted) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 20);
  WriteFile(tmp / "d1", ReadFileOrEmpty(tmp / "d1") +
                            "{\"id\":\"ahead\",\"title\":\"Zebras\",\"text\":\"Zebras crossed "
                            "the river in the Serengeti at dawn\",\"date\":\"2071-03-12\"}\n");
  WriteDay(tmp / "d2", 2, 20);
  const std::string state = tmp / "state";
  const CliResult first = RunWithFault(ClusterArgs(tmp / "d1", state, tmp / "o1"), tmp.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("warning: 1 new or updated articles dated after"), std::string::npos)
      << first.err;
  for (const char* day : {"d2", "d1"}) {  // The next day, then day 1 again.
    const CliResult later = RunWithFault(ClusterArgs(tmp / day, state, tmp / "o2"), tmp.path());
    ASSERT_EQ(later.exit_code, 0) << later.err;
    EXPECT_EQ(later.err.find("dated after"), std::string::npos) << day << ": " << later.err;
    const CliResult loud =
        RunWithFault({"cluster", tmp / day, "--state", state, "-o", tmp / "o3"}, tmp.path());
    ASSERT_EQ(loud.exit_code, 0) << loud.err;
    EXPECT_EQ(loud.err.find("dated after"), std::string::npos) << day << ": " << loud.err;
    EXPECT_NE(loud.err.find(", 1 held dated past the latest credible date"), std::string::npos)
        << day << ": " << loud.err;
  }
}

// The options that shape the stories are recorded at each commit. A day run
// with other ones re-clustered the retained stories without a word: it is a
// usage error (exit 2) naming each change, writing nothing and keeping the
// state, unless --accept-option-change, which records the new ones. Options
// that shape nothing (threads, -q, --wait, --report, outputs) are not
// compared; an IDF model counts by its contents, not its path.
TEST(StateSafetyTest, ChangedStoryOptionsAreRefusedUnlessAccepted) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 30);
  WriteDay(tmp / "d2", 2, 30);
  const std::string state = tmp / "state";
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d1", state, tmp / "o1"), tmp.path()).exit_code, 0);
  const auto before = StoryOf(state);
  const std::string live = LiveGeneration(state);
  const CliResult refused =
      RunWithFault({"cluster", tmp / "d2", "--state", state, "-o", tmp / "o2", "--stem",
                    "--story-threshold", "0.3", "--html", tmp / "o2.html"},
                   tmp.path());
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  for (const char* part : {"--story-threshold: recorded 0.2, now 0.3",
                           "--stem: recorded false, now true", "--accept-option-change"}) {
    EXPECT_NE(refused.err.find(part), std::string::npos) << part << " in " << refused.err;
  }
  EXPECT_FALSE(fs::exists(tmp / "o2"));
  EXPECT_FALSE(fs::exists(tmp / "o2.html"));
  EXPECT_EQ(StoryOf(state), before);
  EXPECT_EQ(LiveGeneration(state), live);
  const CliResult others =
      RunWithFault({"cluster", tmp / "d2", "--state", state, "-o", tmp / "o2", "--threads", "1",
                    "--wait", "2", "--report", tmp / "r2", "--format", "text", "-q"},
                   tmp.path());
  EXPECT_EQ(others.exit_code, 0) << others.err;
  const CliResult accepted =
      RunWithFault({"cluster", tmp / "d2", "--state", state, "-o", tmp / "o3",
                    "--story-threshold", "0.3", "--accept-option-change"},
                   tmp.path());
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_NE(accepted.err.find("options changed and recorded: --story-threshold 0.2 -> 0.3"),
            std::string::npos)
      << accepted.err;
  std::vector<std::string> args = ClusterArgs(tmp / "d2", state, tmp / "o4");
  args.insert(args.end(), {"--story-threshold", "0.3"});
  EXPECT_EQ(RunWithFault(args, tmp.path()).exit_code, 0);
  const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
  EXPECT_NE(verify.out.find("story_threshold=0.3, "), std::string::npos) << verify.out;
  // The IDF model: by contents.
  ASSERT_EQ(RunWithFault({"idf", "build", tmp / "d1", "-o", tmp / "m1"}, tmp.path()).exit_code,
            0);
  ASSERT_EQ(RunWithFault({"idf", "build", tmp / "d2", "-o", tmp / "m2"}, tmp.path()).exit_code,
            0);
  fs::copy_file(tmp / "m1", tmp / "m1-copy");
  args.insert(args.end(), {"--idf", tmp / "m1"});
  const CliResult no_model = RunWithFault(args, tmp.path());
  EXPECT_EQ(no_model.exit_code, 2);
  EXPECT_NE(no_model.err.find("--idf: recorded none, now "), std::string::npos) << no_model.err;
  args.push_back("--accept-option-change");
  ASSERT_EQ(RunWithFault(args, tmp.path()).exit_code, 0);
  args.pop_back();
  args.back() = tmp / "m1-copy";
  EXPECT_EQ(RunWithFault(args, tmp.path()).exit_code, 0);
  args.back() = tmp / "m2";
  EXPECT_EQ(RunWithFault(args, tmp.path()).exit_code, 2);
  // Without a state there is nothing to accept: a usage error, not ignored.
  EXPECT_EQ(RunWithFault({"cluster", tmp / "d1", "-o", tmp / "o5", "--accept-option-change"},
                         tmp.path())
                .exit_code,
            2);
}

TEST(StateSafetyTest, SecondWriterExitsThreeOrWaits) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 20);
  const std::string state = tmp / "state";
  fs::create_directories(state);
  {
    absl::StatusOr<FileLock> held = FileLock::Acquire(StateLockPath(state), LockMode::kExclusive);
    ASSERT_TRUE(held.ok());
    const CliResult r = RunWithFault(ClusterArgs(tmp / "d1", state, tmp / "o"), tmp.path());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("locked by another storysift process"), std::string::npos) << r.err;
    const CliResult waited = RunWithFault(
        {"cluster", tmp / "d1", "--state", state, "-o", tmp / "o", "--wait", "0.3"}, tmp.path());
    EXPECT_EQ(waited.exit_code, 3);
    const std::string index = tmp / "x.idx";
    absl::StatusOr<FileLock> index_lock =
        FileLock::Acquire(IndexLockPath(index), LockMode::kExclusive);
    ASSERT_TRUE(index_lock.ok());
    EXPECT_EQ(RunWithFault({"index", "build", tmp / "d1", "-o", index}, tmp.path()).exit_code, 3);
    EXPECT_FALSE(fs::exists(index));
  }
  EXPECT_EQ(RunWithFault(ClusterArgs(tmp / "d1", state, tmp / "o"), tmp.path()).exit_code, 0);
  EXPECT_EQ(StateIds(state).size(), 20u);
}

}  // namespace
}  // namespace storysift::state_test
