// Near-duplicate flags shared by `dedup`, `cluster` and `tune`.
#ifndef STORYSIFT_CLI_DEDUP_FLAGS_H_
#define STORYSIFT_CLI_DEDUP_FLAGS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "storysift/copy_grouper.h"
#include "pipeline/corpus.h"
#include "storysift/jobs.h"

namespace storysift::cli {

struct DedupFlags {
  std::string method = "minhash";
  double threshold = 0;   // 0: the grouper's default.
  int max_hamming = -1;   // -1: from --threshold for simhash, else the default.
  int num_perm = kDefaultNumPerm;
  int verify_bits = kDefaultVerifyBits;
  std::string scheme = "oph";
  int shingle_size = 0;  // 0: the default for the shingle kind.
  bool char_shingles = false;
  int bands = 0;
  int rows = 0;
  bool exact_verify = false;
  double containment = -1;  // -1: the grouper's default; 0: off.
  double short_threshold = -1;  // -1: the grouper's default.
  int short_shingles = -1;      // -1: the grouper's default; 0: off.
  bool no_lookalike_fold = false;
  std::string grouping = "nonchaining";
  std::string keep;  // Empty: "earliest" ("first" for dedup --keep-first).
};

// `with_threshold` = false leaves --threshold out (commands that sweep it).
void AddDedupFlags(CLI::App* cmd, DedupFlags* flags, bool with_threshold = true);

// Fills the sketch, grouping and verification options of a dedup job from
// the flags. InvalidArgument naming the flag for a bad value (a usage error).
absl::Status MakeDedupOptions(const DedupFlags& flags, DedupJobOptions* options);

// The same for the commands that run the stages themselves (tune, index):
// the sketch part of *corpus_options (with the resolved LSH bands) and
// *grouper.
absl::Status MakeDedupOptions(const DedupFlags& flags, CorpusOptions* corpus_options,
                              CopyGrouperOptions* grouper);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_DEDUP_FLAGS_H_
