#include "storysift/simhash_index.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_format.h"
#include "index/compact_multimap.h"

namespace storysift {

absl::StatusOr<SimHashIndex> SimHashIndex::Create(const SimHashIndexOptions& options) {
  SimHashIndexOptions o = options;
  if (o.max_distance < 0 || o.max_distance > kMaxSimHashDistance) {
    return absl::InvalidArgumentError(
        absl::StrFormat("SimHash max_distance = %d is outside [0, %d]", o.max_distance,
                        kMaxSimHashDistance));
  }
  if (o.num_blocks == 0) o.num_blocks = o.max_distance + 1;
  if (o.num_blocks <= o.max_distance || o.num_blocks > kMaxSimHashBlocks) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "SimHash num_blocks = %d must be in (max_distance = %d, %d]", o.num_blocks,
        o.max_distance, kMaxSimHashBlocks));
  }
  SimHashIndex index(o);
  // Blocks of near-equal width covering the 64 bits.
  const int m = o.num_blocks;
  std::vector<uint64_t> block_masks(m);
  int bit = 0;
  for (int i = 0; i < m; ++i) {
    const int width = 64 / m + (i < 64 % m ? 1 : 0);
    block_masks[i] = (width == 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1)) << bit;
    bit += width;
  }
  // One table per subset of m - k blocks, enumerated in increasing bitmask
  // order so the layout is deterministic.
  const int keep = m - o.max_distance;
  for (uint32_t subset = 0; subset < (1u << m); ++subset) {
    if (std::popcount(subset) != keep) continue;
    if (index.masks_.size() == 64) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "SimHash index with k = %d and %d blocks needs more than 64 tables",
          o.max_distance, m));
    }
    uint64_t mask = 0;
    for (int i = 0; i < m; ++i) {
      if (subset & (1u << i)) mask |= block_masks[i];
    }
    index.masks_.push_back(mask);
  }
  index.tables_.resize(index.masks_.size());
  return index;
}

SimHashIndex::SimHashIndex(const SimHashIndexOptions& options)
    : options_(options), present_(std::make_unique<internal::OrdinalSet>()) {}
SimHashIndex::SimHashIndex(SimHashIndex&&) noexcept = default;
SimHashIndex& SimHashIndex::operator=(SimHashIndex&&) noexcept = default;
SimHashIndex::~SimHashIndex() = default;

absl::Status SimHashIndex::Add(DocOrdinal ordinal, const SketchView& sketch) {
  if (present_->Contains(ordinal)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("document %d is already in the SimHash index", ordinal));
  }
  present_->Insert(ordinal);
  if (ordinal >= fingerprints_.size()) {
    fingerprints_.resize(std::max<size_t>(ordinal + 1, fingerprints_.size() * 3 / 2));
  }
  fingerprints_[ordinal] = sketch.simhash;
  for (size_t t = 0; t < masks_.size(); ++t) {
    tables_[t].Insert(sketch.simhash & masks_[t], ordinal);
  }
  return absl::OkStatus();
}

absl::Status SimHashIndex::Query(const SketchView& sketch,
                                 std::vector<DocOrdinal>* out) const {
  out->clear();
  const uint64_t q = sketch.simhash;
  const int k = options_.max_distance;
  for (size_t t = 0; t < masks_.size(); ++t) {
    tables_[t].ForEach(q & masks_[t], [&](DocOrdinal o) {
      if (std::popcount(fingerprints_[o] ^ q) <= k) out->push_back(o);
    });
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return absl::OkStatus();
}

absl::Status SimHashIndex::Remove(DocOrdinal ordinal, const SketchView& sketch) {
  if (!present_->Contains(ordinal)) {
    return absl::NotFoundError(
        absl::StrFormat("document %d is not in the SimHash index", ordinal));
  }
  if (fingerprints_[ordinal] != sketch.simhash) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "document %d was added to the SimHash index with another fingerprint",
        ordinal));
  }
  for (size_t t = 0; t < masks_.size(); ++t) {
    tables_[t].Erase(sketch.simhash & masks_[t], ordinal);
  }
  present_->Erase(ordinal);
  return absl::OkStatus();
}

size_t SimHashIndex::size() const { return present_->size(); }

size_t SimHashIndex::MemoryUsage() const {
  size_t bytes = present_->MemoryUsage() + fingerprints_.capacity() * sizeof(uint64_t) +
                 masks_.capacity() * sizeof(uint64_t) +
                 tables_.capacity() * sizeof(internal::CompactMultimap);
  for (const auto& t : tables_) bytes += t.MemoryUsage();
  return bytes;
}

}  // namespace storysift
