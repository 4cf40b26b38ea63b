#include "storysift/sketcher.h"

#include "sketch/sketch_kernels.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

// The token hashes that word shingles are made of: look-alike hashes or the
// tokens' own.
inline uint64_t ShingleTokenHash(const Token& token, const char* folded,
                                 internal::LookalikeCacheEntry* cache) {
  return cache != nullptr ? internal::CachedLookalikeHash(token, folded, cache) : token.hash;
}

}  // namespace

absl::StatusOr<Sketcher> Sketcher::Create(const SketchOptions& options) {
  STORYSIFT_RETURN_IF_ERROR(ValidateShingleOptions(options.shingle));
  STORYSIFT_RETURN_IF_ERROR(ValidateVerifyBits(options.verify_bits));
  STORYSIFT_ASSIGN_OR_RETURN(MinHasher minhasher, MinHasher::Create(options.minhash));
  STORYSIFT_ASSIGN_OR_RETURN(SimHasher simhasher, SimHasher::Create(options.simhash));
  return Sketcher(options, std::move(minhasher), simhasher);
}

// Token hashes, shingles, one-permutation bins and the distinct count in one
// pass over the tokens: the separate passes wrote and re-read two arrays
// and cleared no less. Same values as ComputeShingleSequence +
// MinHasher::Compute + CountDistinct (the steps are shared inline).
// REQUIRES: word shingles, kOnePermutation, num_perm <= kMaxStackBins,
// at least options_.shingle.size tokens.
void Sketcher::ComputeWordOnePermutation(const NormalizedText& text,
                                         absl::Span<uint32_t> minhash,
                                         Scratch* scratch) const {
  const size_t n = text.tokens.size();
  const size_t window = static_cast<size_t>(options_.shingle.size);
  const uint64_t shingle_seed = options_.shingle.seed;
  const uint64_t minhash_seed = options_.minhash.seed;
  const uint64_t k = minhash.size();
  uint64_t bins[internal::kMaxStackBins];
  std::fill(bins, bins + k, internal::kUnsetBin);
  internal::DistinctCounter distinct(n - window + 1, &scratch->table);
  internal::LookalikeCacheEntry* cache =
      options_.shingle.fold_lookalikes ? internal::ThreadLookalikeCache() : nullptr;
  scratch->tokens.resize(n);
  uint64_t* hashes = scratch->tokens.data();
  const Token* tokens = text.tokens.data();
  const char* folded = text.folded.data();
  for (size_t i = 0; i + 1 < window; ++i) hashes[i] = ShingleTokenHash(tokens[i], folded, cache);
  for (size_t i = window - 1; i < n; ++i) {
    hashes[i] = ShingleTokenHash(tokens[i], folded, cache);
    const uint64_t shingle = internal::WordShingleHash(hashes + i + 1 - window, window, shingle_seed);
    internal::AddToBins(shingle, minhash_seed, k, bins);
    distinct.Add(shingle);
  }
  internal::DensifyBins(bins, minhash_seed, minhash);
  scratch->set_size = static_cast<uint32_t>(distinct.count());
}

void Sketcher::Compute(const NormalizedText& text, absl::Span<uint32_t> minhash,
                       uint64_t* simhash, Scratch* scratch) const {
  if (options_.kind == SketchKind::kMinHash) {
    if (!scratch->keep_set && options_.shingle.kind == ShingleKind::kWord &&
        options_.minhash.scheme == MinHashScheme::kOnePermutation &&
        minhash.size() <= internal::kMaxStackBins &&
        text.tokens.size() >= static_cast<size_t>(options_.shingle.size)) {
      ComputeWordOnePermutation(text, minhash, scratch);
      return;
    }
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
