#include "storysift/sketcher.h"

#include "storysift/status_macros.h"

namespace storysift {

absl::StatusOr<Sketcher> Sketcher::Create(const SketchOptions& options) {
  STORYSIFT_RETURN_IF_ERROR(ValidateShingleOptions(options.shingle));
  STORYSIFT_RETURN_IF_ERROR(ValidateVerifyBits(options.verify_bits));
  STORYSIFT_ASSIGN_OR_RETURN(MinHasher minhasher, MinHasher::Create(options.minhash));
  STORYSIFT_ASSIGN_OR_RETURN(SimHasher simhasher, SimHasher::Create(options.simhash));
  return Sketcher(options, std::move(minhasher), simhasher);
}

void Sketcher::Compute(const NormalizedText& text, absl::Span<uint32_t> minhash,
                       uint64_t* simhash, Scratch* scratch) const {
  if (options_.kind == SketchKind::kMinHash) {
    ComputeShingleSequence(text, options_.shingle, &scratch->shingles, &scratch->tokens);
    minhasher_.Compute(scratch->shingles, minhash);
    if (scratch->keep_set) {
      SortUnique(&scratch->shingles);
      scratch->set_size = static_cast<uint32_t>(scratch->shingles.size());
    } else {
      scratch->set_size =
          static_cast<uint32_t>(CountDistinct(scratch->shingles, &scratch->table));
    }
    return;
  }
  scratch->tokens.clear();
  scratch->tokens.reserve(text.tokens.size());
  for (const Token& t : text.tokens) scratch->tokens.push_back(t.hash);
  *simhash = simhasher_.Compute(scratch->tokens, &scratch->shingles);
}

}  // namespace storysift
