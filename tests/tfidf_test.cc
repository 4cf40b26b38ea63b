#include "storysift/tfidf.h"

#include <cmath>

#include "gtest/gtest.h"
#include "storysift/idf_model.h"
#include "storysift/normalize.h"
#include "vector/tfidf_weighting.h"

namespace storysift {
namespace {

NormalizedText Norm(std::string_view text) {
  static const Normalizer normalizer = *Normalizer::Create({});
  NormalizedText out;
  normalizer.Normalize(text, &out);
  return out;
}

uint64_t TermOf(std::string_view word) { return Norm(word).tokens.at(0).term; }

float WeightOf(const TfidfMatrix& m, size_t row, std::string_view word) {
  const std::optional<uint32_t> id = m.vocabulary().Find(TermOf(word));
  if (!id) return 0;
  SparseVectorView v = m.row(row);
  for (size_t k = 0; k < v.size(); ++k) {
    if (v.ids[k] == *id) return v.weights[k];
  }
  return 0;
}

// d0: body "apple apple banana", title "cherry"; d1: body "banana cherry".
TfidfMatrix HandCorpus(const TfidfOptions& options, const IdfModel* model = nullptr) {
  TfidfVectorizer v = *TfidfVectorizer::Create(options, model);
  NormalizedText title = Norm("Cherry");
  EXPECT_TRUE(v.Add(0, Norm("Apple apple banana"), &title).ok());
  EXPECT_TRUE(v.Add(1, Norm("banana cherry")).ok());
  return *v.Build();
}

TEST(TfidfTest, WeightsFollowSublinearTfSmoothedIdfAndL2Norm) {
  TfidfMatrix m = HandCorpus({});
  // N = 2; df(apple) = 1, df(banana) = df(cherry) = 2.
  const double idf_apple = std::log(3.0 / 2.0) + 1, idf_common = std::log(3.0 / 3.0) + 1;
  const double apple = (1 + std::log(2.0)) * idf_apple;    // tf 2
  const double banana = 1.0 * idf_common;                  // tf 1
  const double cherry = (1 + std::log(2.0)) * idf_common;  // title x2
  const double norm = std::sqrt(apple * apple + banana * banana + cherry * cherry);
  EXPECT_NEAR(WeightOf(m, 0, "apple"), apple / norm, 1e-6);
  EXPECT_NEAR(WeightOf(m, 0, "banana"), banana / norm, 1e-6);
  EXPECT_NEAR(WeightOf(m, 0, "cherry"), cherry / norm, 1e-6);
  EXPECT_NEAR(WeightOf(m, 1, "banana"), 1 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(Dot(m.row(0), m.row(1)), (banana + cherry) / norm / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(m.idf(*m.vocabulary().Find(TermOf("apple"))), idf_apple, 1e-6);
  EXPECT_EQ(m.corpus_df(*m.vocabulary().Find(TermOf("banana"))), 2u);
}

TEST(TfidfTest, TitleWeightAndLinearTfAreConfigurable) {
  TfidfOptions options;
  options.title_weight = 3.0f;
  options.sublinear_tf = false;
  TfidfMatrix m = HandCorpus(options);
  const double apple = 2 * (std::log(1.5) + 1), banana = 1, cherry = 3;
  const double norm = std::sqrt(apple * apple + banana * banana + cherry * cherry);
  EXPECT_NEAR(WeightOf(m, 0, "apple"), apple / norm, 1e-6);
  EXPECT_NEAR(WeightOf(m, 0, "cherry"), cherry / norm, 1e-6);
}

TEST(TfidfTest, LoadedModelSuppliesDfAndMissingTermsGetMaxIdf) {
  IdfModel model = *IdfModel::FromTerms(
      10, {{TermOf("apple"), 9, "apple"}, {TermOf("banana"), 1, "banana"}}, {});
  TfidfMatrix m = HandCorpus({}, &model);
  EXPECT_NEAR(m.idf(*m.vocabulary().Find(TermOf("apple"))), std::log(11.0 / 10.0) + 1, 1e-6);
  EXPECT_NEAR(m.idf(*m.vocabulary().Find(TermOf("banana"))), std::log(11.0 / 2.0) + 1, 1e-6);
  EXPECT_NEAR(m.idf(*m.vocabulary().Find(TermOf("cherry"))), std::log(11.0 / 1.0) + 1, 1e-6);
}

TEST(TfidfTest, VectorsAreUnitNormAndCosineIsSymmetric) {
  TfidfVectorizer v = *TfidfVectorizer::Create({});
  const char* docs[] = {"the cat sat on the mat", "a dog sat on a log", "cats and dogs",
                        "the mat was red", "nothing in common here"};
  for (uint32_t i = 0; i < 5; ++i) ASSERT_TRUE(v.Add(i * 3, Norm(docs[i])).ok());
  TfidfMatrix m = *v.Build();
  ASSERT_EQ(m.num_rows(), 5u);
  for (size_t r = 0; r < 5; ++r) {
    EXPECT_NEAR(Dot(m.row(r), m.row(r)), 1.0, 1e-5);
    for (size_t k = 1; k < m.row(r).size(); ++k) EXPECT_LT(m.row(r).ids[k - 1], m.row(r).ids[k]);
    for (size_t s = 0; s < 5; ++s) EXPECT_FLOAT_EQ(Dot(m.row(r), m.row(s)), Dot(m.row(s), m.row(r)));
  }
  EXPECT_GT(Dot(m.row(0), m.row(3)), 0.1);
  EXPECT_EQ(Dot(m.row(0), m.row(4)), 0.0f);
  EXPECT_EQ(m.FindRow(9), std::optional<size_t>(3));
  EXPECT_EQ(m.FindRow(4), std::nullopt);
}

TEST(TfidfTest, DisplayIsFirstSurfaceFormInOrdinalOrder) {
  TfidfVectorizer v = *TfidfVectorizer::Create({});
  ASSERT_TRUE(v.Add(0, Norm("Kislyak met")).ok());
  ASSERT_TRUE(v.Add(1, Norm("KISLYAK envoy")).ok());
  TfidfMatrix m = *v.Build();
  EXPECT_EQ(m.vocabulary().display(*m.vocabulary().Find(TermOf("kislyak"))), "kislyak");
  EXPECT_EQ(m.vocabulary().size(), 3u);
}

TEST(TfidfTest, MaxTermsPerDocKeepsHeaviestAndRenormalises) {
  TfidfOptions options;
  options.max_terms_per_doc = 2;
  TfidfMatrix m = HandCorpus(options);
  ASSERT_EQ(m.row(0).size(), 2u);
  EXPECT_NEAR(Dot(m.row(0), m.row(0)), 1.0, 1e-5);
  EXPECT_GT(WeightOf(m, 0, "apple"), 0);  // Heaviest (rare and repeated).
  EXPECT_EQ(WeightOf(m, 0, "banana"), 0);  // Lightest dropped.
}

// The row kernel batch and streaming share: ties keep the smaller id, the
// kept terms stay in id order, and the row ends at unit norm.
TEST(TfidfTest, FinishRowKeepsTheHeaviestInIdOrderTiesToTheSmallerId) {
  TfidfOptions options;
  options.max_terms_per_doc = 3;
  std::vector<uint32_t> ids = {2, 5, 7, 9, 11};
  std::vector<float> weights = {1.0f, 3.0f, 2.0f, 2.0f, 0.5f};
  std::vector<uint32_t> order;
  const size_t n = internal::FinishRow(options, ids.data(), weights.data(), ids.size(), &order);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(std::vector<uint32_t>(ids.begin(), ids.begin() + 3), (std::vector<uint32_t>{5, 7, 9}));
  const float norm = std::sqrt(3.0f * 3.0f + 2.0f * 2.0f + 2.0f * 2.0f);
  EXPECT_NEAR(weights[0], 3.0f / norm, 1e-6);
  EXPECT_NEAR(weights[1], 2.0f / norm, 1e-6);
  EXPECT_NEAR(weights[2], 2.0f / norm, 1e-6);
  options.max_terms_per_doc = 0;  // Keeps all; an empty row stays empty.
  EXPECT_EQ(internal::FinishRow(options, ids.data(), weights.data(), 0, &order), 0u);
}

// IdfModel::idf and the weights' idf are one formula.
TEST(TfidfTest, ModelIdfIsTheWeightsIdfAtPowerOne) {
  IdfModel model = *IdfModel::FromTerms(10, {{0x1234, 3, "x"}}, {});
  TfidfOptions options;
  EXPECT_FLOAT_EQ(static_cast<float>(model.idf(0x1234)),
                  internal::IdfWeight(options, 10, 3));
  options.idf_power = 2.0f;
  EXPECT_NEAR(internal::IdfWeight(options, 10, 3), std::pow(std::log(11.0 / 4.0) + 1, 2), 1e-5);
}

TEST(TfidfTest, OrdinalsMustIncreaseAndBuildOnlyOnce) {
  TfidfVectorizer v = *TfidfVectorizer::Create({});
  ASSERT_TRUE(v.Add(5, Norm("a")).ok());
  EXPECT_EQ(v.Add(5, Norm("b")).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(v.Build().ok());
  EXPECT_EQ(v.Build().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(v.Add(6, Norm("c")).code(), absl::StatusCode::kFailedPrecondition);
  TfidfOptions bad;
  bad.title_weight = -1;
  EXPECT_EQ(TfidfVectorizer::Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace storysift
