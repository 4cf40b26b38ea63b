// Near-duplicate flags shared by `dedup`, `cluster` and `tune`.
#ifndef STORYSIFT_CLI_DEDUP_FLAGS_H_
#define STORYSIFT_CLI_DEDUP_FLAGS_H_

#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "storysift/copy_grouper.h"
#include "pipeline/corpus.h"
#include "storysift/jobs.h"
#include "storysift/verifier.h"

namespace storysift::cli {

struct DedupFlags {
  SketchKind method = SketchKind::kMinHash;
  double threshold = 0;   // 0: the grouper's default.
  int max_hamming = -1;   // -1: from --threshold for simhash, else the default.
  int num_perm = kDefaultNumPerm;
  int verify_bits = kDefaultVerifyBits;
  MinHashScheme scheme = MinHashScheme::kOnePermutation;
  int shingle_size = 0;  // 0: the default for the shingle kind.
  bool char_shingles = false;
  int bands = 0;
  int rows = 0;
  bool exact_verify = false;
  double containment = -1;  // -1: the grouper's default; 0: off.
  double short_threshold = -1;  // -1: the grouper's default.
  int short_shingles = -1;      // -1: the grouper's default; 0: off.
  bool no_lookalike_fold = false;
  GroupingMode grouping = GroupingMode::kNonChaining;
  std::optional<KeepPolicy> keep;  // Unset: earliest (first for dedup --keep-first).
};

// `with_threshold` = false leaves --threshold out (commands that sweep it).
void AddDedupFlags(CLI::App* cmd, DedupFlags* flags, bool with_threshold = true);

// Translates the flags into sketch and grouping options, unchecked (the
// Deduplicator checks them when it is created). InvalidArgument naming the
// flag for an unknown name (a usage error, exit 2).
absl::Status FillDedupOptions(const DedupFlags& flags, SketchOptions* sketch,
                              CopyGrouperOptions* grouper);

// Fills the sketch part of *corpus_options from the flags and returns the
// Verifier for them made once; the corpus keeps
// b-bit rows and band keys for it (corpus_options->verifier). A usage error
// (exit 2) naming the flag or setting for a bad value.
absl::StatusOr<Verifier> MakeDedupOptions(const DedupFlags& flags,
                                          CorpusOptions* corpus_options);

// Fills the job's sketch and grouping options (and exact_verify) from the
// flags; a usage error naming the flag or setting for a bad value.
absl::Status MakeDedupOptions(const DedupFlags& flags, DedupJobOptions* options);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_DEDUP_FLAGS_H_
