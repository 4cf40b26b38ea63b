// A std::vector whose resize() leaves new elements of trivial type
// unwritten (default-initialised), for arrays that threads fill in parts:
// the zeroing pass of a plain resize() ran on one core while the other
// waited, and it met the pages' first-touch faults there too.
#ifndef STORYSIFT_PIPELINE_DEFAULT_INIT_VECTOR_H_
#define STORYSIFT_PIPELINE_DEFAULT_INIT_VECTOR_H_

#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace storysift::internal {

template <typename T>
class DefaultInitAllocator : public std::allocator<T> {
 public:
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  using std::allocator<T>::allocator;

  // resize(n) and the (n) constructor: default-initialised, so trivial
  // types are left as the allocation found them.
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    std::allocator_traits<std::allocator<T>>::construct(
        static_cast<std::allocator<T>&>(*this), p, std::forward<Args>(args)...);
  }
};

template <typename T>
using DefaultInitVector = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace storysift::internal

#endif  // STORYSIFT_PIPELINE_DEFAULT_INIT_VECTOR_H_
