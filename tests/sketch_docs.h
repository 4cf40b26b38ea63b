// Shingle sets with their MinHash signatures, viewed as a SketchTable, for
// the copy grouper and containment tests (tests only).
#ifndef STORYSIFT_TESTS_SKETCH_DOCS_H_
#define STORYSIFT_TESTS_SKETCH_DOCS_H_

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

#include "storysift/copy_grouper.h"
#include "storysift/minhash.h"
#include "storysift/verifier.h"

namespace storysift::testdata {

// Owns the sets and signatures a SketchTable points into.
struct SketchDocs {
  int num_perm = 128;
  bool sized = false;  // Table() carries set sizes (containment without sets).
  std::vector<std::vector<uint64_t>> shingles;
  std::vector<uint32_t> minhash;
  std::vector<uint32_t> sizes;

  void Add(std::vector<uint64_t> set, const MinHasher& h) {
    std::sort(set.begin(), set.end());
    std::vector<uint32_t> sig;
    h.Compute(set, &sig);
    minhash.insert(minhash.end(), sig.begin(), sig.end());
    sizes.push_back(static_cast<uint32_t>(set.size()));
    shingles.push_back(std::move(set));
  }
  // With the default MinHashOptions.
  void Add(std::vector<uint64_t> set) {
    static const MinHasher h = *MinHasher::Create(MinHashOptions{});
    Add(std::move(set), h);
  }
  // `exact`: the table also holds the shingle sets.
  SketchTable Table(bool exact) const {
    SketchTable t;
    t.num_docs = shingles.size();
    t.num_perm = num_perm;
    t.minhash = minhash;
    if (sized) t.set_sizes = sizes;
    if (exact) t.shingles = shingles;
    return t;
  }
};

// The Verifier for `o` over sketches of `kind` with num_perm slots (the
// SketchDocs default); the test fails if the options are bad.
inline Verifier MakeVerifier(const CopyGrouperOptions& o = {}, int num_perm = 128,
                             SketchKind kind = SketchKind::kMinHash) {
  SketchOptions sketch;
  sketch.kind = kind;
  sketch.minhash.num_perm = num_perm;
  absl::StatusOr<Verifier> v = Verifier::Create(o, sketch);
  EXPECT_TRUE(v.ok()) << v.status();
  return *std::move(v);
}

// hi - lo distinct, well-spread shingle hashes.
inline std::vector<uint64_t> Range(uint64_t lo, uint64_t hi) {
  std::vector<uint64_t> v;
  for (uint64_t x = lo; x < hi; ++x) v.push_back(x * 0x9E3779B97F4A7C15ull);
  return v;
}

}  // namespace storysift::testdata

#endif  // STORYSIFT_TESTS_SKETCH_DOCS_H_
