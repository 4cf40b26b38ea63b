#include "index/compact_multimap.h"

#include <algorithm>
#include <cassert>

namespace storysift::internal {

void CompactMultimap::Insert(uint64_t key, DocOrdinal ordinal) {
  auto [it, inserted] = map_.try_emplace(key, Bucket{ordinal, kNone});
  if (inserted) return;
  Bucket& b = it->second;
  if (b.more == kNone) {
    if (!free_lists_.empty()) {
      b.more = free_lists_.back();
      free_lists_.pop_back();
    } else {
      b.more = static_cast<uint32_t>(lists_.size());
      lists_.emplace_back();
    }
  }
  lists_[b.more].push_back(ordinal);
}

bool CompactMultimap::Contains(uint64_t key, DocOrdinal ordinal) const {
  bool found = false;
  ForEach(key, [&](DocOrdinal o) { found |= (o == ordinal); });
  return found;
}

void CompactMultimap::Erase(uint64_t key, DocOrdinal ordinal) {
  auto it = map_.find(key);
  assert(it != map_.end());
  Bucket& b = it->second;
  if (b.first == ordinal) {
    if (b.more == kNone) {
      map_.erase(it);
      return;
    }
    std::vector<DocOrdinal>& list = lists_[b.more];
    b.first = list.back();
    list.pop_back();
  } else {
    assert(b.more != kNone);
    std::vector<DocOrdinal>& list = lists_[b.more];
    auto pos = std::find(list.begin(), list.end(), ordinal);
    assert(pos != list.end());
    *pos = list.back();
    list.pop_back();
  }
  if (lists_[b.more].empty()) {
    free_lists_.push_back(b.more);
    b.more = kNone;
  }
}

void CompactMultimap::Append(uint64_t key, std::vector<DocOrdinal>* out) const {
  ForEach(key, [out](DocOrdinal o) { out->push_back(o); });
}

size_t CompactMultimap::MemoryUsage() const {
  // Swiss table: one slot plus one control byte per capacity, plus a group of
  // cloned control bytes.
  size_t bytes = map_.capacity() * (sizeof(std::pair<const uint64_t, Bucket>) + 1);
  if (map_.capacity() > 0) bytes += 16;
  bytes += lists_.capacity() * sizeof(std::vector<DocOrdinal>);
  for (const auto& l : lists_) bytes += l.capacity() * sizeof(DocOrdinal);
  bytes += free_lists_.capacity() * sizeof(uint32_t);
  return bytes;
}

void OrdinalSet::Insert(DocOrdinal o) {
  if (o / 64 >= bits_.size()) bits_.resize(std::max<size_t>(o / 64 + 1, bits_.size() * 2));
  if (!Contains(o)) {
    bits_[o / 64] |= uint64_t{1} << (o % 64);
    ++size_;
  }
}

}  // namespace storysift::internal
