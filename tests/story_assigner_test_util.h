// Helpers shared by the StoryAssigner tests (story_assigner_test.cc: assignment,
// retention and concurrency; story_assigner_file_test.cc: Save/Load and formats).
#ifndef STORYSIFT_TESTS_STORY_ASSIGNER_TEST_UTIL_H_
#define STORYSIFT_TESTS_STORY_ASSIGNER_TEST_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "story_test_util.h"
#include "storysift/story_assigner.h"

namespace storysift::testing {

inline std::vector<Document> DocsOf(const std::vector<std::string>& texts) {
  std::vector<Document> docs(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    docs[i].id = absl::StrCat("d", i);
    docs[i].text = texts[i];
  }
  return docs;
}

// Well-separated generated stories: 6 groups x 20 documents, interleaved.
inline std::vector<Document> GeneratedDocs(std::vector<int>* gold = nullptr) {
  testing::GeneratedCorpus c = Generate(6, 20, 30, 8, 7);
  if (gold != nullptr) *gold = c.gold;
  return DocsOf(c.texts);
}

inline std::unique_ptr<StoryAssigner> Make(StoryAssignerOptions o = {},
                                           const IdfModel* idf = nullptr) {
  absl::StatusOr<std::unique_ptr<StoryAssigner>> a = StoryAssigner::Create(o, idf);
  EXPECT_TRUE(a.ok()) << a.status();
  return *std::move(a);
}

// Stories (members as ordinals) from verdicts, in the form PairwiseScores takes.
inline std::vector<Story> StoriesOf(const std::vector<StoryVerdict>& verdicts) {
  std::map<std::string, Story> by_id;
  for (size_t i = 0; i < verdicts.size(); ++i) {
    by_id[verdicts[i].story_id].members.push_back(static_cast<DocOrdinal>(i));
  }
  std::vector<Story> out;
  for (auto& [id, s] : by_id) out.push_back(std::move(s));
  return out;
}

inline std::vector<StoryVerdict> AddAll(StoryAssigner& a, const std::vector<Document>& docs,
                                        size_t begin = 0, size_t end = SIZE_MAX) {
  std::vector<StoryVerdict> out;
  for (size_t i = begin; i < std::min(end, docs.size()); ++i) {
    absl::StatusOr<StoryVerdict> v = a.Add(docs[i]);
    EXPECT_TRUE(v.ok()) << v.status();
    out.push_back(v.ok() ? *v : StoryVerdict{});
  }
  return out;
}

inline void ExpectSameVerdict(const StoryVerdict& a, const StoryVerdict& b,
                              const std::string& what) {
  EXPECT_EQ(a.story_id, b.story_id) << what;
  EXPECT_EQ(a.is_new_story, b.is_new_story) << what;
  EXPECT_EQ(a.similarity, b.similarity) << what;  // Bit-identical.
  EXPECT_EQ(a.label, b.label) << what;
}

inline constexpr int64_t kDay = 86400;
inline constexpr int64_t k1987 = 541'555'200;  // 1987-03-01T00:00:00Z.

// The generated stories (6 groups), 6 articles a day from `first_day` on:
// day d holds documents 6d .. 6d + 5, one of each story.
inline std::vector<Document> DailyDocs(size_t count, int64_t first_day) {
  std::vector<Document> docs = GeneratedDocs();
  docs.resize(count);
  for (size_t i = 0; i < docs.size(); ++i) {
    docs[i].published = first_day + static_cast<int64_t>(i / 6) * kDay;
  }
  return docs;
}

inline StoryAssignerOptions WeekWindow() {
  StoryAssignerOptions o;
  o.retention_seconds = 7 * kDay;
  o.clock_seconds = k1987 + 30 * 365 * kDay;  // The run's clock: 2017.
  return o;
}

inline Document Dated(std::string id, const Document& like, int64_t published) {
  Document d = like;
  d.id = std::move(id);
  d.published = published;
  return d;
}

}  // namespace storysift::testing

#endif  // STORYSIFT_TESTS_STORY_ASSIGNER_TEST_UTIL_H_
