// GrowableArray (the TF-IDF rows' storage): grows without losing what it
// holds, new elements are zero (also after a shrink left stale bytes in
// its last page), copies are deep, moves steal, and a large array grows
// in place of a copy (its pages move: the data pointer may change, the
// contents not).
#include "storysift/growable_array.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "pipeline/huge_pages.h"

namespace storysift::internal {
namespace {

TEST(GrowableArrayTest, GrowsKeepingItsContentsAndZeroesNewElements) {
  GrowableArray<uint32_t> a;
  EXPECT_TRUE(a.empty());
  // Batch-like growth past several doublings and page sizes (to 8 MB).
  uint64_t n = 0;
  for (uint64_t step = 1; n < (uint64_t{2} << 20); step = step * 3 + 7) {
    const uint64_t begin = n;
    n += step;
    a.resize(n);
    for (uint64_t i = begin; i < n; ++i) {
      ASSERT_EQ(a[i], 0u) << i;
      a[i] = static_cast<uint32_t>(i * 2654435761u);
    }
  }
  EXPECT_GE(a.capacity(), a.size());
  for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(a[i], static_cast<uint32_t>(i * 2654435761u)) << i;
}

TEST(GrowableArrayTest, ShrinkGivesBackCapacityAndRegrowsWithZeros) {
  GrowableArray<float> a;
  a.resize(100000);
  for (size_t i = 0; i < a.size(); ++i) a[i] = 1.5f;
  a.resize(1001);
  a.shrink_to_fit();
  EXPECT_EQ(a.capacity(), 1001u);
  a.resize(5000);  // The page the shrink kept still held 1.5f past 1001.
  for (size_t i = 0; i < 1001; ++i) ASSERT_EQ(a[i], 1.5f) << i;
  for (size_t i = 1001; i < 5000; ++i) ASSERT_EQ(a[i], 0.0f) << i;
  a.resize(0);
  a.shrink_to_fit();
  EXPECT_EQ(a.capacity(), 0u);
  EXPECT_EQ(a.data(), nullptr);
}

TEST(GrowableArrayTest, ResizeForOverwriteKeepsTheContentsAndTheSize) {
  GrowableArray<uint32_t> a;
  uint64_t n = 0;
  for (uint64_t step = 5; n < (uint64_t{1} << 20); step = step * 2 + 3) {
    const uint64_t begin = n;
    n += step;
    a.resize_for_overwrite(n);
    ASSERT_EQ(a.size(), n);
    for (uint64_t i = begin; i < n; ++i) a[i] = static_cast<uint32_t>(i ^ 0x5bd1e995u);
  }
  for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(a[i], static_cast<uint32_t>(i ^ 0x5bd1e995u)) << i;
  a.resize_for_overwrite(7);  // Shrinks as resize() does.
  EXPECT_EQ(a.size(), 7u);
  EXPECT_EQ(a[6], 6u ^ 0x5bd1e995u);
}

// The VmFlags line of the mapping holding `p` in /proc/self/smaps ("" if
// none): "hg" marks a range advised for huge pages.
std::string VmFlagsOf(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  const auto at = reinterpret_cast<uintptr_t>(p);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = begin <= at && at < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line + " ";
    }
  }
  return "";
}

TEST(GrowableArrayTest, OnlyALargeArrayIsAdvisedHugePages) {
  if (!TransparentHugePagesOn()) GTEST_SKIP() << "transparent huge pages are off here";
  GrowableArray<uint32_t> a;
  a.resize_for_overwrite(kHugePageMinBytes / sizeof(uint32_t) / 4);
  const std::string small = VmFlagsOf(a.data());
  ASSERT_NE(small, "");
  EXPECT_EQ(small.find(" hg "), std::string::npos) << small;
  a.resize_for_overwrite(kHugePageMinBytes / sizeof(uint32_t) + 1);  // Grows past the bound.
  const std::string large = VmFlagsOf(a.data());
  EXPECT_NE(large.find(" hg "), std::string::npos) << large;
}

TEST(GrowableArrayTest, CopiesAreDeepAndMovesSteal) {
  GrowableArray<uint32_t> a;
  a.resize(3000);
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint32_t>(i);
  GrowableArray<uint32_t> b = a;
  b[7] = 99;
  EXPECT_EQ(a[7], 7u);
  ASSERT_EQ(b.size(), 3000u);
  EXPECT_EQ(b[2999], 2999u);
  const uint32_t* data = b.data();
  GrowableArray<uint32_t> c = std::move(b);
  EXPECT_EQ(c.data(), data);
  EXPECT_EQ(c[7], 99u);
  EXPECT_EQ(b.size(), 0u);  // NOLINT: moved-from is empty.
  c = a;
  EXPECT_EQ(c[7], 7u);
  EXPECT_EQ(c.size(), 3000u);
}

}  // namespace
}  // namespace storysift::internal
