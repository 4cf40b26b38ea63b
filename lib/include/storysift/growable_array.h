// GrowableArray: the flat arrays of TfidfMatrix (its term ids and weights,
// one entry per term of every document). An implementation detail of the
// matrix, public only because the matrix's members are.
//
// Why not std::vector: the rows grow batch by batch to hundreds of MB, and a
// vector grows by copying into a new block while the old one is still held,
// so every doubling briefly needed three times the rows' size, and on one
// thread. This array lives in its own memory mapping and grows with mremap
// (Linux): the kernel moves the pages, nothing is copied, and no two blocks
// are ever resident at once. How much a run holds then no longer depends on
// where its last doubling lands (which batch sizes decided).
#ifndef STORYSIFT_GROWABLE_ARRAY_H_
#define STORYSIFT_GROWABLE_ARRAY_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <utility>

namespace storysift::internal {

// The block of `old_bytes` at `p` (null, with old_bytes == 0, for none)
// resized to `new_bytes` (> 0), its first min(old, new) bytes kept (the
// rest unspecified), in huge pages where the system has them and the block
// is large. May move the block. Throws std::bad_alloc.
// FreeArrayBlock(nullptr, 0) does nothing.
void* ResizeArrayBlock(void* p, size_t old_bytes, size_t new_bytes);
void FreeArrayBlock(void* p, size_t bytes);

// A std::vector-like array of trivially copyable T (the subset TfidfMatrix
// uses). Not thread-safe for writes.
template <typename T>
class GrowableArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  GrowableArray() = default;
  ~GrowableArray() { FreeArrayBlock(data_, capacity_ * sizeof(T)); }
  GrowableArray(const GrowableArray& other) { *this = other; }
  GrowableArray& operator=(const GrowableArray& other) {
    if (this == &other) return *this;
    resize(0);
    resize(other.size_);
    if (size_ > 0) std::memcpy(data_, other.data_, size_ * sizeof(T));
    return *this;
  }
  GrowableArray(GrowableArray&& other) noexcept { swap(other); }
  GrowableArray& operator=(GrowableArray&& other) noexcept {
    GrowableArray(std::move(other)).swap(*this);
    return *this;
  }
  void swap(GrowableArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

  // New elements are zero. Capacity grows by doubling (as push_back's).
  void resize(size_t n) {
    const size_t old_size = size_;
    resize_for_overwrite(n);
    if (n > old_size) {
      std::memset(static_cast<void*>(data_ + old_size), 0, (n - old_size) * sizeof(T));
    }
  }
  // As resize(), but new elements are left unwritten: for a caller that
  // writes every one of them, maybe on other threads. The pages then meet
  // their first write (the kernel zeroes each then) on those threads, not
  // in a serial memset: for the TF-IDF rows ~40 MB a 20k-document run.
  void resize_for_overwrite(size_t n) {
    if (n > capacity_) Reallocate(std::max(n, 2 * capacity_));
    size_ = n;
  }
  // Gives back the capacity past size() (in place: nothing is copied).
  void shrink_to_fit() {
    if (capacity_ == size_) return;
    if (size_ == 0) {
      FreeArrayBlock(data_, capacity_ * sizeof(T));
      data_ = nullptr;
      capacity_ = 0;
      return;
    }
    Reallocate(size_);
  }

 private:
  void Reallocate(size_t capacity) {
    data_ = static_cast<T*>(
        ResizeArrayBlock(data_, capacity_ * sizeof(T), capacity * sizeof(T)));
    capacity_ = capacity;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_GROWABLE_ARRAY_H_
