#include "dedup_flags.h"

#include "absl/strings/str_cat.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "storysift/status_macros.h"

namespace storysift::cli {

void AddDedupFlags(CLI::App* cmd, DedupFlags* flags, bool with_threshold) {
  AddEnumOption<SketchKind>(cmd, "--method", &flags->method,
                            {{"minhash", SketchKind::kMinHash}, {"simhash", SketchKind::kSimHash}},
                            "Near-duplicate sketch: minhash or simhash");
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
  AddEnumOption<MinHashScheme>(
      cmd, "--scheme", &flags->scheme,
      {{"oph", MinHashScheme::kOnePermutation}, {"affine", MinHashScheme::kAffine61}},
      "MinHash scheme: oph (one permutation, densified) or affine (K hashes)");
  cmd->add_option("--shingle-size", flags->shingle_size,
                  absl::StrCat("Words per shingle (", kDefaultWordShingleSize,
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
  AddEnumOption<GroupingMode>(
      cmd, "--grouping", &flags->grouping,
      {{"nonchaining", GroupingMode::kNonChaining},
       {"components", GroupingMode::kConnectedComponents}},
      "nonchaining (each copy verified against its representative) or components");
  AddEnumOption<KeepPolicy>(cmd, "--keep", &flags->keep,
                            {{"earliest", KeepPolicy::kEarliest},
                             {"longest", KeepPolicy::kLongest},
                             {"first", KeepPolicy::kFirst}},
                            "Representative of a group: earliest (date, then input order; the "
                            "default), longest, first (the default with dedup --keep-first)");
}

namespace {

absl::Status FillDedupOptionsImpl(const DedupFlags& flags, SketchOptions* sketch_options,
                                  CopyGrouperOptions* grouper) {
  SketchOptions& sketch = *sketch_options;
  sketch.kind = flags.method;
  // 0 keeps the default; the Verifier checks the value (CLI11 did too).
  if (flags.threshold != 0) grouper->jaccard_threshold = flags.threshold;
  if (flags.max_hamming >= 0) {
    grouper->max_hamming = flags.max_hamming;
  } else if (flags.method == SketchKind::kSimHash && flags.threshold > 0) {
    // For simhash a threshold is a share of agreeing bits: 0.95 allows 3 of 64.
    grouper->max_hamming = MaxHammingForAgreement(flags.threshold);
  }
  sketch.minhash.num_perm = flags.num_perm;
  sketch.verify_bits = flags.verify_bits;
  sketch.minhash.scheme = flags.scheme;
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
  if (flags.containment >= 0) grouper->containment_threshold = flags.containment;
  if (flags.short_threshold >= 0) grouper->short_jaccard_threshold = flags.short_threshold;
  if (flags.short_shingles >= 0) {
    grouper->short_pair_shingles = static_cast<uint32_t>(flags.short_shingles);
  }
  grouper->mode = flags.grouping;
  grouper->keep = flags.keep.value_or(KeepPolicy::kEarliest);
  return absl::OkStatus();
}

}  // namespace

absl::Status FillDedupOptions(const DedupFlags& flags, SketchOptions* sketch,
                              CopyGrouperOptions* grouper) {
  // Every error here is a bad flag value: exit 2, not 1.
  return AsUsageError(FillDedupOptionsImpl(flags, sketch, grouper));
}

absl::StatusOr<Verifier> MakeDedupOptions(const DedupFlags& flags,
                                          CorpusOptions* corpus_options) {
  CopyGrouperOptions grouper;
  STORYSIFT_RETURN_IF_ERROR(FillDedupOptions(flags, &corpus_options->sketch, &grouper));
  corpus_options->keep_shingles = flags.exact_verify;
  absl::StatusOr<Verifier> verifier = Verifier::Create(grouper, corpus_options->sketch);
  if (!verifier.ok()) return AsUsageError(verifier.status());
  // The corpus keeps b-bit rows and band keys for the verifier's bands.
  corpus_options->verifier = *verifier;
  return verifier;
}

absl::Status MakeDedupOptions(const DedupFlags& flags, DedupJobOptions* options) {
  STORYSIFT_RETURN_IF_ERROR(FillDedupOptions(flags, &options->sketch, &options->grouper));
  options->exact_verify = flags.exact_verify;
  // The job makes its Verifier from these; checking them here makes a bad
  // value a usage error (exit 2) before any input is opened.
  return AsUsageError(Verifier::Create(options->grouper, options->sketch).status());
}

}  // namespace storysift::cli
