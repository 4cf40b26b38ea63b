// The Verifier: the dedup options are checked, and the LSH bands derived, in
// one place, and batch grouping and the streaming Deduplicator give the same
// verdicts through it.
#include "storysift/verifier.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storysift/copy_grouper.h"
#include "pipeline/corpus.h"
#include "storysift/deduplicator.h"
#include "storysift/input_stream.h"
#include "storysift/lsh_index.h"
#include "storysift/normalize.h"

namespace storysift {
namespace {

struct BadSetting {
  const char* name;
  void (*spoil)(CopyGrouperOptions*, SketchOptions*);
  const char* message;          // What the error says.
  bool sketcher_first = false;  // The Deduplicator's Sketcher refuses it before.
};

const BadSetting kBadSettings[] = {
    {"threshold 0", [](CopyGrouperOptions* g, SketchOptions*) { g->jaccard_threshold = 0; },
     "Jaccard threshold 0 is outside (0, 1]"},
    {"threshold 1.5", [](CopyGrouperOptions* g, SketchOptions*) { g->jaccard_threshold = 1.5; },
     "Jaccard threshold 1.5 is outside (0, 1]"},
    {"short threshold",
     [](CopyGrouperOptions* g, SketchOptions*) { g->short_jaccard_threshold = 2; },
     "short-pair Jaccard threshold 2 is outside [0, 1]"},
    {"containment", [](CopyGrouperOptions* g, SketchOptions*) { g->containment_threshold = -0.1; },
     "containment threshold -0.1 is outside [0, 1]"},
    // 16 bits: past the 15 the SimHash index serves (it failed there, later).
    {"max hamming", [](CopyGrouperOptions* g, SketchOptions*) { g->max_hamming = 16; },
     "max Hamming distance 16 is outside [0, 15]"},
    {"bands x rows",
     [](CopyGrouperOptions* g, SketchOptions*) {
       g->lsh = {20, 8};
     },
     "num_perm"},
    {"bands alone",
     [](CopyGrouperOptions* g, SketchOptions*) {
       g->lsh = {16, 0};
     },
     "rows_per_band"},
    {"verify bits", [](CopyGrouperOptions*, SketchOptions* s) { s->verify_bits = 12; },
     "verify bits 12", /*sketcher_first=*/true},
};

TEST(VerifierTest, EachBadSettingIsRejectedWithAMessageNamingIt) {
  for (const BadSetting& bad : kBadSettings) {
    CopyGrouperOptions g;
    SketchOptions s;
    ASSERT_TRUE(Verifier::Create(g, s).ok()) << bad.name;
    bad.spoil(&g, &s);
    const absl::Status status = Verifier::Create(g, s).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad.name;
    EXPECT_NE(status.message().find(bad.message), std::string_view::npos)
        << bad.name << ": " << status.message();
    // The Deduplicator checks through the same factory: the same message.
    DeduplicatorOptions d;
    d.grouper = g;
    d.sketch = s;
    const absl::Status streamed = Deduplicator::Create(d).status();
    if (bad.sketcher_first) {
      EXPECT_EQ(streamed.code(), absl::StatusCode::kInvalidArgument) << bad.name;
    } else {
      EXPECT_EQ(streamed, status) << bad.name;
    }
  }
}

TEST(VerifierTest, SimHashIgnoresMinHashBandsButChecksItsOwnSettings) {
  CopyGrouperOptions g;
  g.lsh = {200, 200};  // No MinHash: not read.
  SketchOptions s;
  s.kind = SketchKind::kSimHash;
  auto v = Verifier::Create(g, s);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->num_perm(), 0);
  EXPECT_EQ(v->bands().num_bands, 0);
  EXPECT_EQ(v->row_bytes(), 0u);
  g.simhash_blocks = 2;  // Not more blocks than max_hamming (3): the index refuses.
  auto blocks = Verifier::Create(g, s);
  ASSERT_TRUE(blocks.ok());
  EXPECT_EQ(blocks->NewIndex(false).status().code(), absl::StatusCode::kInvalidArgument);
}

LshParams Optimal(double threshold, int num_perm) {
  return *OptimalLshParams(threshold, num_perm, 0.5, 0.5, kMaxDefaultLshBands);
}

void ExpectBands(const LshParams& got, const LshParams& want, const std::string& what) {
  EXPECT_EQ(got.num_bands, want.num_bands) << what;
  EXPECT_EQ(got.rows_per_band, want.rows_per_band) << what;
}

TEST(VerifierTest, BandsAreDerivedOnceFromTheThresholdsOrKeptAsGiven) {
  SketchOptions s;
  CopyGrouperOptions g;  // Containment on: bands for the containment Jaccard.
  Verifier v = *Verifier::Create(g, s);
  ExpectBands(v.bands(), Optimal(kContainmentCandidateJaccard, 128), "default");
  EXPECT_EQ(v.options().lsh.num_bands, 0);  // Options stay as given.
  g.containment_threshold = 0;
  ExpectBands(Verifier::Create(g, s)->bands(), Optimal(0.5, 128), "no containment");
  g.jaccard_threshold = 1;  // No S-curve optimum at 1.
  ExpectBands(Verifier::Create(g, s)->bands(), Optimal(kMaxBandTuningJaccard, 128), "J = 1");
  s.minhash.num_perm = 64;
  g.jaccard_threshold = 0.8;
  ExpectBands(Verifier::Create(g, s)->bands(), Optimal(0.8, 64), "64 slots");
  g.lsh = {8, 8};
  ExpectBands(Verifier::Create(g, s)->bands(), {8, 8}, "given");
  EXPECT_EQ(Verifier::Create(g, s)->row_bytes(), 64u);  // 8 bits a slot.

  // The Deduplicator records the bands it got from its Verifier.
  DeduplicatorOptions d;
  d.grouper.containment_threshold = 0;
  auto dedup = Deduplicator::Create(d);
  ASSERT_TRUE(dedup.ok());
  ExpectBands((*dedup)->options().grouper.lsh, Optimal(0.5, 128), "Deduplicator");
}

// Zipf-like texts of 250 words, and after every 5th original a copy of an
// earlier one with one word in 15 replaced: ids "o<i>" and "c<i>-of-<j>".
struct Planted {
  std::vector<Document> docs;
  std::vector<int> original_of;  // By position: the copied original's position, or -1.
};

Planted PlantedCopies(int originals) {
  std::mt19937_64 rng(20);
  auto text = [&rng] {
    std::string t;
    for (int w = 0; w < 250; ++w) {
      const int rank =
          static_cast<int>(std::exp(std::uniform_real_distribution<>(0, std::log(30000.0))(rng)));
      absl::StrAppend(&t, w ? " " : "", "w", rank);
    }
    return t;
  };
  Planted p;
  std::vector<int> position;  // Of original i.
  for (int i = 0; i < originals; ++i) {
    Document d;
    d.id = absl::StrCat("o", i);
    d.text = text();
    position.push_back(static_cast<int>(p.docs.size()));
    p.docs.push_back(d);
    p.original_of.push_back(-1);
    if (i % 5 != 4) continue;
    const int j = static_cast<int>(rng() % (i + 1));
    std::string copy;
    int word = 0;
    for (const char c : p.docs[position[j]].text) {
      if (c == ' ' && ++word % 15 == 7) absl::StrAppend(&copy, " edit", rng() % 100, "x");
      copy.push_back(c);
    }
    Document c;
    c.id = absl::StrCat("c", i, "-of-", j);
    c.text = copy;
    p.docs.push_back(c);
    p.original_of.push_back(position[j]);
  }
  return p;
}

TEST(VerifierTest, BatchAndStreamingGiveTheSameVerdictsOnPlantedCopies) {
  const Planted planted = PlantedCopies(600);
  CopyGrouperOptions g;
  g.keep = KeepPolicy::kFirst;
  CorpusOptions co;
  co.verifier = *Verifier::Create(g, co.sketch);  // Compact corpus, as the CLI loads it.
  std::vector<ReadRecord> records(planted.docs.size());
  for (size_t i = 0; i < planted.docs.size(); ++i) records[i].doc = planted.docs[i];
  InputStream input = InputStream::FromRecords(std::move(records));
  const Normalizer normalizer = *Normalizer::Create(NormalizeOptions());
  auto corpus = LoadCorpus(input, normalizer, co, RunContext());
  ASSERT_TRUE(corpus.ok()) << corpus.status();
  ASSERT_TRUE(corpus->minhash.empty());  // Band keys and b-bit rows only.
  ExpectBands(corpus->band_params, co.verifier->bands(), "corpus");
  auto batch = GroupCopies(corpus->sketch_table(), corpus->meta, *co.verifier);
  ASSERT_TRUE(batch.ok()) << batch.status();

  DeduplicatorOptions d;
  d.grouper = g;
  auto dedup = Deduplicator::Create(d);
  ASSERT_TRUE(dedup.ok()) << dedup.status();
  int found = 0, copies = 0;
  for (size_t i = 0; i < planted.docs.size(); ++i) {
    auto verdict = (*dedup)->Add(planted.docs[i]);
    ASSERT_TRUE(verdict.ok()) << verdict.status();
    const CopyAssignment& want = batch->docs[i];
    ASSERT_EQ(verdict->is_new, want.representative == i) << planted.docs[i].id;
    if (!verdict->is_new) {
      EXPECT_EQ(verdict->duplicate_of, planted.docs[want.representative].id);
      EXPECT_DOUBLE_EQ(verdict->similarity, want.similarity);
    }
    if (planted.original_of[i] >= 0) {
      ++copies;
      found += !verdict->is_new && verdict->duplicate_of == planted.docs[planted.original_of[i]].id;
    }
  }
  EXPECT_EQ(copies, 120);
  EXPECT_GE(found, copies - 2);  // Jaccard about 0.8: LSH at 0.3 misses almost none.
  // Every verified pair passes the verifier's own rule.
  for (const VerifiedPair& p : batch->pairs) {
    EXPECT_TRUE(co.verifier->CompareDocs(corpus->sketch_table(), p.a, p.b).passes);
  }
}

TEST(VerifierTest, EncodeWritesTheRowAndTheKeysTheIndexReads) {
  CopyGrouperOptions g;
  SketchOptions s;
  const Verifier v = *Verifier::Create(g, s);
  const MinHasher hasher = *MinHasher::Create(s.minhash);
  std::vector<uint64_t> set;
  for (uint64_t x = 1; x <= 300; ++x) set.push_back(x * 0x9E3779B97F4A7C15ull);
  std::vector<uint32_t> sig;
  hasher.Compute(set, &sig);
  std::vector<uint8_t> row(v.row_bytes());
  std::vector<uint32_t> keys(v.bands().num_bands);
  v.Encode(sig, absl::MakeSpan(row), absl::MakeSpan(keys));
  std::vector<uint8_t> truncated(v.row_bytes());
  TruncateSignature(sig, v.verify_bits(), absl::MakeSpan(truncated));
  EXPECT_EQ(row, truncated);
  // An index made by the verifier finds the document from its keys alone.
  auto index = v.NewIndex(/*short_keys=*/true);
  ASSERT_TRUE(index.ok());
  SketchView by_keys;
  by_keys.band_keys = keys;
  ASSERT_TRUE((*index)->Add(7, by_keys).ok());
  SketchView by_signature;
  by_signature.minhash = sig;
  std::vector<DocOrdinal> found;
  ASSERT_TRUE((*index)->Query(by_signature, &found).ok());
  EXPECT_EQ(found, std::vector<DocOrdinal>{7});
}

TEST(VerifierTest, LoadCorpusRefusesAVerifierForAnotherSketch) {
  CorpusOptions co;
  SketchOptions other;
  other.minhash.num_perm = 64;
  co.verifier = *Verifier::Create(CopyGrouperOptions(), other);
  InputStream input = InputStream::FromRecords({});
  const Normalizer normalizer = *Normalizer::Create(NormalizeOptions());
  EXPECT_EQ(LoadCorpus(input, normalizer, co, RunContext()).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace storysift
