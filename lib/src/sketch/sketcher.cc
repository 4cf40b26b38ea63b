#include "storysift/sketcher.h"

#include <bit>
#include <cassert>

#include "sketch/sketch_kernels.h"
#include "sketch/word3_bins_avx512.h"
#include "text/cpu_features.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

// The token hashes that word shingles are made of: look-alike hashes or the
// tokens' own.
inline uint64_t ShingleTokenHash(const Token& token, const char* folded,
                                 internal::LookalikeCacheSet* cache) {
  return cache != nullptr ? internal::CachedLookalikeHash(token, folded, cache) : token.hash;
}

// Tokens ahead of the current one whose look-alike cache entry is fetched
// early. The entry's load (512 KB table: an L2 access) held up the shingle,
// mix and bin chain behind it: 37 % of the fused loop's samples. An
// iteration is ~70 instructions, so the out-of-order window alone covers
// only a few tokens.
constexpr size_t kCachePrefetchAhead = 8;

// The fused loop for tokens that carry the hashes shingles are made of
// (dedup's look-alike tokens) at a power-of-two K, in a function of its own:
// inlined among ComputeWord3OnePermutation's lambdas, the loop kept its
// pointers, seed and shift on the stack and reloaded them every token.
[[gnu::always_inline]] inline void HashedTokensToBinsImpl(
    const Token* __restrict tokens, size_t n, uint64_t shingle_seed, uint64_t minhash_seed,
    int bin_shift, uint64_t* __restrict bins, uint64_t* __restrict shingles) {
  uint64_t a = tokens[0].hash;
  uint64_t b = tokens[1].hash;
  for (size_t i = 2; i < n; ++i) {
    const uint64_t c = tokens[i].hash;
    const uint64_t shingle = internal::WordShingleHash3(a, b, c, shingle_seed);
    internal::AddToBinsByShift(shingle, minhash_seed, bin_shift, bins);
    shingles[i - 2] = shingle;
    a = b;
    b = c;
  }
}

[[gnu::noinline]] void HashedTokensToBins(const Token* __restrict tokens, size_t n,
                                          uint64_t shingle_seed, uint64_t minhash_seed,
                                          int bin_shift, uint64_t* __restrict bins,
                                          uint64_t* __restrict shingles) {
  HashedTokensToBinsImpl(tokens, n, shingle_seed, minhash_seed, bin_shift, bins, shingles);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define STORYSIFT_SKETCH_BMI2 1
// The same loop for CPUs with BMI2 (internal::CpuHasAvx2Bmi2): mulx takes
// its operands in any register, where GCC stored mul's 128-bit product to
// the stack and reloaded it, and rorx/shrx need no copies.
[[gnu::noinline]] __attribute__((target("avx2,bmi,bmi2,popcnt,lzcnt"))) void
HashedTokensToBinsBmi2(const Token* __restrict tokens, size_t n, uint64_t shingle_seed,
                       uint64_t minhash_seed, int bin_shift, uint64_t* __restrict bins,
                       uint64_t* __restrict shingles) {
  HashedTokensToBinsImpl(tokens, n, shingle_seed, minhash_seed, bin_shift, bins, shingles);
}
#endif

}  // namespace

TokenHashKind SketchTokenHash(const SketchOptions& options) {
  const ShingleOptions& shingle = options.shingle;
  return options.kind == SketchKind::kMinHash && shingle.kind == ShingleKind::kWord &&
                 shingle.fold_lookalikes
             ? TokenHashKind::kLookalike
             : TokenHashKind::kFolded;
}

absl::StatusOr<Sketcher> Sketcher::Create(const SketchOptions& options) {
  STORYSIFT_RETURN_IF_ERROR(ValidateShingleOptions(options.shingle));
  STORYSIFT_RETURN_IF_ERROR(ValidateVerifyBits(options.verify_bits));
  STORYSIFT_ASSIGN_OR_RETURN(MinHasher minhasher, MinHasher::Create(options.minhash));
  STORYSIFT_ASSIGN_OR_RETURN(SimHasher simhasher, SimHasher::Create(options.simhash));
  return Sketcher(options, std::move(minhasher), simhasher);
}

// Token hashes, word 3-shingles and one-permutation bins in one pass over
// the tokens, the window in registers: the separate passes wrote the token
// hashes and read them back, and read the shingles twice. Same values as ComputeShingleSequence + MinHasher::Compute +
// CountDistinct (the steps are shared inline). REQUIRES: word 3-shingles,
// kOnePermutation, num_perm <= kMaxStackBins, at least 3 tokens.
void Sketcher::ComputeWord3OnePermutation(const NormalizedText& text,
                                          absl::Span<uint32_t> minhash,
                                          Scratch* scratch) const {
  const size_t n = text.tokens.size();
  const uint64_t shingle_seed = options_.shingle.seed;
  const uint64_t minhash_seed = options_.minhash.seed;
  const uint64_t k = minhash.size();
  scratch->shingles.resize(n - 2);
  // Tokens that carry look-alike hashes already, or come with them (the
  // AVX-512 terms tokenizer), need no cache.
  const bool folded_tokens =
      options_.shingle.fold_lookalikes && text.token_hash == TokenHashKind::kFolded;
  if (folded_tokens && text.lookalike_hashes.size() == n) {
    ComputeWord3FromHashes(text.lookalike_hashes.data(), n, minhash, scratch);
    return;
  }
  uint64_t bins[internal::kMaxStackBins];
  std::fill(bins, bins + k, internal::kUnsetBin);
  internal::LookalikeCacheSet* cache = folded_tokens ? internal::ThreadLookalikeCache() : nullptr;
  uint64_t* shingles = scratch->shingles.data();
  const Token* tokens = text.tokens.data();
  const char* folded = text.folded.data();
  uint64_t a = ShingleTokenHash(tokens[0], folded, cache);
  uint64_t b = ShingleTokenHash(tokens[1], folded, cache);
  // A power-of-two K (the default 128) bins by a shift: the same bin as
  // AddToBins' multiply-shift, without the 128-bit multiply.
  const bool pow2 = k >= 2 && (k & (k - 1)) == 0;
  const int bin_shift = 64 - std::countr_zero(k);
  auto add = [&](size_t i, uint64_t c) __attribute__((always_inline)) {
    const uint64_t shingle = internal::WordShingleHash3(a, b, c, shingle_seed);
    if (pow2) {
      internal::AddToBinsByShift(shingle, minhash_seed, bin_shift, bins);
    } else {
      internal::AddToBins(shingle, minhash_seed, k, bins);
    }
    shingles[i - 2] = shingle;
    a = b;
    b = c;
  };
  // The loops are split so that none tests per token what holds for all.
  if (cache == nullptr && pow2) {
    // Eight shingles at a time where AVX-512 is there; the scalar loop goes
    // on from the window where it stopped.
    size_t done = 0;
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
    if (internal::CpuHasAvx512()) {
      done = internal::HashedTokensToBinsAvx512(tokens, n, shingle_seed, minhash_seed,
                                                bin_shift, bins, shingles);
    }
#endif
#if defined(STORYSIFT_SKETCH_BMI2)
    if (internal::CpuHasAvx2Bmi2()) {
      HashedTokensToBinsBmi2(tokens + done, n - done, shingle_seed, minhash_seed, bin_shift,
                             bins, shingles + done);
    } else {
      HashedTokensToBins(tokens + done, n - done, shingle_seed, minhash_seed, bin_shift, bins,
                         shingles + done);
    }
#else
    HashedTokensToBins(tokens + done, n - done, shingle_seed, minhash_seed, bin_shift, bins,
                       shingles + done);
#endif
  } else if (cache == nullptr) {
    for (size_t i = 2; i < n; ++i) add(i, tokens[i].hash);
  } else {
    size_t i = 2;
    for (; i + kCachePrefetchAhead < n; ++i) {
      internal::PrefetchLookalikeEntry(tokens[i + kCachePrefetchAhead], cache);
      add(i, internal::CachedLookalikeHash(tokens[i], folded, cache));
    }
    for (; i < n; ++i) add(i, internal::CachedLookalikeHash(tokens[i], folded, cache));
  }
  internal::DensifyBins(bins, minhash_seed, minhash);
  // Its own loop: a mispredicted probe here would also discard the hashing
  // of the tokens after it.
  scratch->set_size = static_cast<uint32_t>(CountDistinct(scratch->shingles, &scratch->table));
}

// ComputeWord3OnePermutation's values from the shingles' token hashes
// hashes[0, n) (given with the tokens): eight shingles at a time where the
// CPU has AVX-512 and K is a power of two, the rest one by one.
void Sketcher::ComputeWord3FromHashes(const uint64_t* hashes, size_t n,
                                      absl::Span<uint32_t> minhash, Scratch* scratch) const {
  const uint64_t shingle_seed = options_.shingle.seed;
  const uint64_t minhash_seed = options_.minhash.seed;
  const uint64_t k = minhash.size();
  uint64_t bins[internal::kMaxStackBins];
  std::fill(bins, bins + k, internal::kUnsetBin);
  uint64_t* shingles = scratch->shingles.data();
  const bool pow2 = k >= 2 && (k & (k - 1)) == 0;
  const int bin_shift = 64 - std::countr_zero(k);
  size_t done = 0;
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
  if (pow2 && internal::CpuHasAvx512()) {
    done = internal::HashesToBinsAvx512(hashes, n, shingle_seed, minhash_seed, bin_shift, bins,
                                        shingles);
  }
#endif
  for (size_t i = done + 2; i < n; ++i) {
    const uint64_t shingle =
        internal::WordShingleHash3(hashes[i - 2], hashes[i - 1], hashes[i], shingle_seed);
    if (pow2) {
      internal::AddToBinsByShift(shingle, minhash_seed, bin_shift, bins);
    } else {
      internal::AddToBins(shingle, minhash_seed, k, bins);
    }
    shingles[i - 2] = shingle;
  }
  internal::DensifyBins(bins, minhash_seed, minhash);
  scratch->set_size = static_cast<uint32_t>(CountDistinct(scratch->shingles, &scratch->table));
}

void Sketcher::Compute(const NormalizedText& text, absl::Span<uint32_t> minhash,
                       uint64_t* simhash, Scratch* scratch) const {
  assert(text.token_hash == TokenHashKind::kFolded ||
         text.token_hash == SketchTokenHash(options_));
  if (options_.kind == SketchKind::kMinHash) {
    if (!scratch->keep_set && options_.shingle.kind == ShingleKind::kWord &&
        options_.shingle.size == 3 && text.tokens.size() >= 3 &&
        options_.minhash.scheme == MinHashScheme::kOnePermutation &&
        minhash.size() <= internal::kMaxStackBins) {
      ComputeWord3OnePermutation(text, minhash, scratch);
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
