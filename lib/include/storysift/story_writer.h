// Writer for `storysift cluster`: one JSON line per story (the text view
// and the HTML report are in story_report.h).
//
// Story line schema (stable):
//   {"story_id":"s0007","label":["sessions","kislyak","ambassador"],"size":3,
//    "first_published":"2017-03-02T00:00:00Z","last_published":null,
//    "novelty_order":"chronological",
//    "articles":[{"id":"seed/000","novelty":1,"new_terms":["embassy"],
//                 "copy_of":null}, ...]}
// Articles are in rank order (most novel first); copy_of is the id of the
// copy group's representative for a near-duplicate, else null.
#ifndef STORYSIFT_STORY_WRITER_H_
#define STORYSIFT_STORY_WRITER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "storysift/story_pipeline.h"

namespace storysift {

// "s0001" for index 0: 1-based, at least four digits.
std::string StoryId(size_t index);

// `status` ("new", "updated", "unchanged"; with --state) is added when not
// empty, and "archived":true when `archived`. With `is_new` (by ordinal;
// with --state) each article says "new":true|false: whether it arrived in
// this run.
// `ids` are the document ids by ordinal.
std::string StoryJsonLine(const std::vector<std::string>& ids, const RankedStory& story,
                          const std::string& story_id, std::string_view status = {},
                          bool archived = false, const std::vector<bool>* is_new = nullptr);

// Calls `write` with StoryJsonLine(ids, stories[i], story_ids[i]) for each
// story in order. The lines are formatted on `threads` threads (0: one per
// core), a block of stories at a time (the next while one is written, so
// `write` must not change the stories), so memory holds two blocks' lines.
// REQUIRES: story_ids.size() == stories.size().
void WriteStoryJsonLines(const std::vector<std::string>& ids,
                         const std::vector<RankedStory>& stories,
                         const std::vector<std::string>& story_ids, int threads,
                         absl::FunctionRef<void(std::string_view)> write);

}  // namespace storysift

#endif  // STORYSIFT_STORY_WRITER_H_
