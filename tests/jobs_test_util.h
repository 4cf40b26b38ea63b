// Helpers shared by the job tests (jobs_test.cc, state_job_test.cc): the
// seed corpus and the batch story job over files, and a story-by-story
// comparison of two results.
#ifndef STORYSIFT_TESTS_JOBS_TEST_UTIL_H_
#define STORYSIFT_TESTS_JOBS_TEST_UTIL_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/jobs.h"

namespace storysift::jobs_test {

inline const std::string kSeedsDir = std::string(STORYSIFT_DATA_DIR) + "/seeds";

inline ClusterResult ClusterInput(InputStream& input, const RunContext& context = {}) {
  auto result = RunCluster(ClusterJobOptions(), input, context);
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}

inline ClusterResult ClusterPaths(const std::vector<std::string>& paths,
                           const RunContext& context = {}, const ReaderOptions& reader = {}) {
  auto input = InputStream::Open(paths, reader);
  EXPECT_TRUE(input.ok()) << input.status();
  return ClusterInput(*input, context);
}

inline void ExpectSameStories(const ClusterResult& a, const ClusterResult& b) {
  const std::vector<StoryRecord> sa = StoryRecords(a);
  const std::vector<StoryRecord> sb = StoryRecords(b);
  ASSERT_EQ(sa.size(), sb.size());
  for (size_t i = 0; i < sa.size(); ++i) {
    EXPECT_EQ(sa[i].story_id, sb[i].story_id);
    EXPECT_EQ(sa[i].label, sb[i].label);
    EXPECT_EQ(sa[i].headline, sb[i].headline);
    ASSERT_EQ(sa[i].articles.size(), sb[i].articles.size()) << sa[i].story_id;
    for (size_t j = 0; j < sa[i].articles.size(); ++j) {
      EXPECT_EQ(sa[i].articles[j].id, sb[i].articles[j].id);
      EXPECT_EQ(sa[i].articles[j].novelty, sb[i].articles[j].novelty);
      EXPECT_EQ(sa[i].articles[j].new_terms, sb[i].articles[j].new_terms);
      EXPECT_EQ(sa[i].articles[j].copy_of, sb[i].articles[j].copy_of);
    }
  }
}


}  // namespace storysift::jobs_test

#endif  // STORYSIFT_TESTS_JOBS_TEST_UTIL_H_
