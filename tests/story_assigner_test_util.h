// Helpers shared by the StoryAssigner tests (story_assigner_test.cc: assignment,
// retention and concurrency; story_assigner_file_test.cc: Save/Load and formats).
#ifndef STORYSIFT_TESTS_STORY_ASSIGNER_TEST_UTIL_H_
#define STORYSIFT_TESTS_STORY_ASSIGNER_TEST_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
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

}  // namespace storysift::testing

#endif  // STORYSIFT_TESTS_STORY_ASSIGNER_TEST_UTIL_H_
