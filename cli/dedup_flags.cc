#include "dedup_flags.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "storysift/minhash.h"
#include "storysift/shingle.h"
#include "storysift/status_macros.h"

namespace storysift::cli {

void AddDedupFlags(CLI::App* cmd, DedupFlags* flags, bool with_threshold) {
  AddNameOption(cmd, "--method", &flags->method, SketchKindNames(),
                "Near-duplicate sketch: minhash or simhash");
  if (with_threshold) {
    AddOptionalOption(cmd, "--threshold", &flags->threshold,
                      absl::StrCat("Copies have Jaccard >= T (minhash, default ",
                                 kDefaultJaccardThreshold,
                                 ") or bit agreement >= T (simhash)"))
        ->check(NumberIn(0, 1, Bound::kOpen));
  }
  // The widest distance the SimHash index serves: a wider one is refused
  // here, before any input is read.
  AddOptionalOption(cmd, "--max-hamming", &flags->max_hamming,
                    absl::StrCat("simhash: copies differ in at most this many of 64 bits (default ",
                               kDefaultMaxHamming, ", at most ", kMaxHammingLimit, ")"))
      ->check(NumberIn(0, kMaxHammingLimit));
  AddOptionalOption(cmd, "--containment", &flags->containment,
                    absl::StrCat("minhash: also copies when the shorter text's shingles are at least "
                               "this share of the other's (truncated copies; default ",
                               kDefaultContainmentThreshold, ", 0 = off)"))
      ->check(NumberIn(0, 1));
  AddOptionalOption(cmd, "--short-threshold", &flags->short_threshold,
                    absl::StrCat("minhash: Jaccard a pair needs when its shorter text has under "
                               "--short-shingles shingles (default ",
                               kDefaultShortJaccardThreshold, "; the higher of it and --threshold)"))
      ->check(NumberIn(0, 1));
  AddOptionalOption(cmd, "--short-shingles", &flags->short_shingles,
                    absl::StrCat("minhash: shingles below which a pair is short (default ",
                               kDefaultShortPairShingles, ", 0 = no short-pair rule)"))
      ->check(NumberIn(0, std::numeric_limits<int>::max()));
  cmd->add_flag("--no-lookalike-fold", flags->no_lookalike_fold,
                "minhash word shingles: do not fold OCR look-alike characters (0/o, 1/l/i, "
                "5/s, 8/b/h, c/e, m/n, u/v, 2/z)");
  cmd->add_option("--num-perm", flags->num_perm, "MinHash slots")
      ->capture_default_str()
      ->check(NumberIn(1, kMaxNumPerm));
  cmd->add_option("--verify-bits", flags->verify_bits,
                  "minhash: bits of each slot kept for verification: 8, 16 or 32 (b-bit minwise "
                  "hashing; 32 = full signatures)")
      ->capture_default_str()
      ->check(OneOf({"8", "16", "32"}));
  AddNameOption(cmd, "--scheme", &flags->scheme, MinHashSchemeNames(),
                "MinHash scheme: oph (one permutation, densified) or affine (K hashes)");
  cmd->add_option("--shingle-size", flags->shingle_size,
                  absl::StrCat("Words per shingle (", kDefaultWordShingleSize,
                               "), or characters with --char-shingles (",
                               kDefaultCharShingleSize, ")"))
      ->check(NumberIn(1, kMaxShingleSize));
  cmd->add_flag("--char-shingles", flags->char_shingles, "Character n-gram shingles");
  // Each band reads its own rows: bands times rows is at most --num-perm.
  cmd->add_option("--bands", flags->bands,
                  "LSH bands (default: optimal for the threshold; bands x rows <= --num-perm)")
      ->check(NumberIn(1, kMaxNumPerm));
  cmd->add_option("--rows", flags->rows, "LSH rows per band (with --bands)")
      ->check(NumberIn(1, kMaxNumPerm));
  cmd->add_flag("--exact-verify", flags->exact_verify,
                "Verify candidates by exact Jaccard over shingle sets");
  AddNameOption(cmd, "--grouping", &flags->grouping, GroupingModeNames(),
                "nonchaining (each copy verified against its representative) or components");
  AddNameOption(cmd, "--keep", &flags->keep, KeepPolicyNames(),
                "Representative of a group: earliest (date, then input order; the "
                            "default), longest, first (the default with dedup --keep-first)");
}

absl::Status FillDedupOptions(const DedupFlags& flags, SketchOptions* sketch,
                              CopyGrouperOptions* grouper) {
  DedupJobOptions options;
  STORYSIFT_RETURN_IF_ERROR(MakeDedupOptions(flags, &options));
  *sketch = options.sketch;
  *grouper = options.grouper;
  return absl::OkStatus();
}

absl::StatusOr<Verifier> MakeDedupOptions(const DedupFlags& flags,
                                          CorpusOptions* corpus_options) {
  DedupJobOptions options;
  // Every error here is a bad flag value: exit 2, not 1.
  absl::StatusOr<Verifier> verifier = ApplyDedupSettings(flags, SettingStyle::kFlag, &options);
  if (!verifier.ok()) return AsUsageError(verifier.status());
  corpus_options->sketch = options.sketch;
  corpus_options->keep_shingles = options.exact_verify;
  // The corpus keeps b-bit rows and band keys for the verifier's bands.
  corpus_options->verifier = *verifier;
  return verifier;
}

absl::Status MakeDedupOptions(const DedupFlags& flags, DedupJobOptions* options) {
  // The job makes its Verifier from these; checking them here makes a bad
  // value a usage error (exit 2) before any input is opened.
  return AsUsageError(ApplyDedupSettings(flags, SettingStyle::kFlag, options).status());
}

}  // namespace storysift::cli
