// Save / Load of the Deduplicator index; the format is in index_format.h.
#include <cmath>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storysift/bbit_minhash.h"
#include "storysift/date.h"
#include "storysift/deduplicator.h"
#include "storysift/lsh_index.h"
#include "io/output_file.h"
#include "storysift/status_macros.h"
#include "stream/bytes.h"
#include "stream/dedup_state.h"
#include "stream/index_format.h"
#include "stream/option_fields.h"

namespace storysift {
namespace {

using internal::ByteReader;
using internal::ByteWriter;
using internal::NormalizeDifference;
using internal::OptionMismatch;

const internal::SectionFileKind kIndexFile = {
    std::string_view(internal::kIndexMagic, sizeof(internal::kIndexMagic)), kIndexFormatVersion,
    "index"};

// The seeds built into this program: stored, and checked on load, so an
// index from a build with other seeds is refused.
struct BuildSeeds {
  uint64_t token = kTokenHashSeed;
  uint64_t band = kDefaultLshBandSeed;
};

// The options section's fields in file order (index_format.h), for both
// directions: `io` is an OptionsWriter (const options) or an OptionsReader.
template <typename Io, typename Options, typename Seeds>
void OptionFields(Io& io, Options& o, Seeds& seeds) {
  auto& s = o.sketch;
  auto& g = o.grouper;
  io.U8(s.kind);
  io.U8(s.shingle.kind);
  io.U32(s.shingle.size);
  io.U64(s.shingle.seed);
  io.U8(s.minhash.scheme);
  io.U32(s.minhash.num_perm);
  io.U64(s.minhash.seed);
  io.U32(s.simhash.feature_words);
  io.U64(s.simhash.seed);
  io.U64(seeds.token);
  io.U64(seeds.band);
  io.F64(g.jaccard_threshold);
  io.I32(g.max_hamming);
  io.I32(g.lsh.num_bands);
  io.I32(g.lsh.rows_per_band);
  io.I32(g.simhash_blocks);
  io.F64(g.containment_threshold);
  io.U32(g.min_containment_shingles);
  io.U8(o.normalize.markup);
  io.U8(o.normalize.drop_boilerplate);
  io.U8(o.normalize.stem);
  io.I64(o.retention_seconds);
  if (io.Since(2)) io.U8(s.verify_bits);
  if (io.Since(3)) {  // #16: the verdict options added after version 2.
    io.U8(s.shingle.fold_lookalikes);
    io.F64(g.short_jaccard_threshold);
    io.U32(g.short_pair_shingles);
  }
}

std::string EncodeOptions(const DeduplicatorOptions& o) {
  std::string out;
  internal::OptionsWriter w(&out);
  const BuildSeeds seeds;
  OptionFields(w, o, seeds);
  return out;
}

absl::Status Truncated(std::string_view what) {
  return internal::CorruptFileError(kIndexFile, what);
}

bool IsOneOrTwo(auto e) { return static_cast<int>(e) == 1 || static_cast<int>(e) == 2; }

absl::StatusOr<DeduplicatorOptions> DecodeOptions(std::string_view payload, uint32_t version) {
  DeduplicatorOptions o;
  // What files older than a field hold: version 1 kept full signatures
  // (verification used all 32 bits); before version 3 there was no
  // look-alike folding and no short-pair rule.
  o.sketch.verify_bits = 32;
  o.sketch.shingle.fold_lookalikes = false;
  o.grouper.short_pair_shingles = 0;
  BuildSeeds seeds;
  internal::OptionsReader r(payload, version);
  OptionFields(r, o, seeds);
  if (!r.complete()) return Truncated("options section has the wrong size");
  const double short_threshold = o.grouper.short_jaccard_threshold;
  if (!(short_threshold >= 0 && short_threshold <= 1)) {
    return Truncated("options section: bad short-pair threshold");
  }
  if (!ValidateVerifyBits(o.sketch.verify_bits).ok()) {
    return Truncated("options section: bad verify bits");
  }
  if (!IsOneOrTwo(o.sketch.kind) || !IsOneOrTwo(o.sketch.shingle.kind) ||
      !IsOneOrTwo(o.sketch.minhash.scheme) || static_cast<int>(o.normalize.markup) > 2 ||
      r.bad_flag()) {
    return Truncated("options section holds an unknown enum value");
  }
  if (seeds.token != kTokenHashSeed || seeds.band != kDefaultLshBandSeed) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "index was built with token hash seed %#x and LSH band seed %#x; this build "
        "uses %#x and %#x",
        seeds.token, seeds.band, kTokenHashSeed, kDefaultLshBandSeed));
  }
  constexpr uint32_t kMaxSize = 1u << 20;
  if (static_cast<uint32_t>(o.sketch.shingle.size) > kMaxSize ||
      static_cast<uint32_t>(o.sketch.minhash.num_perm) > kMaxSize ||
      static_cast<uint32_t>(o.sketch.simhash.feature_words) > kMaxSize) {
    return Truncated("options section holds an out-of-range size");
  }
  if (o.sketch.kind == SketchKind::kMinHash &&
      (o.grouper.lsh.num_bands == 0 || o.grouper.lsh.rows_per_band == 0)) {
    return Truncated("MinHash index without LSH bands");
  }
  return o;
}

// Names the first option (that changes verdicts) where a and b differ.
std::string FirstDifference(const DeduplicatorOptions& a, const DeduplicatorOptions& b) {
  const SketchOptions& x = a.sketch;
  const SketchOptions& y = b.sketch;
  if (x.kind != y.kind) return "sketch kind (minhash/simhash) differs";
  if (x.shingle.kind != y.shingle.kind) return "shingle kind (word/char) differs";
  if (x.shingle.fold_lookalikes != y.shingle.fold_lookalikes) {
    return "look-alike folding differs";
  }
  if (x.shingle.size != y.shingle.size)
    return OptionMismatch("shingle size", x.shingle.size, y.shingle.size);
  if (x.shingle.seed != y.shingle.seed)
    return OptionMismatch("shingle seed", x.shingle.seed, y.shingle.seed);
  if (x.kind == SketchKind::kMinHash) {
    if (x.minhash.scheme != y.minhash.scheme) return "MinHash scheme (oph/affine) differs";
    if (x.minhash.num_perm != y.minhash.num_perm)
      return OptionMismatch("num_perm", x.minhash.num_perm, y.minhash.num_perm);
    if (x.minhash.seed != y.minhash.seed)
      return OptionMismatch("MinHash seed", x.minhash.seed, y.minhash.seed);
    if (x.verify_bits != y.verify_bits)
      return OptionMismatch("verify bits", x.verify_bits, y.verify_bits);
    if (a.grouper.jaccard_threshold != b.grouper.jaccard_threshold)
      return OptionMismatch("Jaccard threshold", a.grouper.jaccard_threshold,
                            b.grouper.jaccard_threshold);
    if (a.grouper.containment_threshold != b.grouper.containment_threshold) {
      return OptionMismatch("containment threshold", a.grouper.containment_threshold,
                            b.grouper.containment_threshold);
    }
    if (a.grouper.min_containment_shingles != b.grouper.min_containment_shingles) {
      return OptionMismatch("min containment shingles", a.grouper.min_containment_shingles,
                            b.grouper.min_containment_shingles);
    }
    if (a.grouper.short_pair_shingles != b.grouper.short_pair_shingles) {
      return OptionMismatch("short-pair shingles", a.grouper.short_pair_shingles,
                            b.grouper.short_pair_shingles);
    }
    if (a.grouper.short_pair_shingles != 0 &&
        a.grouper.short_jaccard_threshold != b.grouper.short_jaccard_threshold) {
      return OptionMismatch("short-pair Jaccard threshold", a.grouper.short_jaccard_threshold,
                            b.grouper.short_jaccard_threshold);
    }
    if (a.grouper.lsh.num_bands != b.grouper.lsh.num_bands ||
        a.grouper.lsh.rows_per_band != b.grouper.lsh.rows_per_band) {
      return absl::StrFormat("LSH bands x rows %dx%d in the file, %dx%d expected",
                             a.grouper.lsh.num_bands, a.grouper.lsh.rows_per_band,
                             b.grouper.lsh.num_bands, b.grouper.lsh.rows_per_band);
    }
  } else {
    if (x.simhash.feature_words != y.simhash.feature_words)
      return OptionMismatch("SimHash feature words", x.simhash.feature_words,
                            y.simhash.feature_words);
    if (x.simhash.seed != y.simhash.seed)
      return OptionMismatch("SimHash seed", x.simhash.seed, y.simhash.seed);
    if (a.grouper.max_hamming != b.grouper.max_hamming)
      return OptionMismatch("max Hamming distance", a.grouper.max_hamming, b.grouper.max_hamming);
    if (a.grouper.simhash_blocks != b.grouper.simhash_blocks)
      return OptionMismatch("SimHash blocks", a.grouper.simhash_blocks, b.grouper.simhash_blocks);
  }
  if (std::string d = NormalizeDifference(a.normalize, b.normalize); !d.empty()) return d;
  return "";
}

}  // namespace

std::string Deduplicator::SaveToString() const {
  std::shared_lock lock(state_->mu);
  const State& st = *state_;
  std::string docs;
  ByteWriter w(&docs);
  w.U64(st.next_seq);
  w.U8(st.newest.has_value() ? 1 : 0);
  w.I64(st.newest.value_or(0));
  const std::vector<uint32_t> slots = st.SlotsBySeq();
  w.U64(slots.size());
  // Position of each slot in the file, for representative links.
  std::vector<uint32_t> position(st.num_slots(), State::kNone);
  for (uint32_t i = 0; i < slots.size(); ++i) position[slots[i]] = i;
  for (uint32_t s : slots) {
    w.U64(st.seq[s]);
    w.U32(static_cast<uint32_t>(st.ids[s].size()));
    w.Bytes(st.ids[s]);
    w.U8(st.published[s].has_value() ? 1 : 0);
    w.I64(st.published[s].value_or(0));
    w.U32(position[st.rep[s]]);
    w.F64(st.similarity[s]);
    if (st.num_perm() > 0) {
      const SketchView v = st.view(s);
      w.Bytes(std::string_view(reinterpret_cast<const char*>(v.verify.data()), v.verify.size()));
      for (uint32_t key : v.band_keys) w.U32(key);
      w.U32(st.set_size[s]);
    } else {
      w.U64(st.simhash[s]);
    }
    w.I64(st.seen[s]);
    w.U64(st.content_hash[s]);
  }
  return internal::EncodeSectionFile(kIndexFile, {EncodeOptions(options_), docs});
}

absl::Status Deduplicator::Save(std::string_view path) const {
  return WriteFileAtomically(path, SaveToString());
}

absl::StatusOr<std::unique_ptr<Deduplicator>> Deduplicator::Load(
    std::string_view path, const DeduplicatorOptions* expected) {
  const std::string p(path);
  STORYSIFT_ASSIGN_OR_RETURN(const std::string bytes, internal::ReadWholeFile(kIndexFile, path));
  absl::StatusOr<std::unique_ptr<Deduplicator>> loaded = LoadFromString(bytes, expected);
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(), absl::StrCat(p, ": ", loaded.status().message()));
  }
  return loaded;
}

absl::StatusOr<std::unique_ptr<Deduplicator>> Deduplicator::LoadFromString(
    std::string_view bytes, const DeduplicatorOptions* expected) {
  STORYSIFT_ASSIGN_OR_RETURN(const std::vector<std::string_view> payloads,
                             internal::DecodeSectionFile(kIndexFile, bytes, 2));
  const uint32_t version = internal::SectionFileVersion(bytes);
  STORYSIFT_ASSIGN_OR_RETURN(DeduplicatorOptions options, DecodeOptions(payloads[0], version));
  // A version-1 file holds full signatures, so it loads at any width.
  if (version == 1 && expected != nullptr) options.sketch.verify_bits = expected->sketch.verify_bits;
  if (expected != nullptr) {
    // Resolves the expected LSH bands as Create does (the retention is not
    // compared: a kept saved one is no value to check).
    DeduplicatorOptions resolvable = *expected;
    if (resolvable.retention_seconds == kKeepSavedRetention) resolvable.retention_seconds = 0;
    STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<Deduplicator> probe, Create(resolvable));
    const std::string diff = FirstDifference(options, probe->options());
    if (!diff.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("index was built with other options: ", diff));
    }
    if (expected->retention_seconds != kKeepSavedRetention) {
      options.retention_seconds = expected->retention_seconds;
    }
    options.clock_seconds = expected->clock_seconds;
  }
  absl::StatusOr<std::unique_ptr<Deduplicator>> created = Create(options);
  if (!created.ok()) {
    return absl::DataLossError(
        absl::StrCat("index file holds invalid options: ", created.status().message()));
  }
  std::unique_ptr<Deduplicator> dedup = *std::move(created);
  dedup->loaded_format_version_ = version;
  State& st = *dedup->state_;

  ByteReader d(payloads[1]);
  uint8_t has_newest = 0;
  int64_t newest = 0;
  uint64_t count = 0;
  if (!d.U64(&st.next_seq) || !d.U8(&has_newest) || !d.I64(&newest) || !d.U64(&count) ||
      has_newest > 1 || (has_newest == 0 && newest != 0)) {
    return Truncated("documents header");
  }
  if (has_newest) st.newest = newest;
  // Version 1: full signatures, truncated and keyed here; version 2: b-bit
  // rows and band keys as stored.
  const bool full = version == 1;
  const size_t sketch_bytes =
      st.num_perm() == 0 ? 8
      : full           ? 4 * static_cast<size_t>(st.num_perm()) + 4
                       : st.row_bytes() + 4 * st.num_bands() + 4;
  // Version 4: the time the retention counts it at and its content hash.
  const bool seen_and_hash = version >= 4;
  const size_t min_record = 8 + 4 + 1 + 8 + 4 + 8 + sketch_bytes + (seen_and_hash ? 16 : 0);
  if (count > d.remaining() / min_record || count >= State::kNone) {
    return Truncated(absl::StrFormat("%d documents cannot fit in %d bytes", count, d.remaining()));
  }
  std::vector<uint32_t> slot_at(count);  // File position -> slot.
  DocumentSketch sketch;
  sketch.minhash.resize(full ? st.num_perm() : 0);
  State::Encoded encoded;
  std::vector<uint32_t> keys(full ? 0 : st.num_bands());
  uint64_t last_seq = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t seq = 0;
    uint32_t id_len = 0, rep = 0;
    std::string_view id;
    uint8_t has_published = 0;
    int64_t published = 0;
    double similarity = 0;
    if (!d.U64(&seq) || !d.U32(&id_len) || !d.Bytes(id_len, &id) || !d.U8(&has_published) ||
        !d.I64(&published) || !d.U32(&rep) || !d.F64(&similarity)) {
      return Truncated(absl::StrFormat("document %d", i));
    }
    for (uint32_t& v : sketch.minhash) {
      if (!d.U32(&v)) return Truncated(absl::StrFormat("document %d signature", i));
    }
    std::string_view row;
    if (st.num_perm() > 0 && !full && !d.Bytes(st.row_bytes(), &row)) {
      return Truncated(absl::StrFormat("document %d verification row", i));
    }
    for (uint32_t& key : keys) {
      if (!d.U32(&key)) return Truncated(absl::StrFormat("document %d band keys", i));
    }
    if (st.num_perm() > 0 && !d.U32(&sketch.set_size)) {
      return Truncated(absl::StrFormat("document %d shingle-set size", i));
    }
    if (st.num_perm() == 0 && !d.U64(&sketch.simhash)) {
      return Truncated(absl::StrFormat("document %d fingerprint", i));
    }
    int64_t seen = published;
    uint64_t content_hash = 0;
    if (seen_and_hash && (!d.I64(&seen) || !d.U64(&content_hash))) {
      return Truncated(absl::StrFormat("document %d retention time", i));
    }
    if ((i > 0 && seq <= last_seq) || seq >= st.next_seq) {
      return Truncated(absl::StrFormat("document %d is out of arrival order", i));
    }
    last_seq = seq;
    if (id.empty() || st.slot_of.contains(AbslView(id))) {
      return Truncated(absl::StrFormat("document %d has an empty or repeated id", i));
    }
    // Counted at its date or, a date past the clock, at an earlier time.
    if (has_published > 1 || (has_published == 0 && (published != 0 || seen != 0)) ||
        seen > published) {
      return Truncated(absl::StrFormat("document %d has a bad publication time", i));
    }
    if (rep > i || (rep < i && st.rep[slot_at[rep]] != slot_at[rep]) ||
        !(std::isfinite(similarity))) {
      return Truncated(absl::StrFormat("document %d has a bad representative link", i));
    }
    std::optional<int64_t> when;
    if (has_published) when = published;
    SketchView stored;
    if (st.num_perm() > 0 && full) {
      st.Encode(sketch, &encoded);
      stored = encoded.view;
    } else if (st.num_perm() > 0) {
      stored.verify = absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(row.data()), row.size());
      stored.verify_bits = st.verify_bits();
      stored.band_keys = keys;
    } else {
      stored.simhash = sketch.simhash;
    }
    const uint32_t s =
        st.Store({id, when, seen, seq, sketch.set_size, content_hash}, stored);
    slot_at[i] = s;
    if (rep == i) {
      st.similarity[s] = similarity;
      if (absl::Status added = st.IndexRep(s); !added.ok()) {
        return absl::DataLossError(absl::StrCat("index rebuild failed: ", added.message()));
      }
    } else {
      st.LinkCopy(s, slot_at[rep], similarity);
    }
  }
  if (d.remaining() != 0) return Truncated("trailing bytes in the documents section");
  return dedup;
}

namespace internal {

std::string FixIndexChecksums(std::string_view bytes) { return FixSectionChecksums(bytes); }

}  // namespace internal
}  // namespace storysift
