#include "storysift/idf_model.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "temp_dir.h"
#include "xxhash.h"

namespace storysift {
namespace {

IdfModel Sample() {
  return *IdfModel::FromTerms(100, {{0xdead, 3, "sessions"},
                                    {0x0001, 100, "said"},
                                    {0xbeef, 1, "kislyak"}},
                             {});
}

TEST(IdfModelTest, LookupsUseSortedTerms) {
  IdfModel m = Sample();
  EXPECT_EQ(m.num_docs(), 100u);
  EXPECT_EQ(m.num_terms(), 3u);
  EXPECT_EQ(m.df(0xbeef), 1u);
  EXPECT_EQ(m.df(0x1234), 0u);
  EXPECT_EQ(m.display(0xdead), "sessions");
  EXPECT_EQ(m.display(0x1234), "");
  EXPECT_NEAR(m.idf(0x1234), std::log(101.0) + 1, 1e-12);
  EXPECT_EQ(m.term(0).term_hash, 0x0001u);
}

TEST(IdfModelTest, FromTermsRejectsDuplicatesAndBadDf) {
  EXPECT_EQ(IdfModel::FromTerms(5, {{1, 1, "a"}, {1, 2, "b"}}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IdfModel::FromTerms(5, {{1, 6, "a"}}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IdfModelTest, SaveLoadRoundTrips) {
  const testing_util::TempDir tmp;
  const std::string path = tmp / "roundtrip.idf";
  ASSERT_TRUE(Sample().Save(path).ok());
  absl::StatusOr<IdfModel> back = IdfModel::Load(path);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->num_terms(), 3u);
  EXPECT_EQ(back->num_docs(), 100u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back->term(i).term_hash, Sample().term(i).term_hash);
    EXPECT_EQ(back->term(i).df, Sample().term(i).df);
    EXPECT_EQ(back->term(i).display, Sample().term(i).display);
  }
  EXPECT_EQ(back->Serialize(), Sample().Serialize());
  std::remove(path.c_str());
}

TEST(IdfModelTest, EmptyModelRoundTrips) {
  IdfModel empty = *IdfModel::FromTerms(0, {}, {});
  absl::StatusOr<IdfModel> back = IdfModel::Parse(empty.Serialize());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->num_terms(), 0u);
}

TEST(IdfModelTest, MissingFileIsNotFound) {
  const testing_util::TempDir tmp;
  EXPECT_EQ(IdfModel::Load(tmp / "no_such.idf").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(IdfModelTest, EveryTruncationIsDataLoss) {
  const std::string bytes = Sample().Serialize();
  for (size_t len = 0; len < bytes.size(); ++len) {
    EXPECT_EQ(IdfModel::Parse(bytes.substr(0, len)).status().code(),
              absl::StatusCode::kDataLoss)
        << "length " << len;
  }
}

TEST(IdfModelTest, EveryPayloadBitFlipIsDataLoss) {
  const std::string bytes = Sample().Serialize();
  // Header bytes 8..11 hold the version (Unimplemented, tested below).
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i >= 8 && i < 12) continue;
    for (int bit = 0; bit < 8; bit += 3) {
      std::string bad = bytes;
      bad[i] ^= static_cast<char>(1 << bit);
      absl::StatusCode code = IdfModel::Parse(bad).status().code();
      EXPECT_EQ(code, absl::StatusCode::kDataLoss) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(IdfModelTest, TrailingBytesAreDataLoss) {
  EXPECT_EQ(IdfModel::Parse(Sample().Serialize() + "x").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(IdfModelTest, UnknownVersionIsUnimplemented) {
  const testing_util::TempDir tmp;
  std::string bytes = Sample().Serialize();
  bytes[8] = kIdfModelFormatVersion + 1;
  EXPECT_EQ(IdfModel::Parse(bytes).status().code(), absl::StatusCode::kUnimplemented);
  const std::string path = tmp / "v3.idf";
  std::ofstream(path, std::ios::binary) << bytes;
  EXPECT_EQ(IdfModel::Load(path).status().code(), absl::StatusCode::kUnimplemented);
  std::remove(path.c_str());
}

TEST(IdfModelTest, SaveReplacesExistingFileAtomically) {
  const testing_util::TempDir tmp;
  const std::string path = tmp / "replace.idf";
  std::ofstream(path) << "old junk";
  ASSERT_TRUE(Sample().Save(path).ok());
  ASSERT_TRUE(IdfModel::Load(path).ok());
  std::remove(path.c_str());
}

NormalizeOptions StemmedHtml() {
  NormalizeOptions o;
  o.stem = true;
  o.markup = MarkupMode::kHtml;
  return o;
}

constexpr size_t kHeaderSize = 32;
constexpr size_t kTermOptionBytes = 20;  // The v2 payload's head (idf_model.h).

// Stores the payload's size and checksum in the header of `bytes`.
void Reseal(std::string* bytes) {
  const uint64_t size = bytes->size() - kHeaderSize;
  const uint64_t checksum = XXH3_64bits(bytes->data() + kHeaderSize, size);
  std::memcpy(bytes->data() + 16, &size, 8);
  std::memcpy(bytes->data() + 24, &checksum, 8);
}

// The bytes a format-1 writer gave for `model`: no term options.
std::string V1Bytes(const IdfModel& model) {
  std::string bytes = model.Serialize();
  bytes.erase(kHeaderSize, kTermOptionBytes);
  bytes[8] = 1;
  Reseal(&bytes);
  return bytes;
}

TEST(IdfModelTest, RecordsTheTermOptionsItWasBuiltWith) {
  const IdfModel m = *IdfModel::FromTerms(3, {{7, 1, "x"}}, StemmedHtml());
  absl::StatusOr<IdfModel> back = IdfModel::Parse(m.Serialize());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->format_version(), kIdfModelFormatVersion);
  EXPECT_EQ(back->term_options().stem, true);
  EXPECT_EQ(back->term_options().markup, MarkupMode::kHtml);
  EXPECT_EQ(back->term_options().drop_boilerplate, true);
  EXPECT_EQ(back->term_options().token_hash_seed, kTokenHashSeed);
  EXPECT_EQ(back->term_options().stop_words, Normalizer::StopWordListFingerprint());
  EXPECT_TRUE(back->UnrecordedTermOptions().empty());
  EXPECT_FALSE(back->stem_inferred());
  EXPECT_EQ(back->Serialize(), m.Serialize());
}

TEST(IdfModelTest, CheckTermOptionsNamesEveryDifferenceWithBothValues) {
  const IdfModel m = *IdfModel::FromTerms(3, {{7, 1, "x"}}, StemmedHtml());
  EXPECT_TRUE(m.CheckTermOptions(StemmedHtml()).ok());
  NormalizeOptions run;  // stem off, markup auto, boilerplate dropped.
  run.drop_boilerplate = false;
  const absl::Status s = m.CheckTermOptions(run);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("stem: model on, run off"), std::string::npos) << s;
  EXPECT_NE(s.message().find("markup: model html, run auto"), std::string::npos) << s;
  EXPECT_NE(s.message().find("drop_boilerplate: model on, run off"), std::string::npos) << s;
  // Options outside the terms (the sketch's) do not matter.
  NormalizeOptions sketch_only = StemmedHtml();
  sketch_only.terms = false;
  sketch_only.lookalike_hashes = true;
  EXPECT_TRUE(m.CheckTermOptions(sketch_only).ok());
}

TEST(IdfModelTest, AnotherBuildsSeedOrStopWordListIsRefused) {
  std::string bytes = Sample().Serialize();
  bytes[kHeaderSize + 4] ^= 1;   // token_hash_seed
  bytes[kHeaderSize + 12] ^= 1;  // stop_words
  Reseal(&bytes);
  absl::StatusOr<IdfModel> m = IdfModel::Parse(bytes);
  ASSERT_TRUE(m.ok()) << m.status();  // `idf info` still shows it.
  const absl::Status s = m->CheckTermOptions({});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("token hash seed"), std::string::npos) << s;
  EXPECT_NE(s.message().find("stop-word list"), std::string::npos) << s;
}

TEST(IdfModelTest, AnOptionByteOutsideItsValuesIsDataLoss) {
  for (size_t at : {0, 1, 2, 3}) {
    std::string bytes = Sample().Serialize();
    bytes[kHeaderSize + at] = at == 1 ? 3 : 2;  // markup has 0..2, the flags 0..1.
    Reseal(&bytes);
    EXPECT_EQ(IdfModel::Parse(bytes).status().code(), absl::StatusCode::kDataLoss) << at;
  }
}

// A format-1 file: its stem read off its terms, markup and boilerplate not
// recorded (and saved again so).
IdfModel ModelOfWords(const std::vector<std::string>& words, bool stem) {
  NormalizeOptions options;
  options.stem = stem;
  const Normalizer normalizer = *Normalizer::Create(options);
  NormalizedText text;
  std::string joined;
  for (const std::string& w : words) joined += w + " ";
  normalizer.Normalize(joined, &text);
  std::vector<IdfTerm> terms;
  for (size_t i = 0; i < text.tokens.size(); ++i) {
    const uint64_t term = text.tokens[i].term;
    bool seen = term == 0;
    for (const IdfTerm& t : terms) seen |= t.term_hash == term;
    if (!seen) terms.push_back({term, 1, std::string(text.folded_token(i))});
  }
  return *IdfModel::FromTerms(1, std::move(terms), options);
}

TEST(IdfModelTest, Version1ModelReadsItsStemOffItsTerms) {
  const std::vector<std::string> words = {"1987", "senators", "met", "ambassadors", "said"};
  for (bool stem : {false, true}) {
    absl::StatusOr<IdfModel> v1 = IdfModel::Parse(V1Bytes(ModelOfWords(words, stem)));
    ASSERT_TRUE(v1.ok()) << v1.status();
    EXPECT_EQ(v1->format_version(), 1u);
    EXPECT_EQ(v1->term_options().stem, stem);
    EXPECT_TRUE(v1->stem_inferred());
    EXPECT_EQ(v1->UnrecordedTermOptions(),
              (std::vector<std::string>{"markup", "drop_boilerplate"}));
    NormalizeOptions run;
    run.markup = MarkupMode::kPlain;  // Not recorded: not checked.
    run.stem = stem;
    EXPECT_TRUE(v1->CheckTermOptions(run).ok());
    run.stem = !stem;
    const absl::Status s = v1->CheckTermOptions(run);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("(read off its terms)"), std::string::npos) << s;
    // Saved again as v2, it still records only what it knew.
    absl::StatusOr<IdfModel> again = IdfModel::Parse(v1->Serialize());
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->format_version(), kIdfModelFormatVersion);
    EXPECT_EQ(again->term_options().stem, stem);
    EXPECT_FALSE(again->term_options().markup.has_value());
    EXPECT_FALSE(again->term_options().drop_boilerplate.has_value());
  }
}

TEST(IdfModelTest, Version1ModelOfOwnStemsOnlyLeavesStemUnrecorded) {
  // "met" and "said" are their own stems: either way the same terms.
  for (bool stem : {false, true}) {
    absl::StatusOr<IdfModel> v1 =
        IdfModel::Parse(V1Bytes(ModelOfWords({"met", "said", "2017"}, stem)));
    ASSERT_TRUE(v1.ok()) << v1.status();
    EXPECT_FALSE(v1->term_options().stem.has_value());
    EXPECT_EQ(v1->UnrecordedTermOptions(),
              (std::vector<std::string>{"markup", "drop_boilerplate", "stem"}));
    EXPECT_TRUE(v1->CheckTermOptions({}).ok());
  }
}

// seeds_v1.idf and seeds_stem_v1.idf: `storysift idf build data/seeds`
// without and with --stem, in format 1 (the v2 file less its term options).
TEST(IdfModelTest, CommittedVersion1FilesStillLoad) {
  const std::string dir = std::string(STORYSIFT_DATA_DIR) + "/../tests/fuzz/corpus/idf_model";
  for (bool stem : {false, true}) {
    const std::string path = dir + (stem ? "/seeds_stem_v1.idf" : "/seeds_v1.idf");
    absl::StatusOr<IdfModel> m = IdfModel::Load(path);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->format_version(), 1u);
    EXPECT_EQ(m->num_docs(), 3u);
    EXPECT_GT(m->num_terms(), 300u);
    EXPECT_EQ(m->term_options().stem, stem) << path;
  }
}

}  // namespace
}  // namespace storysift
