// Helpers for the crash and safety harness of `cluster --state` and the
// index (state_crash_test.cc, state_safety_test.cc): generated news days
// with known ids, CLI runs with a fault planted through STORYSIFT_FAULT,
// and what a state directory holds, read back through the public API.
#ifndef STORYSIFT_TESTS_STATE_TEST_UTIL_H_
#define STORYSIFT_TESTS_STATE_TEST_UTIL_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli_test_util.h"
#include "gtest/gtest.h"
#include "state/fault_point.h"
#include "state/generation_store.h"
#include "state/state_segments.h"
#include "storysift/story_state.h"

namespace storysift::state_test {

using cli_test::CliResult;

// Field names of a generated day.
struct DayFields {
  std::string id = "id", title = "title", text = "text", date = "date";
};

// `n` articles for day `day` (2017-03-<day>, 1 to 31): ids "d<day>-<i>", each about
// one of a few topics (so they form stories, some spanning days), written
// as JSON lines with `fields`. Returns the ids.
inline std::vector<std::string> WriteDay(const std::string& path, int day, int n,
                                         const DayFields& fields = {}) {
  static const char* kTopics[][6] = {
      {"senate", "hearing", "ambassador", "russia", "sessions", "testimony"},
      {"oil", "prices", "opec", "barrels", "crude", "output"},
      {"wheat", "harvest", "drought", "farmers", "grain", "exports"},
      {"central", "bank", "rates", "inflation", "currency", "lending"},
      {"election", "campaign", "voters", "polls", "candidate", "debate"},
      {"storm", "flooding", "rescue", "coast", "evacuation", "rainfall"},
  };
  std::mt19937 rng(static_cast<uint32_t>(day * 7919 + n));
  std::ofstream out(path);
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    const auto& topic = kTopics[(i + day) % 6];
    std::string text;
    for (int w = 0; w < 60; ++w) {
      absl::StrAppend(&text, topic[rng() % 6], " ", "word", rng() % 400, " ");
    }
    const std::string id = absl::StrCat("d", day, "-", i);
    out << "{\"" << fields.id << "\":\"" << id << "\",\"" << fields.title << "\":\"" << topic[0]
        << " " << topic[1] << " report " << i << "\",\"" << fields.text << "\":\"" << text
        << "\",\"" << fields.date << "\":\"2017-03-" << (day < 10 ? "0" : "") << day << "T0" << (i % 10) << ":00:00Z\"}\n";
    ids.push_back(id);
  }
  return ids;
}

// Day `day` (2017-01-<day>): `n` articles on topics of that day only, ids
// "d<day>-<i>", so that every story of a day is idle, and archived, two
// days later with --retention-days 1.
inline void WriteTopicalDay(const std::string& path, int day, int n) {
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

// Commits the live generation of `state` again with `files` in place of its
// retired files' id lists (none: the state as written before the lists).
inline void ReplaceIdLists(const std::string& state,
                           const std::vector<std::pair<std::string, std::string>>& files = {}) {
  absl::StatusOr<FileLock> lock = LockStoryStateForUpdate(state, 0);
  ASSERT_TRUE(lock.ok()) << lock.status();
  const uint64_t current = internal::ReadCurrent(state).value();
  const internal::Manifest manifest = internal::ReadManifest(state, current).value();
  std::vector<internal::ManifestEntry> carried;
  for (const internal::ManifestEntry& e : manifest.files) {
    if (!internal::IsRetiredIdList(e.name)) carried.push_back(e);
  }
  ASSERT_TRUE(internal::CommitGeneration(state, current, files, carried).ok());
}

// A `cluster --state` run of `day` writing its stories to `out`, quietly.
inline std::vector<std::string> ClusterArgs(const std::string& day, const std::string& state,
                                     const std::string& out) {
  return {"cluster", day, "--state", state, "-o", out, "-q"};
}

// Only what a committed state needs is left: CURRENT, LOCK, OUTPUTS, the
// live generation and the one before it.
inline void ExpectStateHoldsNoOrphans(const std::string& dir) {
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name == "CURRENT" || name == "LOCK" || name == "OUTPUTS" ||
                name.rfind("gen-", 0) == 0)
        << name;
  }
  size_t generations = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    generations += e.path().filename().string().rfind("gen-", 0) == 0;
  }
  EXPECT_LE(generations, 2u);
}

// The exit code of a run stopped by STORYSIFT_FAULT.
inline constexpr int kFaultExit = internal::kFaultExitCode;

// Runs the CLI with STORYSIFT_FAULT=`fault` ("" for none) in its environment.
inline CliResult RunWithFault(const std::vector<std::string>& args, const std::string& scratch,
                              const std::string& fault = "") {
  if (!fault.empty()) ::setenv("STORYSIFT_FAULT", fault.c_str(), 1);
  CliResult r = cli_test::RunCli(args, scratch);
  ::unsetenv("STORYSIFT_FAULT");
  return r;
}

// Ids of every document the committed state holds; fails the test (and
// returns {}) when the state does not load.
inline std::set<std::string> StateIds(const std::string& dir) {
  absl::StatusOr<StoryState> state = LoadStoryState(dir);
  EXPECT_TRUE(state.ok()) << state.status();
  std::set<std::string> ids;
  if (!state.ok()) return ids;
  for (const StoredStory& s : state->stories) {
    for (const StoryStateMember& m : s.members) ids.insert(m.id);
  }
  return ids;
}

// Story id of each document in the committed state.
inline std::map<std::string, std::string> StoryOf(const std::string& dir) {
  std::map<std::string, std::string> out;
  absl::StatusOr<StoryState> state = LoadStoryState(dir);
  if (!state.ok()) return out;
  for (const StoredStory& s : state->stories) {
    for (const StoryStateMember& m : s.members) out[m.id] = s.story_id;
  }
  return out;
}

inline std::set<std::string> Union(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b = {}) {
  std::set<std::string> s(a.begin(), a.end());
  s.insert(b.begin(), b.end());
  return s;
}

}  // namespace storysift::state_test

#endif  // STORYSIFT_TESTS_STATE_TEST_UTIL_H_
