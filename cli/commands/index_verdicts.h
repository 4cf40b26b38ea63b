// The verdict lines, counts and messages of `storysift index add|query`.
#ifndef STORYSIFT_CLI_COMMANDS_INDEX_VERDICTS_H_
#define STORYSIFT_CLI_COMMANDS_INDEX_VERDICTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storysift/deduplicator.h"

namespace storysift::cli {

// One document's verdict: new or a near-duplicate of an indexed one.
std::string VerdictLine(std::string_view id, const DedupVerdict& v);

// An input document whose id the index holds: not added again.
std::string AlreadyIndexedLine(std::string_view id, StoredContent content);

// What a run did with its documents: every processed document is added,
// already indexed, or (older than the retention window) judged only.
struct FeedCounts {
  int64_t added = 0;
  int64_t duplicates = 0;  // Verdicts "duplicate" (added or judged only).
  int64_t same = 0, changed = 0, unknown = 0;  // Already indexed, by content.
  int64_t before_window = 0;
  int64_t future_dated = 0;
  int64_t evicted = 0;

  int64_t already_indexed() const { return same + changed + unknown; }
  void CountRepeat(StoredContent content) {
    same += content == StoredContent::kSame;
    changed += content == StoredContent::kChanged;
    unknown += content == StoredContent::kUnknown;
  }
  void CountVerdict(const DedupVerdict& v) {
    duplicates += !v.is_new;
    added += v.stored;
    before_window += !v.stored;
    future_dated += v.future_dated;
    evicted += static_cast<int64_t>(v.evicted);
  }
};

// The report's "index" section.
std::string IndexSection(const FeedCounts& c, bool add, size_t index_documents);

// What is said on stderr even with -q (one line each): both change what the
// index keeps.
std::string KeptVersionWarnings(const FeedCounts& c,
                                const std::vector<std::string>& future_examples);

// The run's one-line summary for stderr.
std::string FeedSummary(const FeedCounts& c, bool add, int64_t processed, size_t index_documents);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_COMMANDS_INDEX_VERDICTS_H_
