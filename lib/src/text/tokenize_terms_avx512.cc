// The terms tokenizer (cluster's) built for AVX-512 CPUs: each block's
// closed ASCII words get their folded and look-alike hashes in the lanes
// (TokenizeImpl's kTerms + kAvx512), so the sketcher needs no look-alike
// cache. Its own file: tokenizer.cc holds the other builds.
#include "text/tokenize_impl.h"
#include "text/tokenizer.h"

namespace storysift::internal {

#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
[[gnu::noinline]] __attribute__((target(STORYSIFT_AVX512_TARGET))) void TokenizeTermsAvx512(
    bool stem, NormalizedText* out, std::vector<LineStats>* lines) {
  TokenizeImpl<true, true, false, true, true>(stem, out, lines);
}
#endif

}  // namespace storysift::internal
