#include "dedup_flags.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "storysift/status_macros.h"

namespace storysift::cli {

void AddDedupFlags(CLI::App* cmd, DedupFlags* flags, bool with_threshold) {
  cmd->add_option("--method", flags->method, "Near-duplicate sketch: minhash or simhash")
      ->capture_default_str();
  if (with_threshold) {
    cmd->add_option("--threshold", flags->threshold,
                    absl::StrCat("Copies have Jaccard >= T (minhash, default ",
                                 kDefaultJaccardThreshold,
                                 ") or bit agreement >= T (simhash)"))
        ->check(NumberIn(0, 1, Bound::kOpen));
  }
  cmd->add_option("--max-hamming", flags->max_hamming,
                  absl::StrCat("simhash: copies differ in at most this many of 64 bits (default ",
                               kDefaultMaxHamming, ")"))
      ->check(NumberIn(0, 64));
  cmd->add_option("--containment", flags->containment,
                  absl::StrCat("minhash: also copies when the shorter text's shingles are at least "
                               "this share of the other's (truncated copies; default ",
                               kDefaultContainmentThreshold, ", 0 = off)"))
      ->check(NumberIn(0, 1));
  cmd->add_option("--short-threshold", flags->short_threshold,
                  absl::StrCat("minhash: Jaccard a pair needs when its shorter text has under "
                               "--short-shingles shingles (default ",
                               kDefaultShortJaccardThreshold, "; the higher of it and --threshold)"))
      ->check(NumberIn(0, 1));
  cmd->add_option("--short-shingles", flags->short_shingles,
                  absl::StrCat("minhash: shingles below which a pair is short (default ",
                               kDefaultShortPairShingles, ", 0 = no short-pair rule)"))
      ->check(NonNegative());
  cmd->add_flag("--no-lookalike-fold", flags->no_lookalike_fold,
                "minhash word shingles: do not fold OCR look-alike characters (0/o, 1/l/i, "
                "5/s, 8/b/h, c/e, m/n, u/v, 2/z)");
  cmd->add_option("--num-perm", flags->num_perm, "MinHash slots")
      ->capture_default_str()
      ->check(NonNegative(Bound::kOpen));
  cmd->add_option("--verify-bits", flags->verify_bits,
                  "minhash: bits of each slot kept for verification: 8, 16 or 32 (b-bit minwise "
                  "hashing; 32 = full signatures)")
      ->capture_default_str()
      ->check(OneOf({"8", "16", "32"}));
  cmd->add_option("--scheme", flags->scheme,
                  "MinHash scheme: oph (one permutation, densified) or affine (K hashes)")
      ->capture_default_str();
  cmd->add_option("--shingle-size", flags->shingle_size,
                  absl::StrCat("Words per shingle (", kDefaultDedupWordShingleSize,
                               "), or characters with --char-shingles (",
                               kDefaultCharShingleSize, ")"))
      ->check(NonNegative(Bound::kOpen));
  cmd->add_flag("--char-shingles", flags->char_shingles, "Character n-gram shingles");
  cmd->add_option("--bands", flags->bands, "LSH bands (default: optimal for the threshold)")
      ->check(NonNegative(Bound::kOpen));
  cmd->add_option("--rows", flags->rows, "LSH rows per band (with --bands)")
      ->check(NonNegative(Bound::kOpen));
  cmd->add_flag("--exact-verify", flags->exact_verify,
                "Verify candidates by exact Jaccard over shingle sets");
  cmd->add_option("--grouping", flags->grouping,
                  "nonchaining (each copy verified against its representative) or components")
      ->capture_default_str();
  cmd->add_option("--keep", flags->keep,
                  "Representative of a group: earliest (date, then input order; the default), "
                  "longest, first (the default with dedup --keep-first)")
      ->check(OneOf({"earliest", "longest", "first"}));
}

namespace {

absl::Status MakeDedupOptionsImpl(const DedupFlags& flags, DedupJobOptions* options) {
  SketchOptions& sketch = options->sketch;
  CopyGrouperOptions* grouper = &options->grouper;
  if (flags.method == "minhash") {
    sketch.kind = grouper->kind = SketchKind::kMinHash;
  } else if (flags.method == "simhash") {
    sketch.kind = grouper->kind = SketchKind::kSimHash;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--method: unknown '", flags.method, "' (minhash, simhash)"));
  }
  if (flags.threshold != 0 && !(flags.threshold > 0 && flags.threshold <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--threshold ", flags.threshold, " is outside (0, 1]"));
  }
  if (flags.threshold > 0) grouper->jaccard_threshold = flags.threshold;
  if (flags.max_hamming >= 0) {
    grouper->max_hamming = flags.max_hamming;
  } else if (flags.method == "simhash" && flags.threshold > 0) {
    // For simhash a threshold is a share of agreeing bits: 0.95 allows 3 of 64.
    grouper->max_hamming = static_cast<int>(std::floor((1 - flags.threshold) * 64 + 1e-9));
  }
  sketch.minhash.num_perm = flags.num_perm;
  if (!ValidateVerifyBits(flags.verify_bits).ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--verify-bits ", flags.verify_bits, " is not one of 8, 16, 32"));
  }
  sketch.verify_bits = flags.verify_bits;
  if (flags.scheme == "oph") {
    sketch.minhash.scheme = MinHashScheme::kOnePermutation;
  } else if (flags.scheme == "affine") {
    sketch.minhash.scheme = MinHashScheme::kAffine61;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--scheme: unknown '", flags.scheme, "' (oph, affine)"));
  }
  if (flags.char_shingles) {
    sketch.shingle.kind = ShingleKind::kChar;
    sketch.shingle.size = kDefaultCharShingleSize;
  }
  if (flags.shingle_size != 0) sketch.shingle.size = flags.shingle_size;
  if (flags.no_lookalike_fold) sketch.shingle.fold_lookalikes = false;
  if ((flags.bands == 0) != (flags.rows == 0)) {
    return absl::InvalidArgumentError("--bands and --rows go together");
  }
  grouper->lsh = {flags.bands, flags.rows};
  options->exact_verify = flags.exact_verify;
  if (flags.containment >= 0) grouper->containment_threshold = flags.containment;
  if (flags.short_threshold >= 0) grouper->short_jaccard_threshold = flags.short_threshold;
  if (flags.short_shingles >= 0) {
    grouper->short_pair_shingles = static_cast<uint32_t>(flags.short_shingles);
  }
  if (flags.grouping == "nonchaining") {
    grouper->mode = GroupingMode::kNonChaining;
  } else if (flags.grouping == "components") {
    grouper->mode = GroupingMode::kConnectedComponents;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--grouping: unknown '", flags.grouping, "' (nonchaining, components)"));
  }
  if (flags.keep == "earliest" || flags.keep.empty()) {
    grouper->keep = KeepPolicy::kEarliest;
  } else if (flags.keep == "longest") {
    grouper->keep = KeepPolicy::kLongest;
  } else if (flags.keep == "first") {
    grouper->keep = KeepPolicy::kFirst;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--keep: unknown '", flags.keep, "' (earliest, longest, first)"));
  }
  return ValidateCopyGrouperOptions(*grouper, sketch.minhash.num_perm);
}

}  // namespace

absl::Status MakeDedupOptions(const DedupFlags& flags, DedupJobOptions* options) {
  // Every error here is a bad flag value: exit 2, not 1.
  return AsUsageError(MakeDedupOptionsImpl(flags, options));
}

absl::Status MakeDedupOptions(const DedupFlags& flags, CorpusOptions* corpus_options,
                              CopyGrouperOptions* grouper) {
  DedupJobOptions options;
  STORYSIFT_RETURN_IF_ERROR(MakeDedupOptions(flags, &options));
  corpus_options->sketch = options.sketch;
  corpus_options->keep_shingles = options.exact_verify;
  *grouper = options.grouper;
  if (options.sketch.kind == SketchKind::kMinHash) {
    // The corpus keeps band keys for these bands instead of full signatures.
    STORYSIFT_ASSIGN_OR_RETURN(corpus_options->band_params,
                               ResolveLshParams(*grouper, options.sketch.minhash.num_perm));
  }
  return absl::OkStatus();
}

}  // namespace storysift::cli
