// The tokenizer: folded word tokens and per-line statistics from the
// cleaned text, in one pass.
#ifndef STORYSIFT_TEXT_TOKENIZER_H_
#define STORYSIFT_TEXT_TOKENIZER_H_

#include <vector>

#include "storysift/normalize.h"
#include "text/boilerplate.h"
#include "text/stemmer.h"

namespace storysift::internal {

// What Token::term holds: nothing (0 for every token; no stop-word lookup,
// for runs that only sketch), the folded word, or its Snowball English stem.
enum class TermMode { kNone, kFolded, kStemmed };

// Fills out->folded and out->tokens from out->clean (see NormalizedText),
// token hashes of the kind out->token_hash names, and appends one LineStats
// per line of clean to *lines. kStemmed REQUIRES StemmerAvailable();
// TokenHashKind::kLookalike REQUIRES TermMode::kNone. All-ASCII stretches
// are scanned 64 bytes at a time; everything else a code point at a time.
//
// lookalike_hashes (with terms, on AVX-512 CPUs): also fills
// out->lookalike_hashes, each token's LookalikeTokenHash, most of them from
// the block hasher's lanes beside the folded hashes; elsewhere it stays
// empty (the sketcher then has its cache).
void Tokenize(TermMode terms, NormalizedText* out, std::vector<LineStats>* lines,
              bool lookalike_hashes = false);

// The AVX-512 terms build (Tokenize with lookalike_hashes on AVX-512 CPUs).
// REQUIRES: CpuHasAvx512(); stem REQUIRES StemmerAvailable().
void TokenizeTermsAvx512(bool stem, NormalizedText* out, std::vector<LineStats>* lines);

// The same result from the code-point-at-a-time scan alone: the reference
// that Tokenize is tested against.
void TokenizeBytewise(TermMode terms, NormalizedText* out, std::vector<LineStats>* lines);

// Tokenize's block scan as built for the x86-64 baseline, also where the
// CPU would take the AVX2 + BMI2 or AVX-512 build of the look-alike scan:
// the portable scan, tested on any machine.
void TokenizePortable(TermMode terms, NormalizedText* out, std::vector<LineStats>* lines);

// Tokenize without the AVX-512 build of the look-alike scan: the AVX2 +
// BMI2 build where the CPU has it (else the portable scan), so that tests
// and benchmarks reach it on AVX-512 CPUs too.
void TokenizeAvx2Bmi2(TermMode terms, NormalizedText* out, std::vector<LineStats>* lines);

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_TOKENIZER_H_
