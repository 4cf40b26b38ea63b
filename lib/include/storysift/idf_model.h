// Document frequencies of terms over a reference corpus, saved to disk so
// that later runs (or a stream) weight terms as that corpus did.
//
// A term is the token hash of a folded word (or of its stem), so a model's
// df mean something only to runs that make their terms the same way: the
// model records the options that decide them (IdfTermOptions) and
// CheckTermOptions() refuses a run made otherwise. A run with other terms
// would find few of its terms in the model, give them all the largest idf,
// and cluster other stories, without any error.
//
// File format v2 (all integers little-endian):
//   "SSIDF\0\0\0"        8-byte magic
//   u32 format_version   2
//   u32 reserved         0
//   u64 payload_size     bytes after this header
//   u64 checksum         XXH3_64bits(payload), seed 0
//   payload:
//     u8 stem              0 off, 1 on, 255 not recorded
//     u8 markup            0 auto, 1 html, 2 plain (MarkupMode), 255 not recorded
//     u8 drop_boilerplate  0 off, 1 on, 255 not recorded
//     u8 reserved          0
//     u64 token_hash_seed  kTokenHashSeed of the build that made the terms
//     u64 stop_words       Normalizer::StopWordListFingerprint() of that build
//     then the v1 payload:
//     u64 num_docs, u64 num_terms
//     num_terms x (u64 term_hash, u32 df)  term_hash strictly increasing
//     num_terms x u32 display_end          offsets into the display bytes
//     u64 display_bytes, then the display bytes (UTF-8, concatenated)
//
// Format v1 (written before v2; `idf build` always took --stem and
// --markup) is the v2 payload without its first 20 bytes: it records no
// term option. It still loads. Its stem is read off its terms: without
// stemming every term hash is the token hash of its display form (the
// folded word); with stemming the words that stem to something else (any
// plural) have the stem's hash. A model holding only words that are their
// own stems (or no term) leaves stem not recorded. markup and
// drop_boilerplate are not recorded: CheckTermOptions() cannot check them
// and UnrecordedTermOptions() names them, for the caller to say so. Its
// token hash seed and stop-word list are this build's: neither has changed
// since format v1 existed. A v1 model is saved again as v2, with what was
// not recorded still marked so.
#ifndef STORYSIFT_IDF_MODEL_H_
#define STORYSIFT_IDF_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storysift/normalize.h"

namespace storysift {

inline constexpr uint32_t kIdfModelFormatVersion = 2;

// The options that decide a document's TF-IDF terms, as a model records
// them: which words count (markup, boilerplate lines, the stop-word list)
// and the hash each gets (stemming, the token hash seed). nullopt: the file
// does not record it (format v1).
struct IdfTermOptions {
  std::optional<bool> stem;
  std::optional<MarkupMode> markup;
  std::optional<bool> drop_boilerplate;
  uint64_t token_hash_seed = kTokenHashSeed;
  uint64_t stop_words = Normalizer::StopWordListFingerprint();

  // Every option recorded: those of `normalize`, this build's seed and list.
  static IdfTermOptions Of(const NormalizeOptions& normalize);
};

struct IdfTerm {
  uint64_t term_hash = 0;  // Token::term.
  uint32_t df = 0;         // Documents containing the term.
  std::string display;     // Surface form for labels.
};

// Thread safety: immutable after construction; const methods are safe to
// call concurrently.
class IdfModel {
 public:
  IdfModel() = default;

  // `made_with`: the options of the Normalizer whose Token::term values the
  // term hashes are (recorded, see above). InvalidArgument when a term
  // repeats, a df is 0 or exceeds num_docs, or more than 2^32-1 bytes of
  // display strings are given.
  static absl::StatusOr<IdfModel> FromTerms(uint64_t num_docs, std::vector<IdfTerm> terms,
                                            const NormalizeOptions& made_with);

  uint64_t num_docs() const { return num_docs_; }
  size_t num_terms() const { return hashes_.size(); }
  // Document frequency of a term; 0 when the model lacks it.
  uint32_t df(uint64_t term_hash) const;
  // ln((1 + N) / (1 + df)) + 1, the smoothed idf (see tfidf.h).
  double idf(uint64_t term_hash) const;
  // Display string of a term; empty when the model lacks it.
  std::string_view display(uint64_t term_hash) const;
  // The i-th term in hash order, i < num_terms().
  IdfTerm term(size_t i) const;

  // The term options the model was built with (see IdfTermOptions).
  const IdfTermOptions& term_options() const { return term_options_; }
  // The format version of the file it was parsed from; kIdfModelFormatVersion
  // for a model made in memory.
  uint32_t format_version() const { return format_version_; }
  // True when term_options().stem was read off the terms of a v1 file.
  bool stem_inferred() const { return stem_inferred_; }

  // OK when a run whose Normalizer has `run` options makes the terms this
  // model counted. InvalidArgument otherwise, naming every option that
  // differs with the model's value and the run's ("stem: model on, run
  // off; markup: model html, run auto"). Options the model does not record
  // are not checked (UnrecordedTermOptions()).
  absl::Status CheckTermOptions(const NormalizeOptions& run) const;
  // The options CheckTermOptions() cannot check ("markup",
  // "drop_boilerplate", "stem"), in that order; empty for a v2 model.
  std::vector<std::string> UnrecordedTermOptions() const;

  // The file bytes (see the format above).
  std::string Serialize() const;
  // Parses file bytes (format v2 or v1). DataLoss on a wrong magic, a
  // truncated or oversized payload, a checksum mismatch or inconsistent
  // contents (an option byte outside its values); Unimplemented on an
  // unknown format_version.
  static absl::StatusOr<IdfModel> Parse(std::string_view bytes);

  // Writes atomically: a temporary file in the same directory, fsync, then
  // rename over `path` (a symlink's target is replaced, and keeps its
  // permission bits), compressed as the name asks (`model.bin.gz`: gzip;
  // .zst, .xz). Unavailable/PermissionDenied/NotFound from the OS;
  // InvalidArgument for a loop of symbolic links.
  absl::Status Save(const std::string& path) const;
  // Reads a model, compressed or not. NotFound when `path` is missing,
  // DataLoss for damaged compressed data; otherwise as Parse().
  static absl::StatusOr<IdfModel> Load(const std::string& path);

 private:
  uint64_t num_docs_ = 0;
  IdfTermOptions term_options_ = IdfTermOptions::Of({});
  uint32_t format_version_ = kIdfModelFormatVersion;
  bool stem_inferred_ = false;
  std::vector<uint64_t> hashes_;  // Sorted ascending.
  std::vector<uint32_t> df_;
  std::vector<uint32_t> display_end_;
  std::string display_pool_;
};

}  // namespace storysift

#endif  // STORYSIFT_IDF_MODEL_H_
