#include "pipeline/huge_pages.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>

#include "storysift/growable_array.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace storysift::internal {

void AdviseHugePages(const void* p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t first = reinterpret_cast<uintptr_t>(p);
  const uintptr_t begin = (first + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (first + bytes) & ~(kHuge - 1);
  if (p == nullptr || bytes < kHugePageMinBytes || end <= begin) return;
  // Failure (EINVAL without THP support) leaves ordinary pages: ignored.
  madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

bool TransparentHugePagesOn() {
  std::ifstream mode_file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  return std::getline(mode_file, mode) && mode.find("[never]") == std::string::npos;
}

namespace {

#if defined(__linux__)
size_t PageBytes(size_t bytes) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (bytes + page - 1) / page * page;
}
#endif

}  // namespace

void* ResizeArrayBlock(void* p, size_t old_bytes, size_t new_bytes) {
#if defined(__linux__)
  // Whole pages of their own mapping: mremap moves them without a copy.
  const size_t old_pages = PageBytes(old_bytes), new_pages = PageBytes(new_bytes);
  void* q = p;
  if (p == nullptr) {
    q = mmap(nullptr, new_pages, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  } else if (new_pages != old_pages) {
    q = mremap(p, old_pages, new_pages, MREMAP_MAYMOVE);
  }
  if (q == MAP_FAILED) throw std::bad_alloc();
  // The whole mapping at once, when it first reaches kHugePageMinBytes:
  // advice on a part would split it in two, and mremap moves only one
  // mapping (EFAULT). mremap keeps the advice for the pages it adds; pages
  // touched before stay as they are. Failure leaves ordinary pages: ignored.
#if defined(MADV_HUGEPAGE)
  const bool was_small = p == nullptr || old_pages < kHugePageMinBytes;
  if (was_small && new_pages >= kHugePageMinBytes) madvise(q, new_pages, MADV_HUGEPAGE);
#endif
  return q;
#else
  (void)old_bytes;
  void* q = std::realloc(p, new_bytes);
  if (q == nullptr) throw std::bad_alloc();
  return q;
#endif
}

void FreeArrayBlock(void* p, size_t bytes) {
  if (p == nullptr) return;
#if defined(__linux__)
  munmap(p, PageBytes(bytes));
#else
  (void)bytes;
  std::free(p);
#endif
}

}  // namespace storysift::internal
