// WriteStoryJsonLines: every story's StoryJsonLine, in order, whatever the
// thread count and across its blocks of lines.
#include "storysift/story_writer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace storysift {
namespace {

TEST(StoryWriterTest, WritesEachStorysLineInOrderAtAnyThreadCount) {
  // More stories than one block (4096) holds, so a block boundary is crossed.
  constexpr size_t kStories = 9000;
  std::vector<std::string> ids;
  std::vector<RankedStory> stories(kStories);
  std::vector<std::string> story_ids;
  for (size_t s = 0; s < kStories; ++s) {
    ids.push_back("doc-" + std::to_string(s));
    RankedStory& story = stories[s];
    story.label = {"term" + std::to_string(s % 97)};
    if (s % 3 == 0) story.headline = "Headline " + std::to_string(s);
    if (s % 2 == 0) story.first_published = story.last_published = int64_t{1488412800} + s;
    RankedArticle a;
    a.ordinal = static_cast<DocOrdinal>(s);
    a.novelty = 1.0f / static_cast<float>(1 + s % 7);
    a.new_terms = {"new" + std::to_string(s % 5)};
    story.articles.push_back(a);
    story_ids.push_back(StoryId(s));
  }
  std::vector<std::string> want;
  for (size_t s = 0; s < kStories; ++s) {
    want.push_back(StoryJsonLine(ids, stories[s], story_ids[s]));
  }
  for (int threads : {1, 2, 3}) {
    std::vector<std::string> got;
    WriteStoryJsonLines(ids, stories, story_ids, threads,
                        [&](std::string_view line) { got.emplace_back(line); });
    EXPECT_EQ(got, want) << threads << " threads";
  }
}

}  // namespace
}  // namespace storysift
