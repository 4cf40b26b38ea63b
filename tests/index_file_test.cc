// Save / Load of the Deduplicator index (format in lib/src/stream/index_format.h).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "dedup_test_util.h"
#include "gtest/gtest.h"
#include "storysift/date.h"
#include "storysift/deduplicator.h"
#include "io/output_file.h"
#include "stream/index_format.h"
#include "temp_dir.h"

namespace storysift {
namespace {

using testdata::SmallOptions;
using testdata::StreamWithCopies;

// A small index of fixed texts: 6 documents (2 copies) with options `o`;
// without `content_hashes`, as files before format 4 held them (unknown).
std::unique_ptr<Deduplicator> SmallIndex(const DeduplicatorOptions& o,
                                         bool content_hashes = true) {
  auto dedup = *Deduplicator::Create(o);
  const char* texts[] = {
      "The central bank raised its benchmark rate by a quarter point on Tuesday.",
      "Heavy rain flooded roads across the northern province overnight.",
      "The central bank raised its benchmark rate by a quarter point on Tuesday.",
      "Shares of the carmaker fell sharply after it cut its forecast for the year.",
      "Heavy rain flooded roads across the northern province overnight.",
      "A new survey shows consumer confidence at its highest level in two years."};
  for (int i = 0; i < 6; ++i) {
    Document d;
    d.id = absl::StrCat("doc", i);
    d.text = texts[i];
    if (i != 3) d.published = 541555200 + i * 3600;
    DocumentSketch sketch = dedup->Sketch(d);
    if (!content_hashes) sketch.content_hash = 0;
    EXPECT_TRUE(dedup->AddSketch(d.id, d.published, sketch).ok());
  }
  return dedup;
}

std::unique_ptr<Deduplicator> SmallIndex(SketchKind kind = SketchKind::kMinHash) {
  return SmallIndex(SmallOptions(kind, 16));
}

// Every option the file records, spelled out rather than taken from library
// defaults: the committed file must break on a format change, not on a
// change of defaults.
DeduplicatorOptions PinnedOptions(SketchKind kind) {
  DeduplicatorOptions o;
  o.normalize.markup = MarkupMode::kAuto;
  o.normalize.drop_boilerplate = true;
  o.normalize.stem = false;
  o.sketch.kind = kind;
  o.sketch.shingle = {ShingleKind::kWord, 3, 0x53484E474C453031ull};
  o.sketch.minhash.num_perm = 16;
  o.sketch.minhash.scheme = MinHashScheme::kOnePermutation;
  o.sketch.minhash.seed = 0x4D494E4841534831ull;
  o.sketch.simhash.feature_words = 2;
  o.sketch.simhash.seed = 0x53494D4841534831ull;
  o.grouper.jaccard_threshold = 0.7;
  o.grouper.max_hamming = 3;
  o.grouper.containment_threshold = 0.9;
  o.grouper.min_containment_shingles = 5;
  o.grouper.short_jaccard_threshold = 0.62;
  o.grouper.short_pair_shingles = 150;
  o.grouper.lsh = {kind == SketchKind::kMinHash ? 4 : 0, kind == SketchKind::kMinHash ? 4 : 0};
  o.grouper.simhash_blocks = 0;
  o.retention_seconds = 0;
  return o;
}

std::vector<DedupVerdict> AddAll(Deduplicator* d, const std::vector<Document>& docs, size_t begin,
                                 size_t end) {
  std::vector<DedupVerdict> out;
  for (size_t i = begin; i < end; ++i) {
    // Removals at fixed points leave free slots behind.
    if (i % 97 == 50) (void)d->Remove(docs[i - 50].id);
    absl::StatusOr<DedupVerdict> v = d->Add(docs[i]);
    EXPECT_TRUE(v.ok()) << v.status();
    out.push_back(v.ok() ? *v : DedupVerdict{});
  }
  return out;
}

TEST(IndexFileTest, SaveReloadAndContinueGivesTheUninterruptedVerdicts) {
  const testing_util::TempDir tmp;
  for (SketchKind kind : {SketchKind::kMinHash, SketchKind::kSimHash}) {
    // Truncated copies pass by containment only: the set sizes must survive.
    bool from_reuters = false;
    const std::vector<Document> docs =
        testdata::WithTruncatedCopies(StreamWithCopies(600, &from_reuters), 9);
    DeduplicatorOptions o = SmallOptions(kind);
    o.retention_seconds = 200 * 86400;  // Evictions happen in both halves.
    auto straight = *Deduplicator::Create(o);
    const std::vector<DedupVerdict> want = AddAll(straight.get(), docs, 0, docs.size());

    auto first = *Deduplicator::Create(o);
    const size_t half = docs.size() / 2;
    std::vector<DedupVerdict> got = AddAll(first.get(), docs, 0, half);
    const std::string path = tmp / "idx";
    ASSERT_TRUE(first->Save(path).ok());
    first.reset();
    absl::StatusOr<std::unique_ptr<Deduplicator>> resumed = Deduplicator::Load(path, &o);
    ASSERT_TRUE(resumed.ok()) << resumed.status();
    const std::vector<DedupVerdict> rest = AddAll(resumed->get(), docs, half, docs.size());
    got.insert(got.end(), rest.begin(), rest.end());

    ASSERT_EQ(got.size(), want.size());
    size_t copies = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].is_new, want[i].is_new) << docs[i].id;
      EXPECT_EQ(got[i].duplicate_of, want[i].duplicate_of) << docs[i].id;
      EXPECT_DOUBLE_EQ(got[i].similarity, want[i].similarity) << docs[i].id;
      copies += !want[i].is_new;
    }
    // Dozens are planted; fewer pass on the generated fallback texts
    // (shared data absent), but some must.
    EXPECT_GT(copies, from_reuters ? 10u : 2u);
    EXPECT_EQ((*resumed)->Size(), straight->Size());
    // Same state, same bytes (the file is a function of the arrival order).
    EXPECT_EQ((*resumed)->SaveToString(), straight->SaveToString());
  }
}

TEST(IndexFileTest, ReloadedIndexKeepsContainmentVerdicts) {
  // Truncated copies of indexed documents pass by containment only, which
  // needs the stored documents' shingle-set sizes from the file.
  const std::vector<Document> docs = StreamWithCopies(200);
  auto built = *Deduplicator::Create(SmallOptions());
  for (const Document& d : docs) ASSERT_TRUE(built->Add(d).ok());
  auto loaded = Deduplicator::LoadFromString(built->SaveToString());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  size_t queries = 0, contained = 0;
  for (const Document& t : testdata::WithTruncatedCopies(docs, 1)) {
    if (t.id[0] != 't') continue;
    const DedupVerdict want = *built->Query(t);
    const DedupVerdict got = *(*loaded)->Query(t);
    EXPECT_EQ(got.is_new, want.is_new) << t.id;
    EXPECT_EQ(got.duplicate_of, want.duplicate_of) << t.id;
    ++queries;
    contained += !want.is_new && want.similarity < 0.7;
  }
  EXPECT_GE(contained, queries / 2);
}

TEST(IndexFileTest, RoundTripKeepsOptionsAndDocuments) {
  auto dedup = SmallIndex();
  const std::string bytes = dedup->SaveToString();
  auto loaded = Deduplicator::LoadFromString(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->Size(), dedup->Size());
  EXPECT_EQ((*loaded)->NumRepresentatives(), dedup->NumRepresentatives());
  EXPECT_EQ((*loaded)->options().grouper.lsh.num_bands, dedup->options().grouper.lsh.num_bands);
  EXPECT_EQ((*loaded)->SaveToString(), bytes);
}

TEST(IndexFileTest, EveryTruncationIsDataLoss) {
  for (SketchKind kind : {SketchKind::kMinHash, SketchKind::kSimHash}) {
    const std::string bytes = SmallIndex(kind)->SaveToString();
    for (size_t n = 0; n < bytes.size(); ++n) {
      const absl::Status s = Deduplicator::LoadFromString(bytes.substr(0, n)).status();
      ASSERT_EQ(s.code(), absl::StatusCode::kDataLoss) << "prefix " << n << ": " << s;
    }
    EXPECT_EQ(Deduplicator::LoadFromString(bytes + "x").status().code(),
              absl::StatusCode::kDataLoss);
  }
}

TEST(IndexFileTest, EveryBitFlipIsRejected) {
  const std::string bytes = SmallIndex()->SaveToString();
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      const absl::Status s = Deduplicator::LoadFromString(bad).status();
      // The version field (4) may read as a plausible newer version (5, 6,
      // 12 to 68: bits 0-1 and 3-6 of its low byte). All else, version 0
      // (bit 2) and versions far ahead (bit 7) included, is DataLoss.
      const bool version = i == 8 && bit != 2 && bit != 7;
      ASSERT_EQ(s.code(), version ? absl::StatusCode::kUnimplemented : absl::StatusCode::kDataLoss)
          << "byte " << i << " bit " << bit << ": " << s;
    }
  }
}

TEST(IndexFileTest, StructuralDamageBehindValidChecksumsIsDataLoss) {
  const std::string bytes = SmallIndex()->SaveToString();
  // Documents section payload starts after the header, the options section
  // and the documents section header; its count is at payload offset 17.
  const size_t options_len = static_cast<unsigned char>(bytes[16 + 8]);
  const size_t docs_payload = 16 + 24 + options_len + 24;
  // Count too large (two ways); next arrival number 0 (below the documents').
  for (auto [offset, value] : {std::pair{17, 0xFF}, {18, 0xFF}, {0, 0}}) {
    std::string bad = bytes;
    bad[docs_payload + offset] = static_cast<char>(value);
    const absl::Status s = Deduplicator::LoadFromString(internal::FixIndexChecksums(bad)).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << offset << ": " << s;
  }
  // A representative link pointing forward: the first document's link.
  std::string bad = bytes;
  const size_t first_doc = docs_payload + 25;
  const size_t id_len = static_cast<unsigned char>(bad[first_doc + 8]);
  bad[first_doc + 8 + 4 + id_len + 1 + 8] = 3;
  const absl::Status s = Deduplicator::LoadFromString(internal::FixIndexChecksums(bad)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("representative"), std::string::npos) << s;
}

TEST(IndexFileTest, NewerVersionIsUnimplemented) {
  std::string bytes = SmallIndex()->SaveToString();
  bytes[8] = static_cast<char>(kIndexFormatVersion + 1);
  const absl::Status s = Deduplicator::LoadFromString(bytes).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented) << s;
  EXPECT_EQ(Deduplicator::LoadFromString("not an index at all").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(IndexFileTest, OtherOptionsAreFailedPreconditionNamingTheField) {
  const std::string bytes = SmallIndex()->SaveToString();
  DeduplicatorOptions other = SmallOptions(SketchKind::kMinHash, 32);
  absl::Status s = Deduplicator::LoadFromString(bytes, &other).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("num_perm 16 in the file, 32 expected"), std::string::npos) << s;
  other = SmallOptions(SketchKind::kMinHash, 16);
  other.grouper.jaccard_threshold = 0.9;
  s = Deduplicator::LoadFromString(bytes, &other).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("Jaccard threshold"), std::string::npos) << s;
  other = SmallOptions(SketchKind::kMinHash, 16);
  other.grouper.containment_threshold = 0.8;
  s = Deduplicator::LoadFromString(bytes, &other).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("containment threshold"), std::string::npos) << s;
  other = SmallOptions(SketchKind::kMinHash, 16);
  other.grouper.min_containment_shingles = 10;
  s = Deduplicator::LoadFromString(bytes, &other).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("min containment shingles 50 in the file, 10"), std::string::npos)
      << s;
  other = SmallOptions(SketchKind::kSimHash, 16);
  s = Deduplicator::LoadFromString(bytes, &other).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  // The same options (retention is not part of the match) load.
  other = SmallOptions(SketchKind::kMinHash, 16);
  other.retention_seconds = 5;
  auto loaded = Deduplicator::LoadFromString(bytes, &other);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->options().retention_seconds, 5);
  // kKeepSavedRetention checks the options and keeps the saved retention (a
  // caller reopening with other run options reset it to its own 0 before).
  ASSERT_TRUE(Deduplicator::LoadFromString((*loaded)->SaveToString(), &other).ok());
  other.retention_seconds = kKeepSavedRetention;
  auto kept = Deduplicator::LoadFromString((*loaded)->SaveToString(), &other);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ((*kept)->options().retention_seconds, 5);
}

TEST(IndexFileTest, TornWriteLeavesThePreviousIndexLoadable) {
  const testing_util::TempDir tmp;
  const std::string path = tmp / "torn.idx";
  auto dedup = SmallIndex();
  ASSERT_TRUE(dedup->Save(path).ok());
  const std::string previous = testing_util::ReadFileOrEmpty(path);
  // A writer that died before its rename leaves a half-written temporary
  // beside the index; the index itself is untouched.
  for (const Document& d : StreamWithCopies(40)) (void)dedup->Add(d);
  const std::string next = dedup->SaveToString();
  const std::string temp = absl::StrCat(path, ".tmp.", ::getpid());
  {
    std::ofstream out(temp, std::ios::binary);
    out << next.substr(0, next.size() / 2);
  }
  auto loaded = Deduplicator::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->Size(), 6u);
  EXPECT_EQ((*loaded)->SaveToString(), previous);
  // The half-written temporary is not an index, and the next Save replaces
  // both cleanly.
  EXPECT_EQ(Deduplicator::Load(temp).status().code(), absl::StatusCode::kDataLoss);
  // Each Save writes its own temporary, so the orphan does not disturb it;
  // the next writer holding the index's lock removes it.
  ASSERT_TRUE(dedup->Save(path).ok());
  EXPECT_EQ(testing_util::ReadFileOrEmpty(path), next);
  EXPECT_TRUE(std::filesystem::exists(temp));
  RemoveOrphanTempFiles(path);
  EXPECT_FALSE(std::filesystem::exists(temp));
  EXPECT_EQ(testing_util::ReadFileOrEmpty(path), next);
  // A Save that cannot write leaves the index alone.
  EXPECT_FALSE(SmallIndex()->Save(tmp / "no/such/dir/idx").ok());
  EXPECT_EQ(Deduplicator::Load(tmp / "missing.idx").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(IndexFileTest, CommittedVersion4FileRoundTrips) {
  // tests/fuzz/corpus/index_load/valid_small.idx, written by this test with
  // STORYSIFT_WRITE_INDEX_SEEDS set: a change to the format breaks it.
  const std::string dir = std::string(STORYSIFT_DATA_DIR) + "/../tests/fuzz/corpus/index_load";
  const std::string path = dir + "/valid_small.idx";
  if (std::getenv("STORYSIFT_WRITE_INDEX_SEEDS") != nullptr) {
    // Regenerates the fuzz seeds (only after a deliberate format change).
    const std::string valid = SmallIndex(PinnedOptions(SketchKind::kMinHash))->SaveToString();
    const std::string simhash = SmallIndex(PinnedOptions(SketchKind::kSimHash))->SaveToString();
    std::ofstream(path, std::ios::binary) << valid;
    std::ofstream(dir + "/valid_simhash.idx", std::ios::binary) << simhash;
    std::ofstream(dir + "/truncated_half.idx", std::ios::binary)
        << valid.substr(0, valid.size() / 2);
    std::ofstream(dir + "/truncated_header.idx", std::ios::binary) << valid.substr(0, 20);
  }
  const std::string bytes = testing_util::ReadFileOrEmpty(path);
  ASSERT_FALSE(bytes.empty()) << path;
  auto loaded = Deduplicator::LoadFromString(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->Size(), 6u);
  EXPECT_EQ((*loaded)->NumRepresentatives(), 4u);
  EXPECT_EQ((*loaded)->loaded_format_version(), 4u);
  EXPECT_EQ((*loaded)->options().sketch.verify_bits, kDefaultVerifyBits);
  EXPECT_EQ((*loaded)->SaveToString(), bytes);
  const DeduplicatorOptions pinned = PinnedOptions(SketchKind::kMinHash);
  EXPECT_EQ((*loaded)->SaveToString(), SmallIndex(pinned)->SaveToString());
  EXPECT_TRUE(Deduplicator::LoadFromString(bytes, &pinned).ok());
  DeduplicatorOptions wide = pinned;
  wide.sketch.verify_bits = 32;
  EXPECT_EQ(Deduplicator::LoadFromString(bytes, &wide).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The SimHash seed too.
  const std::string simhash = testing_util::ReadFileOrEmpty(dir + "/valid_simhash.idx");
  const DeduplicatorOptions pinned_simhash = PinnedOptions(SketchKind::kSimHash);
  auto loaded_simhash = Deduplicator::LoadFromString(simhash, &pinned_simhash);
  ASSERT_TRUE(loaded_simhash.ok()) << loaded_simhash.status();
  EXPECT_EQ((*loaded_simhash)->SaveToString(), SmallIndex(pinned_simhash)->SaveToString());
}

// valid_small_v3.idx: the same index saved by format version 3 (before
// content hashes and retention times): it loads with every content hash
// unknown and every document counted at its publication time, and is saved
// as version 4.
TEST(IndexFileTest, CommittedVersion3FileLoadsWithUnknownContent) {
  const std::string dir = std::string(STORYSIFT_DATA_DIR) + "/../tests/fuzz/corpus/index_load";
  const std::string bytes = testing_util::ReadFileOrEmpty(dir + "/valid_small_v3.idx");
  ASSERT_FALSE(bytes.empty());
  const DeduplicatorOptions pinned = PinnedOptions(SketchKind::kMinHash);
  auto loaded = Deduplicator::LoadFromString(bytes, &pinned);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->loaded_format_version(), 3u);
  EXPECT_EQ((*loaded)->SaveToString(),
            SmallIndex(pinned, /*content_hashes=*/false)->SaveToString());
  Document doc0;
  doc0.id = "doc0";
  doc0.text = "The central bank raised its benchmark rate by a quarter point on Tuesday.";
  doc0.published = 541555200;
  const uint64_t hash = (*loaded)->Sketch(doc0).content_hash;
  EXPECT_NE(hash, 0u);
  EXPECT_EQ((*loaded)->CompareStored("doc0", hash), StoredContent::kUnknown);
  EXPECT_EQ((*loaded)->CompareStored("doc9", hash), StoredContent::kAbsent);
  // A fresh index knows each document's content.
  auto fresh = SmallIndex(pinned);
  EXPECT_EQ(fresh->CompareStored("doc0", hash), StoredContent::kSame);
  EXPECT_EQ(fresh->CompareStored("doc1", hash), StoredContent::kChanged);
}

// valid_small_v2.idx: the same index saved by format version 2 (before the
// look-alike flag and the short-pair rule): it loads with the rule off, as
// it was built, and an `expected` with the rule on is FailedPrecondition.
TEST(IndexFileTest, CommittedVersion2FileLoadsWithoutTheShortPairRule) {
  const std::string dir = std::string(STORYSIFT_DATA_DIR) + "/../tests/fuzz/corpus/index_load";
  const std::string bytes = testing_util::ReadFileOrEmpty(dir + "/valid_small_v2.idx");
  ASSERT_FALSE(bytes.empty());
  DeduplicatorOptions pinned = PinnedOptions(SketchKind::kMinHash);
  EXPECT_EQ(Deduplicator::LoadFromString(bytes, &pinned).status().code(),
            absl::StatusCode::kFailedPrecondition);
  pinned.grouper.short_pair_shingles = 0;
  auto loaded = Deduplicator::LoadFromString(bytes, &pinned);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_FALSE((*loaded)->options().sketch.shingle.fold_lookalikes);
  EXPECT_EQ((*loaded)->options().grouper.short_pair_shingles, 0u);
  EXPECT_EQ((*loaded)->SaveToString(), SmallIndex(pinned, false)->SaveToString());
}

// valid_small_v1.idx: the same index saved by format version 1 (full 32-bit
// signatures). It loads as 32-bit verification, or at the width `expected`
// asks for (the full signatures allow any), giving the index built afresh.
TEST(IndexFileTest, CommittedVersion1FileStillLoadsAtAnyWidth) {
  const std::string dir = std::string(STORYSIFT_DATA_DIR) + "/../tests/fuzz/corpus/index_load";
  const std::string bytes = testing_util::ReadFileOrEmpty(dir + "/valid_small_v1.idx");
  ASSERT_FALSE(bytes.empty());
  for (int bits : {8, 16, 32}) {
    DeduplicatorOptions pinned = PinnedOptions(SketchKind::kMinHash);
    pinned.grouper.short_pair_shingles = 0;  // Version 1 had no short-pair rule.
    pinned.sketch.verify_bits = bits;
    auto loaded = Deduplicator::LoadFromString(bytes, &pinned);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ((*loaded)->SaveToString(), SmallIndex(pinned, false)->SaveToString()) << bits;
  }
  auto plain = Deduplicator::LoadFromString(bytes);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ((*plain)->options().sketch.verify_bits, 32);
  EXPECT_EQ((*plain)->loaded_format_version(), 1u);
}

}  // namespace
}  // namespace storysift
