// A 64-bit key -> list of ordinals map sized for LSH buckets, where most keys
// hold a single ordinal: the first ordinal lives inline in the hash-table
// slot (16 bytes per slot with the key), further ones in a pooled side list.
// Also a presence bitmap of ordinals. Not thread-safe for writes.
#ifndef STORYSIFT_INDEX_COMPACT_MULTIMAP_H_
#define STORYSIFT_INDEX_COMPACT_MULTIMAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "storysift/document.h"

namespace storysift::internal {

class CompactMultimap {
 public:
  void Insert(uint64_t key, DocOrdinal ordinal);
  // True if (key, ordinal) is present.
  bool Contains(uint64_t key, DocOrdinal ordinal) const;
  // Removes (key, ordinal); REQUIRES: Contains(key, ordinal).
  void Erase(uint64_t key, DocOrdinal ordinal);
  // Appends the ordinals under key to *out (unsorted).
  void Append(uint64_t key, std::vector<DocOrdinal>* out) const;
  // Calls f(ordinal) for each ordinal under key.
  template <typename F>
  void ForEach(uint64_t key, F f) const {
    auto it = map_.find(key);
    if (it == map_.end()) return;
    f(it->second.first);
    if (it->second.more != kNone) {
      for (DocOrdinal o : lists_[it->second.more]) f(o);
    }
  }
  size_t MemoryUsage() const;

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  struct Bucket {
    DocOrdinal first;
    uint32_t more;  // Index into lists_, or kNone.
  };
  absl::flat_hash_map<uint64_t, Bucket> map_;
  std::vector<std::vector<DocOrdinal>> lists_;
  std::vector<uint32_t> free_lists_;
};

// A growable bitmap of present ordinals.
class OrdinalSet {
 public:
  bool Contains(DocOrdinal o) const {
    return o / 64 < bits_.size() && ((bits_[o / 64] >> (o % 64)) & 1);
  }
  void Insert(DocOrdinal o);
  void Erase(DocOrdinal o) {
    if (Contains(o)) {
      bits_[o / 64] &= ~(uint64_t{1} << (o % 64));
      --size_;
    }
  }
  size_t size() const { return size_; }
  size_t MemoryUsage() const { return bits_.capacity() * sizeof(uint64_t); }

 private:
  std::vector<uint64_t> bits_;
  size_t size_ = 0;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_INDEX_COMPACT_MULTIMAP_H_
