// Document frequencies of terms over a reference corpus, saved to disk so
// that later runs (or a stream) weight terms as that corpus did.
//
// File format v1 (all integers little-endian):
//   "SSIDF\0\0\0"        8-byte magic
//   u32 format_version   1
//   u32 reserved         0
//   u64 payload_size     bytes after this header
//   u64 checksum         XXH3_64bits(payload), seed 0
//   payload:
//     u64 num_docs, u64 num_terms
//     num_terms x (u64 term_hash, u32 df)  term_hash strictly increasing
//     num_terms x u32 display_end          offsets into the display bytes
//     u64 display_bytes, then the display bytes (UTF-8, concatenated)
#ifndef STORYSIFT_IDF_MODEL_H_
#define STORYSIFT_IDF_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace storysift {

inline constexpr uint32_t kIdfModelFormatVersion = 1;

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

  // InvalidArgument when a term repeats, a df is 0 or exceeds num_docs, or
  // more than 2^32-1 bytes of display strings are given.
  static absl::StatusOr<IdfModel> FromTerms(uint64_t num_docs,
                                            std::vector<IdfTerm> terms);

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

  // The file bytes (see the format above).
  std::string Serialize() const;
  // Parses file bytes. DataLoss on a wrong magic, a truncated or oversized
  // payload, a checksum mismatch or inconsistent contents; Unimplemented on
  // an unknown format_version.
  static absl::StatusOr<IdfModel> Parse(std::string_view bytes);

  // Writes atomically: a temporary file in the same directory, fsync, then
  // rename over `path`. Internal/PermissionDenied/NotFound from the OS.
  absl::Status Save(const std::string& path) const;
  // NotFound when `path` is missing; otherwise as Parse().
  static absl::StatusOr<IdfModel> Load(const std::string& path);

 private:
  uint64_t num_docs_ = 0;
  std::vector<uint64_t> hashes_;  // Sorted ascending.
  std::vector<uint32_t> df_;
  std::vector<uint32_t> display_end_;
  std::string display_pool_;
};

}  // namespace storysift

#endif  // STORYSIFT_IDF_MODEL_H_
