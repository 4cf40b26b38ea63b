// What a generation that `state recover` leaves behind (the damaged live
// one, or those past a CURRENT that went back or cannot be read) still
// shows: its documents and stories, for the report of what is lost, and the
// story ids it issued, which must not be issued again.
#ifndef STORYSIFT_STATE_LOST_GENERATION_H_
#define STORYSIFT_STATE_LOST_GENERATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "storysift/story_state.h"

namespace storysift::internal {

// What can still be read of a damaged generation: its meta and stories,
// when those files themselves parse (their checksums are not required), and
// the ids of the document lines that still parse.
StoryState ReadWhatSurvives(const std::string& gen_dir, std::vector<std::string>* doc_ids);

// What the generation `generation` (its files in `gen_dir`) shows of the
// story ids it issued: the next number its meta.json records, or where that
// is unreadable, past the highest id of its story list and of the archive
// files it holds that `kept_files` (those recovery goes on with) lacks.
// Raises *next_story past them; returns the report's line when `committed`
// and meta.json is unreadable ("" otherwise).
std::string AccountForStoryIds(const std::string& gen_dir, uint64_t generation,
                               const absl::flat_hash_set<std::string>& kept_files, bool committed,
                               uint64_t* next_story);

// The report's line on the documents of the damaged generation `lost` (its
// surviving document ids `lost_doc_ids`) that `back` lacks.
std::string LostDocumentsLine(const StoryState& back, const StoryState& lost,
                              const std::vector<std::string>& lost_doc_ids);

// The first 20 of `ids`, joined (", ..." when there are more).
std::string ShownIds(const std::vector<std::string>& ids);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_LOST_GENERATION_H_
