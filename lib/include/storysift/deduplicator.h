// The embeddable near-duplicate stage: feed articles one at a time and get a
// verdict for each ("new", or "near-duplicate of <id>" with its similarity),
// with an index that can be saved to disk and loaded to carry on.
//
// Semantics: exactly the batch `dedup` grouping with KeepPolicy::kFirst and
// non-chaining mode, in arrival order. Documents are normalized by the same
// Normalizer and sketched by the same Sketcher as the batch path, verified
// by the same Verifier (Verifier::Compare: MinHash estimated Jaccard or
// containment from the shingle-set sizes; SimHash Hamming distance) and
// indexed with the same LSH bands (Verifier::bands), so a stream gives the
// verdicts batch `dedup --keep first` gives for the same input order.
// Verification uses signatures and set sizes only (no exact-Jaccard mode:
// shingle sets are not kept).
//
// Storage: every added document is stored (id, publication time, sketch and
// shingle-set size, arrival number; for MinHash the sketch is a b-bit
// verification row, sketch.verify_bits per slot, and num_bands 32-bit LSH
// band keys: 128 + 4 * bands bytes at 128 slots and 8 bits, not 512) so that ids stay unique and the index can be saved. Only
// representatives ("new" documents) are in the candidate index; a copy is a
// record linked to its representative and is never matched against (no
// chaining). Removing or evicting a representative removes its copies too.
//
// Retention: with retention_seconds > 0, each Add of a dated document first
// evicts groups whose representative was published more than
// retention_seconds before the clock, then judges the document, and keeps it
// only if it lies inside the window itself (an older one would be evicted at
// once: DedupVerdict::stored is false). The clock is the newest credible
// publication time added, by the rule of `cluster --state` (a date more than
// a day past the caller's clock, or one alone a month, or the retention if
// longer, past every other stored date, is a typo: such a document is kept
// but counts as seen at the clock, DedupVerdict::future_dated, and evicts
// nothing; when other documents of its time arrive, it counts at its own
// date). Undated representatives are never evicted by time.
// EvictOlderThan() evicts on demand.
//
// Thread safety: Query(), Sketch(), Size(), MemoryUsage(), Contains() and
// Save() may run concurrently from any number of threads, together with one
// writer calling Add(), Remove() or EvictOlderThan() (a std::shared_mutex:
// readers share it, a writer holds it alone; normalization and sketching run
// before the lock is taken).
#ifndef STORYSIFT_DEDUPLICATOR_H_
#define STORYSIFT_DEDUPLICATOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storysift/copy_grouper.h"
#include "storysift/document.h"
#include "storysift/normalize.h"
#include "storysift/sketcher.h"
#include "storysift/verifier.h"

namespace storysift {

struct DeduplicatorOptions {
  NormalizeOptions normalize;
  SketchOptions sketch;
  // Checked once, with `sketch`, by Verifier::Create. keep and mode are
  // ignored: the stream keeps the first arrival, non-chaining. lsh {0, 0}
  // picks bands as batch does (Verifier::bands); the chosen (b, r) are
  // recorded in options() and the file, as are the containment settings.
  CopyGrouperOptions grouper;
  // > 0: automatic eviction on Add (see above). 0: keep everything. At most
  // kMaxRetentionSeconds (storysift/date.h, 400 years).
  int64_t retention_seconds = 0;
  // The caller's clock, UTC seconds (0: the system's): a publication time
  // more than a day after it never moves the retention clock. A run option:
  // not saved; Load takes `expected`'s, as for retention_seconds.
  int64_t clock_seconds = 0;
};

struct DedupVerdict {
  bool is_new = true;
  std::string duplicate_of;  // Representative's id when !is_new, else empty.
  double similarity = 0;     // To the representative when !is_new, else 0.
  // Add only (Query leaves the defaults):
  // False when the document was judged but not kept: it was published before
  // the retention window (it would have been evicted at once).
  bool stored = true;
  // Its publication time is past the latest credible date (see Retention):
  // it did not move the clock and counts as seen at the clock.
  bool future_dated = false;
  // Documents (copies included) this Add evicted first (retention).
  size_t evicted = 0;
};

// A document's sketch, computed by Deduplicator::Sketch (thread-safe, so
// callers may sketch in parallel and Add in order).
struct DocumentSketch {
  // num_perm slots (kMinHash), full: the index derives LSH band keys from it
  // and stores only those and the low sketch.verify_bits bits of each slot.
  std::vector<uint32_t> minhash;
  uint64_t simhash = 0;           // (kSimHash).
  // Shingle-set size (kMinHash), for the containment test; 0 = unknown,
  // which turns containment off for this document.
  uint32_t set_size = 0;
  // DocumentContentHash (storysift/story_state.h: title, text, date, source,
  // url), stored so that a later Add of the id can tell a re-fed document
  // from changed content (CompareStored). 0 = unknown. Sketch() sets it;
  // SketchText() sees the body only and leaves it to the caller.
  uint64_t content_hash = 0;
};

// How a document compares with the one an index stores under its id.
enum class StoredContent {
  kAbsent,   // No document with this id is stored.
  kSame,     // Stored with the same content hash.
  kChanged,  // Stored with another content hash.
  kUnknown,  // Stored, but a hash is unknown (0): added without one, or
             // loaded from a file of format version 3 or older.
};

class Deduplicator {
 public:
  // InvalidArgument for bad normalize, sketch or grouper options
  // (Verifier::Create), or a retention outside 0..kMaxRetentionSeconds.
  static absl::StatusOr<std::unique_ptr<Deduplicator>> Create(const DeduplicatorOptions& options);

  // Reads an index written by Save(), compressed or not. NotFound /
  // PermissionDenied when the file cannot be read, DataLoss for damaged
  // compressed data; see LoadFromString for the rest.
  static absl::StatusOr<std::unique_ptr<Deduplicator>> Load(
      std::string_view path, const DeduplicatorOptions* expected = nullptr);

  // Parses index bytes. Unimplemented for a newer format version; DataLoss
  // for a bad magic, a checksum mismatch, a truncated or inconsistent file;
  // FailedPrecondition when `expected` is given and the file was built with
  // other normalize, sketch or grouper options (the message names the
  // field). With `expected`, its retention_seconds replaces the file's
  // (kKeepSavedRetention, storysift/date.h, keeps the file's), and its clock_seconds is used.
  static absl::StatusOr<std::unique_ptr<Deduplicator>> LoadFromString(
      std::string_view bytes, const DeduplicatorOptions* expected = nullptr);

  Deduplicator(const Deduplicator&) = delete;
  Deduplicator& operator=(const Deduplicator&) = delete;
  ~Deduplicator();

  // Verdict for `doc` against the representatives, then stores it (indexed
  // only if new) unless it is older than the retention window. May first
  // evict (retention). InvalidArgument for an empty id; AlreadyExists if a
  // document with this id is stored (nothing changes; CompareStored tells
  // whether its content differs); ResourceExhausted past 2^32 - 2 stored
  // documents.
  absl::StatusOr<DedupVerdict> Add(const Document& doc);
  // As Add, with a sketch from Sketch() (same options).
  absl::StatusOr<DedupVerdict> AddSketch(std::string_view id, std::optional<int64_t> published,
                                         const DocumentSketch& sketch);

  // The verdict Add would give, without storing anything or evicting.
  absl::StatusOr<DedupVerdict> Query(const Document& doc) const;
  absl::StatusOr<DedupVerdict> QuerySketch(const DocumentSketch& sketch) const;

  // Normalizes and sketches doc.text (the title is not part of the sketch,
  // as in batch dedup). Thread-safe, takes no lock.
  DocumentSketch Sketch(const Document& doc) const;
  // Sketches an already normalized body. REQUIRES: `body` comes from a
  // Normalizer created with options().normalize.
  DocumentSketch SketchText(const NormalizedText& body) const;

  // Removes the document; for a representative, its copies too. Returns the
  // number of documents removed. NotFound for an unknown id.
  absl::StatusOr<size_t> Remove(std::string_view id);

  // Removes every group whose representative was published before
  // `utc_seconds`. Returns the number of documents removed.
  size_t EvictOlderThan(int64_t utc_seconds);

  bool Contains(std::string_view id) const;
  // What the retention counts from: the latest credible publication time
  // added (see Retention); nullopt before any dated document.
  std::optional<int64_t> RetentionClock() const;
  // Whether `id` is stored and how `content_hash` compares with the hash it
  // was stored with (for an Add that failed with AlreadyExists).
  StoredContent CompareStored(std::string_view id, uint64_t content_hash) const;
  size_t Size() const;                // Stored documents (copies included).
  size_t NumRepresentatives() const;  // Documents in the candidate index.
  // Heap bytes: stored records, sketches, id map and candidate index.
  size_t MemoryUsage() const;

  // Writes the index atomically (temporary file, fsync, rename): a crash
  // leaves the previous file intact; compressed as the name asks
  // (`feed.idx.gz`: gzip; .zst, .xz). Errors from the file system.
  absl::Status Save(std::string_view path) const;
  // The bytes Save writes.
  std::string SaveToString() const;

  // The options in force, with the LSH (b, r) resolved.
  const DeduplicatorOptions& options() const { return options_; }
  // The format version of the file Load() read (kIndexFormatVersion for an
  // index from Create()); Save() always writes kIndexFormatVersion.
  uint32_t loaded_format_version() const { return loaded_format_version_; }

 private:
  struct State;
  Deduplicator(const DeduplicatorOptions& options, Normalizer normalizer, Sketcher sketcher,
               std::unique_ptr<State> state);

  const DeduplicatorOptions options_;
  const Normalizer normalizer_;
  const Sketcher sketcher_;
  std::unique_ptr<State> state_;  // Guarded by its mutex.
  uint32_t loaded_format_version_;
};

// Format version written by Save(); files with a larger one are refused
// (Unimplemented). Version 2 stores b-bit verification rows and LSH band
// keys; version 1 files (full signatures) still load, truncated on load to
// the expected verify_bits (32 without `expected`). Version 3 adds the
// look-alike folding flag and the short-pair rule (older files load with
// both off, so their verdicts do not change). Version 4 adds each
// document's content hash and the time the retention counts it at (older
// files load with unknown hashes, StoredContent::kUnknown, and every
// document counted at its publication time).
inline constexpr uint32_t kIndexFormatVersion = 4;

}  // namespace storysift

#endif  // STORYSIFT_DEDUPLICATOR_H_
