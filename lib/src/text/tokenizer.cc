#include "text/tokenizer.h"

#include <cstring>
#include <string>
#include <string_view>

#include "text/cpu_features.h"
#include "text/tokenize_impl.h"

namespace storysift::internal {
namespace {

// FoldNonAsciiToken's per-thread buffer: no allocation once warm.
std::string& ThreadFoldScratch() {
  thread_local std::string fold;
  return fold;
}

}  // namespace

[[gnu::noinline]] size_t FoldNonAsciiToken(std::string_view token, size_t at,
                                           size_t unread, std::string* folded) {
  std::string& tmp = ThreadFoldScratch();
  tmp.clear();
  FoldNonAscii(token, &tmp);
  if (tmp.empty()) return 0;
  const size_t need = at + tmp.size() + unread + kFoldedSlack;
  if (folded->size() < need) folded->resize(need);
  std::memcpy(folded->data() + at, tmp.data(), tmp.size());
  return tmp.size();
}

// Out of line, the line's fields in registers, so that the tokenizer's line
// is never address-taken. A LineStats argument went through the stack: its
// fields stored one by one, then copied by a 32-byte load that cannot be
// forwarded from those stores (7 % of the AVX-512 tokenizer's samples).
[[gnu::noinline]] void AppendLine(std::vector<LineStats>* lines, uint64_t range,
                                  uint64_t token_range, uint64_t counts, unsigned flags) {
  LineStats& line = lines->emplace_back();
  line.begin = static_cast<uint32_t>(range);
  line.end = static_cast<uint32_t>(range >> 32);
  line.first_token = static_cast<uint32_t>(token_range);
  line.end_token = static_cast<uint32_t>(token_range >> 32);
  line.words = static_cast<uint32_t>(counts);
  line.capitals = static_cast<uint32_t>(counts >> 32);
  line.clause_punct = flags & 1;
  line.first_lower = flags & 2;
  line.last_lower = flags & 4;
}

namespace {

// Dedup's tokenizer (the look-alike block scan) compiled a second time for
// CPUs with AVX2 and BMI2 (the same code, inlined into a target function):
// tzcnt/blsr for the bit masks, rorx/shrx in the hashes, the blocks
// classified by AVX2; 15 % fewer of its instructions on c3k.
#if defined(__x86_64__) && defined(__GNUC__)
#define STORYSIFT_TOKENIZE_BMI2 1
[[gnu::noinline]] __attribute__((target("avx2,bmi,bmi2,popcnt,lzcnt"))) void
TokenizeLookalikeBmi2(NormalizedText* out, std::vector<LineStats>* lines) {
  TokenizeImpl<true, false, true, true>(false, out, lines);
}
#endif
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
// And a third time for AVX-512 CPUs: blocks classified in one step, the
// words that close inside a block hashed eight at a time.
[[gnu::noinline]] __attribute__((target(STORYSIFT_AVX512_TARGET))) void
TokenizeLookalikeAvx512(NormalizedText* out, std::vector<LineStats>* lines) {
  TokenizeImpl<true, false, true, true, true>(false, out, lines);
}
#endif

// The look-alike scan's builds, each also run where the CPU has more (tests
// and benchmarks compare them).
enum class LookalikeBuild { kPortable, kAvx2Bmi2, kAvx512 };

template <bool kBlocks, LookalikeBuild kMaxBuild>
void TokenizeWith(TermMode terms, NormalizedText* out, std::vector<LineStats>* lines) {
  if (terms != TermMode::kNone) {
    TokenizeImpl<kBlocks, true, false>(terms == TermMode::kStemmed, out, lines);
  } else if (out->token_hash == TokenHashKind::kLookalike) {
#if defined(STORYSIFT_TOKENIZE_BMI2)
    if (kBlocks && kMaxBuild != LookalikeBuild::kPortable && CpuHasAvx2Bmi2()) {
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
      if (kMaxBuild == LookalikeBuild::kAvx512 && CpuHasAvx512()) {
        TokenizeLookalikeAvx512(out, lines);
        return;
      }
#endif
      TokenizeLookalikeBmi2(out, lines);
      return;
    }
#endif
    TokenizeImpl<kBlocks, false, true>(false, out, lines);
  } else {
    TokenizeImpl<kBlocks, false, false>(false, out, lines);
  }
}

}  // namespace

void Tokenize(TermMode terms, NormalizedText* out, std::vector<LineStats>* lines,
              bool lookalike_hashes) {
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
  if (lookalike_hashes && terms != TermMode::kNone && CpuHasAvx512()) {
    TokenizeTermsAvx512(terms == TermMode::kStemmed, out, lines);
    return;
  }
#endif
  TokenizeWith<true, LookalikeBuild::kAvx512>(terms, out, lines);
}

void TokenizeBytewise(TermMode terms, NormalizedText* out, std::vector<LineStats>* lines) {
  TokenizeWith<false, LookalikeBuild::kPortable>(terms, out, lines);
}

void TokenizePortable(TermMode terms, NormalizedText* out, std::vector<LineStats>* lines) {
  TokenizeWith<true, LookalikeBuild::kPortable>(terms, out, lines);
}

void TokenizeAvx2Bmi2(TermMode terms, NormalizedText* out, std::vector<LineStats>* lines) {
  TokenizeWith<true, LookalikeBuild::kAvx2Bmi2>(terms, out, lines);
}

}  // namespace storysift::internal
