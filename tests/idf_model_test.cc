#include "storysift/idf_model.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "temp_dir.h"

namespace storysift {
namespace {

IdfModel Sample() {
  return *IdfModel::FromTerms(100, {{0xdead, 3, "sessions"},
                                    {0x0001, 100, "said"},
                                    {0xbeef, 1, "kislyak"}});
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
  EXPECT_EQ(IdfModel::FromTerms(5, {{1, 1, "a"}, {1, 2, "b"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IdfModel::FromTerms(5, {{1, 6, "a"}}).status().code(),
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
  IdfModel empty = *IdfModel::FromTerms(0, {});
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
  bytes[8] = 2;
  EXPECT_EQ(IdfModel::Parse(bytes).status().code(), absl::StatusCode::kUnimplemented);
  const std::string path = tmp / "v2.idf";
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

}  // namespace
}  // namespace storysift
