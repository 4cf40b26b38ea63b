// Why two documents matched: their longest shared passages, found on token
// hashes and shown as source text through the token offsets.
#ifndef STORYSIFT_EXPLAIN_H_
#define STORYSIFT_EXPLAIN_H_

#include <cstdint>
#include <vector>

#include "storysift/normalize.h"

namespace storysift {

struct SharedPassage {
  uint32_t a_token = 0;  // First token of the run in a.
  uint32_t b_token = 0;  // First token of the run in b.
  uint32_t num_tokens = 0;
};

// Returns up to `max_passages` maximal runs of identical tokens shared by a
// and b, each at least `min_tokens` long, longest first (ties: earlier in a).
// Runs do not overlap in a. Expected O(|a| + |b|) plus the run lengths.
std::vector<SharedPassage> LongestSharedPassages(const NormalizedText& a,
                                                 const NormalizedText& b,
                                                 int max_passages = 3, int min_tokens = 5);

// The clean-text bytes that tokens [first, first + count) of `text` span.
std::string_view PassageText(const NormalizedText& text, uint32_t first, uint32_t count);

}  // namespace storysift

#endif  // STORYSIFT_EXPLAIN_H_
