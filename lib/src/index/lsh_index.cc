#include "storysift/lsh_index.h"

#include <algorithm>
#include <cassert>

#include "absl/strings/str_format.h"
#include "index/compact_multimap.h"
#include "storysift/minhash.h"
#include "storysift/status_macros.h"
#include "xxhash.h"

namespace storysift {

absl::StatusOr<LshIndex> LshIndex::Create(const LshIndexOptions& options) {
  LshParams params = options.params;
  if (params.num_bands == 0 && params.rows_per_band == 0) {
    STORYSIFT_ASSIGN_OR_RETURN(params,
                               OptimalLshParams(options.threshold, options.num_perm));
  } else {
    STORYSIFT_RETURN_IF_ERROR(ValidateLshParams(params, options.num_perm));
  }
  return LshIndex(options, params);
}

LshIndex::LshIndex(const LshIndexOptions& options, const LshParams& params)
    : options_(options),
      params_(params),
      bands_(params.num_bands),
      present_(std::make_unique<internal::OrdinalSet>()) {}

LshIndex::LshIndex(LshIndex&&) noexcept = default;
LshIndex& LshIndex::operator=(LshIndex&&) noexcept = default;
LshIndex::~LshIndex() = default;

absl::Status LshIndex::CheckSketch(const SketchView& sketch) const {
  if (!sketch.band_keys.empty()) {
    if (!options_.short_keys || sketch.band_keys.size() != static_cast<size_t>(num_bands())) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%d precomputed band keys for an LSH index of %d bands%s", sketch.band_keys.size(),
          num_bands(), options_.short_keys ? "" : " without short keys"));
    }
    return absl::OkStatus();
  }
  if (sketch.minhash.size() != static_cast<size_t>(options_.num_perm)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("MinHash signature has %d slots, the LSH index expects %d",
                        sketch.minhash.size(), options_.num_perm));
  }
  return absl::OkStatus();
}

uint64_t LshIndex::BandKey(absl::Span<const uint32_t> sig, int band) const {
  const int r = params_.rows_per_band;
  const uint64_t key = XXH3_64bits_withSeed(sig.data() + band * r, sizeof(uint32_t) * r,
                                            options_.band_seed + band);
  return options_.short_keys ? (key & 0xFFFFFFFFu) : key;
}

uint64_t LshIndex::Key(const SketchView& sketch, int band) const {
  return sketch.band_keys.empty() ? BandKey(sketch.minhash, band) : sketch.band_keys[band];
}

bool LshIndex::IsEmpty(const SketchView& sketch) {
  return sketch.band_keys.empty() ? IsEmptySignature(sketch.minhash) : sketch.empty_set;
}

void LshIndex::ComputeBandKeys(absl::Span<const uint32_t> sig, absl::Span<uint32_t> out) const {
  assert(options_.short_keys && out.size() == static_cast<size_t>(num_bands()));
  for (int i = 0; i < num_bands(); ++i) out[i] = static_cast<uint32_t>(BandKey(sig, i));
}

absl::Status LshIndex::Add(DocOrdinal ordinal, const SketchView& sketch) {
  STORYSIFT_RETURN_IF_ERROR(CheckSketch(sketch));
  if (present_->Contains(ordinal)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("document %d is already in the LSH index", ordinal));
  }
  present_->Insert(ordinal);
  if (IsEmpty(sketch)) return absl::OkStatus();
  for (int i = 0; i < params_.num_bands; ++i) {
    bands_[i].Insert(Key(sketch, i), ordinal);
  }
  return absl::OkStatus();
}

absl::Status LshIndex::Query(const SketchView& sketch,
                             std::vector<DocOrdinal>* out) const {
  out->clear();
  STORYSIFT_RETURN_IF_ERROR(CheckSketch(sketch));
  if (IsEmpty(sketch)) return absl::OkStatus();
  for (int i = 0; i < params_.num_bands; ++i) {
    bands_[i].Append(Key(sketch, i), out);
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return absl::OkStatus();
}

absl::Status LshIndex::Remove(DocOrdinal ordinal, const SketchView& sketch) {
  STORYSIFT_RETURN_IF_ERROR(CheckSketch(sketch));
  if (!present_->Contains(ordinal)) {
    return absl::NotFoundError(
        absl::StrFormat("document %d is not in the LSH index", ordinal));
  }
  // An empty signature was never bucketed (Add), so there is nothing to erase.
  if (!IsEmpty(sketch)) {
    uint64_t keys_small[64];
    std::vector<uint64_t> keys_big;
    uint64_t* keys = keys_small;
    if (params_.num_bands > 64) {
      keys_big.resize(params_.num_bands);
      keys = keys_big.data();
    }
    for (int i = 0; i < params_.num_bands; ++i) {
      keys[i] = Key(sketch, i);
      if (!bands_[i].Contains(keys[i], ordinal)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "document %d was added to the LSH index with another signature", ordinal));
      }
    }
    for (int i = 0; i < params_.num_bands; ++i) bands_[i].Erase(keys[i], ordinal);
  }
  present_->Erase(ordinal);
  return absl::OkStatus();
}

size_t LshIndex::size() const { return present_->size(); }

size_t LshIndex::MemoryUsage() const {
  size_t bytes = present_->MemoryUsage() +
                 bands_.capacity() * sizeof(internal::CompactMultimap);
  for (const auto& b : bands_) bytes += b.MemoryUsage();
  return bytes;
}

}  // namespace storysift
