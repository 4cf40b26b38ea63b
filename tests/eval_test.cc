#include "storysift/eval.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "temp_dir.h"

namespace storysift {
namespace {

Labeling L(std::vector<std::pair<std::string, std::string>> v) {
  auto l = MakeLabeling(v);
  EXPECT_TRUE(l.ok()) << l.status();
  return *l;
}

TEST(EvalTest, IdenticalLabelingsScorePerfectly) {
  Labeling g = L({{"a", "1"}, {"b", "1"}, {"c", "2"}, {"d", "3"}, {"e", "3"}});
  Labeling p = L({{"a", "x"}, {"b", "x"}, {"c", "y"}, {"d", "z"}, {"e", "z"}});
  ClusterMetrics m = EvaluateClustering(p, g);
  EXPECT_EQ(m.num_items, 5);
  EXPECT_EQ(m.num_gold_clusters, 3);
  EXPECT_EQ(m.num_predicted_clusters, 3);
  EXPECT_EQ(m.same_cluster_pairs_both, 2);
  EXPECT_DOUBLE_EQ(m.pair_f1, 1.0);
  EXPECT_DOUBLE_EQ(m.adjusted_rand_index, 1.0);
  EXPECT_DOUBLE_EQ(m.bcubed_f1, 1.0);
}

TEST(EvalTest, AllSingletonsAgainstAllInOneGoldHasKnownScores) {
  // Gold: 4 items in one cluster (6 pairs); predicted: 4 singletons.
  Labeling g = L({{"a", "1"}, {"b", "1"}, {"c", "1"}, {"d", "1"}});
  Labeling p = L({{"a", "a"}, {"b", "b"}, {"c", "c"}, {"d", "d"}});
  ClusterMetrics m = EvaluateClustering(p, g);
  EXPECT_EQ(m.same_cluster_pairs_gold, 6);
  EXPECT_EQ(m.same_cluster_pairs_predicted, 0);
  EXPECT_DOUBLE_EQ(m.pair_precision, 1.0);  // Nothing predicted.
  EXPECT_DOUBLE_EQ(m.pair_recall, 0.0);
  EXPECT_DOUBLE_EQ(m.pair_f1, 0.0);
  // Index 0, expected 6*0/6 = 0, max 3: ARI 0.
  EXPECT_DOUBLE_EQ(m.adjusted_rand_index, 0.0);
  // B-cubed: every item precision 1/1, recall 1/4; F1 = 2*.25/1.25.
  EXPECT_DOUBLE_EQ(m.bcubed_precision, 1.0);
  EXPECT_DOUBLE_EQ(m.bcubed_recall, 0.25);
  EXPECT_DOUBLE_EQ(m.bcubed_f1, 0.4);

  ClusterMetrics r = EvaluateClustering(g, p);  // All-in-one predicted.
  EXPECT_DOUBLE_EQ(r.pair_precision, 0.0);
  EXPECT_DOUBLE_EQ(r.pair_recall, 1.0);
  EXPECT_DOUBLE_EQ(r.bcubed_precision, 0.25);
  EXPECT_DOUBLE_EQ(r.bcubed_recall, 1.0);
  EXPECT_DOUBLE_EQ(r.adjusted_rand_index, 0.0);
}

TEST(EvalTest, AdjustedRandIndexMatchesHandComputedValue) {
  // gold [0,0,1,2], predicted [0,0,1,1] (the scikit-learn docstring example).
  // Index = sum C(n_ij,2) = 1; sum_a = 1; sum_b = 2; C(4,2) = 6;
  // expected = 1*2/6 = 1/3; max = (1+2)/2 = 3/2;
  // ARI = (1 - 1/3) / (3/2 - 1/3) = 4/7.
  Labeling g = L({{"a", "0"}, {"b", "0"}, {"c", "1"}, {"d", "2"}});
  Labeling p = L({{"a", "0"}, {"b", "0"}, {"c", "1"}, {"d", "1"}});
  ClusterMetrics m = EvaluateClustering(p, g);
  EXPECT_NEAR(m.adjusted_rand_index, 4.0 / 7.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.pair_precision, 0.5);  // (a,b) right, (c,d) wrong.
  EXPECT_DOUBLE_EQ(m.pair_recall, 1.0);
  // B-cubed precision: a,b 1; c,d 1/2 each -> 0.75. Recall 1 for all.
  EXPECT_DOUBLE_EQ(m.bcubed_precision, 0.75);
  EXPECT_DOUBLE_EQ(m.bcubed_recall, 1.0);
}

TEST(EvalTest, MutualInformationScoresMatchHandComputedValues) {
  // gold [0,0,1,2], predicted [0,0,1,1]: H(gold) = 1.5 ln 2, H(pred) = ln 2,
  // MI = ln 2, so NMI = ln 2 / (1.25 ln 2) = 0.8. E[MI] over the
  // hypergeometric model, summed with binomials (C(b,k) C(n-b,a-k) / C(n,a))
  // rather than the log-gammas the library uses, is 0.46209812037;
  // AMI = (MI - EMI) / (1.25 ln 2 - EMI) = 0.571428571...
  Labeling g = L({{"a", "0"}, {"b", "0"}, {"c", "1"}, {"d", "2"}});
  Labeling p = L({{"a", "0"}, {"b", "0"}, {"c", "1"}, {"d", "1"}});
  ClusterMetrics m = EvaluateClustering(p, g);
  EXPECT_NEAR(m.normalized_mutual_info, 0.8, 1e-12);
  EXPECT_NEAR(m.adjusted_mutual_info, 0.5714285714285715, 1e-9);

  ClusterMetrics same = EvaluateClustering(g, g);
  EXPECT_NEAR(same.normalized_mutual_info, 1.0, 1e-12);
  EXPECT_NEAR(same.adjusted_mutual_info, 1.0, 1e-9);

  // Everything in one predicted cluster says nothing: NMI 0, AMI 0.
  Labeling one = L({{"a", "x"}, {"b", "x"}, {"c", "x"}, {"d", "x"}});
  ClusterMetrics none = EvaluateClustering(one, g);
  EXPECT_NEAR(none.normalized_mutual_info, 0.0, 1e-12);
  EXPECT_NEAR(none.adjusted_mutual_info, 0.0, 1e-9);
}

TEST(EvalTest, ItemsOnOneSideOnlyBecomeSingletonsAndAreCounted) {
  Labeling g = L({{"a", "1"}, {"b", "1"}, {"c", "2"}});
  Labeling p = L({{"a", "x"}, {"b", "x"}, {"d", "y"}});
  ClusterMetrics m = EvaluateClustering(p, g);
  EXPECT_EQ(m.num_items, 4);
  EXPECT_EQ(m.num_gold_only, 1);
  EXPECT_EQ(m.num_predicted_only, 1);
  EXPECT_EQ(m.num_gold_clusters, 3);  // {a,b} {c} {d}.
  EXPECT_EQ(m.num_predicted_clusters, 3);
  EXPECT_DOUBLE_EQ(m.pair_f1, 1.0);
  EXPECT_DOUBLE_EQ(m.adjusted_rand_index, 1.0);

  // A missing item that gold groups with others costs recall.
  Labeling p2 = L({{"a", "x"}});
  ClusterMetrics m2 = EvaluateClustering(p2, g);
  EXPECT_EQ(m2.num_gold_only, 2);
  EXPECT_DOUBLE_EQ(m2.pair_recall, 0.0);
}

TEST(EvalTest, MakeLabelingRejectsRepeatedId) {
  std::vector<std::pair<std::string, std::string>> v = {{"a", "1"}, {"a", "2"}};
  EXPECT_EQ(MakeLabeling(v).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EvalTest, PairMetricsIgnoreOrderRepeatsAndSelfPairs) {
  std::vector<IdPair> pred = {{"a", "b"}, {"b", "a"}, {"c", "d"}, {"e", "e"}};
  std::vector<IdPair> gold = {{"b", "a"}, {"d", "e"}};
  PairMetrics m = EvaluatePairs(pred, gold);
  EXPECT_EQ(m.num_predicted, 2);
  EXPECT_EQ(m.num_gold, 2);
  EXPECT_EQ(m.num_true_positive, 1);
  EXPECT_DOUBLE_EQ(m.precision, 0.5);
  EXPECT_DOUBLE_EQ(m.recall, 0.5);
  EXPECT_DOUBLE_EQ(m.f1, 0.5);
}

TEST(EvalTest, PairsFromLabelingListsEveryPairInEachCluster) {
  Labeling l = L({{"c", "1"}, {"a", "1"}, {"b", "1"}, {"d", "2"}, {"e", "3"}, {"f", "3"}});
  std::vector<IdPair> want = {{"a", "b"}, {"a", "c"}, {"b", "c"}, {"e", "f"}};
  EXPECT_EQ(PairsFromLabeling(l), want);
  // Cluster pair counts agree with the O(n) clustering metric.
  EXPECT_EQ(EvaluateClustering(l, l).same_cluster_pairs_gold, 4);
}

TEST(EvalTest, ThresholdCurvePicksBestF1AndPrecisionTarget) {
  // Gold: 4 pairs, (m,n) never a candidate.
  std::vector<IdPair> gold = {{"a", "b"}, {"c", "d"}, {"g", "h"}, {"m", "n"}};
  std::vector<ScoredPair> cand = {{"a", "b", 0.9}, {"c", "d", 0.8}, {"e", "f", 0.7},
                                  {"h", "g", 0.6}, {"i", "j", 0.5}, {"k", "l", 0.4},
                                  {"b", "a", 0.3}};  // Repeat keeps 0.9.
  ThresholdCurve c = ComputeThresholdCurve(cand, gold);
  ASSERT_EQ(c.points.size(), 6u);
  EXPECT_EQ(c.num_gold, 4);
  // At 0.6: 4 predicted, 3 right: P .75, R .75, F1 .75 (the maximum; at 0.8
  // P 1, R .5, F1 .667).
  auto best = BestF1Threshold(c);
  ASSERT_TRUE(best.has_value());
  EXPECT_DOUBLE_EQ(best->threshold, 0.6);
  EXPECT_DOUBLE_EQ(best->f1, 0.75);
  EXPECT_EQ(best->num_predicted, 4);
  EXPECT_DOUBLE_EQ(c.points.back().recall, 0.75);
  EXPECT_DOUBLE_EQ(c.points.back().precision, 0.5);

  EXPECT_DOUBLE_EQ(LowestThresholdForPrecision(c, 0.7)->threshold, 0.6);
  EXPECT_DOUBLE_EQ(LowestThresholdForPrecision(c, 0.9)->threshold, 0.8);
  EXPECT_FALSE(LowestThresholdForPrecision(c, 1.01).has_value());
}

TEST(EvalTest, ThresholdCurveGroupsTiedScoresIntoOnePoint) {
  std::vector<IdPair> gold = {{"a", "b"}};
  std::vector<ScoredPair> cand = {{"a", "b", 0.5}, {"c", "d", 0.5}};
  ThresholdCurve c = ComputeThresholdCurve(cand, gold);
  ASSERT_EQ(c.points.size(), 1u);
  EXPECT_EQ(c.points[0].num_predicted, 2);
  EXPECT_DOUBLE_EQ(c.points[0].precision, 0.5);
  EXPECT_FALSE(BestF1Threshold(ComputeThresholdCurve({}, gold)).has_value());
}

TEST(EvalTest, ReadsFlatAndNestedLabelFiles) {
  const testing_util::TempDir tmp;
  std::string flat = tmp.Write("flat.jsonl",
                               "{\"id\":\"a\",\"cluster_id\":\"a\"}\n"
                               "\n"
                               "{\"id\":7,\"cluster_id\":\"a\"}\n"
                               "{\"doc_id\":\"c\",\"cluster\":3}\n"
                               "{\"id\":\"d\",\"cluster_id\":null}\n"
                               "{\"id\":\"e\",\"topics\":[\"grain\",\"corn\"]}\n");
  LabelFileOptions opt;
  opt.label_fields.push_back("topics");
  auto l = ReadLabelsJsonl(flat, opt);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->size(), 5u);
  EXPECT_EQ(l->at("7"), "a");
  EXPECT_EQ(l->at("c"), "3");
  EXPECT_EQ(l->at("e"), "grain");
  EXPECT_NE(l->at("d"), "");  // Null label: a singleton of its own.

  std::string nested = tmp.Write(
      "nested.jsonl",
      "{\"story_id\":\"s1\",\"size\":2,\"articles\":[{\"id\":\"a\",\"novelty\":1.0},"
      "{\"id\":\"b\",\"copy_of\":null}]}\n"
      "{\"story_id\":\"s2\",\"articles\":[{\"id\":\"c\"}]}\n");
  auto n = ReadLabelsJsonl(nested);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->size(), 3u);
  EXPECT_EQ(n->at("a"), "s1");
  EXPECT_EQ(n->at("b"), "s1");
  EXPECT_EQ(n->at("c"), "s2");
  std::remove(flat.c_str());
  std::remove(nested.c_str());
}

TEST(EvalTest, LabelFileSkipsRecordsWithNullId) {
  const testing_util::TempDir tmp;
  std::string path = tmp.Write(
      "skipped.jsonl",
      "{\"id\":\"a\",\"cluster_id\":\"a\",\"role\":\"original\"}\n"
      "{\"id\":null,\"role\":\"skipped\",\"reason\":\"bad\",\"origin\":\"x:2\"}\n"
      "{\"id\":\"b\",\"cluster_id\":\"a\",\"role\":\"copy\"}\n");
  auto l = ReadLabelsJsonl(path);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->size(), 2u);
  EXPECT_EQ(l->at("b"), "a");
  std::remove(path.c_str());
}

TEST(EvalTest, LabelFileErrorsNameFileAndLine) {
  const testing_util::TempDir tmp;
  std::string bad = tmp.Write("bad.jsonl", "{\"id\":\"a\",\"label\":1}\n{\"id\":\n");
  auto l = ReadLabelsJsonl(bad);
  EXPECT_EQ(l.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(l.status().message().find(bad + ":2:"), std::string::npos) << l.status();

  std::string dup = tmp.Write("dup.jsonl", "{\"id\":\"a\",\"label\":1}\n{\"id\":\"a\",\"label\":2}\n");
  auto d = ReadLabelsJsonl(dup);
  EXPECT_NE(d.status().message().find(dup + ":2:"), std::string::npos) << d.status();
  EXPECT_EQ(ReadLabelsJsonl("/nonexistent/x.jsonl").status().code(),
            absl::StatusCode::kNotFound);
  std::remove(bad.c_str());
  std::remove(dup.c_str());
}

TEST(EvalTest, ReadsPairFileWithHeaderAndMinScore) {
  const testing_util::TempDir tmp;
  std::string path = tmp.Write("pairs.tsv",
                               "id_a\tid_b\tjaccard\n1\t2\t0.9\n3 4 0.5\n# note\n5\t6\n");
  auto all = ReadPairsTsv(path);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_DOUBLE_EQ((*all)[2].score, 1.0);
  auto high = ReadPairsTsv(path, 0.8);
  ASSERT_TRUE(high.ok());
  EXPECT_EQ(high->size(), 2u);

  std::string bad = tmp.Write("badpairs.tsv", "1\t2\t0.9\n1\t2\tx\n");
  auto b = ReadPairsTsv(bad);
  EXPECT_NE(b.status().message().find(bad + ":2:"), std::string::npos) << b.status();
  std::remove(path.c_str());
  std::remove(bad.c_str());
}

// Two stories under one story_id (two days' `cluster` outputs without
// --state, concatenated) were scored as one story, inventing pairs; a
// --state output's merged-story pointer lines still read.
TEST(EvalTest, StoryIdOnTwoMemberRecordsIsAnErrorNamingBothLines) {
  const testing_util::TempDir tmp;
  std::string week = tmp.Write("week.jsonl",
                               "{\"story_id\":\"s0001\",\"articles\":[{\"id\":\"m1\"}]}\n"
                               "{\"story_id\":\"s0002\",\"articles\":[{\"id\":\"m2\"}]}\n"
                               "{\"story_id\":\"s0001\",\"articles\":[{\"id\":\"t1\"}]}\n");
  auto w = ReadLabelsJsonl(week);
  EXPECT_EQ(w.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(w.status().message().find(
                week + ":3: story_id \"s0001\" already names the story at line 1"),
            std::string::npos)
      << w.status();

  std::string state_day = tmp.Write(
      "day.jsonl",
      "{\"story_id\":\"s0001\",\"status\":\"updated\",\"articles\":[{\"id\":\"a\"},{\"id\":\"b\"}]}\n"
      "{\"story_id\":\"s0002\",\"status\":\"merged\",\"merged_into\":\"s0001\"}\n"
      "{\"story_id\":\"s0003\",\"status\":\"new\",\"articles\":[{\"id\":\"c\"}]}\n");
  auto d = ReadLabelsJsonl(state_day);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->size(), 3u);
  EXPECT_EQ(d->at("b"), "s0001");
  // Flat records share labels freely: that is what a label is.
  std::string flat = tmp.Write("flat.jsonl",
                               "{\"id\":\"a\",\"cluster_id\":\"a\"}\n"
                               "{\"id\":\"b\",\"cluster_id\":\"a\"}\n");
  EXPECT_TRUE(ReadLabelsJsonl(flat).ok());
}

// Runs `command` (e.g. "gzip -c") over `in` into `out`.
void Compress(const std::string& command, const std::string& in, const std::string& out) {
  ASSERT_EQ(std::system((command + " < '" + in + "' > '" + out + "'").c_str()), 0) << command;
}

// Gold and prediction files follow the Input rules: a UTF-8 BOM had become
// part of the first id (its pair silently never matched), and a BOM'd or
// gzipped label file, or a JSON array of labels, was misread as pairs.
TEST(EvalTest, LabelAndPairFilesAreReadWithBomsCompressionAndArrays) {
  const testing_util::TempDir tmp;
  const std::string bom = "\xEF\xBB\xBF";
  auto pairs = ReadLabelsOrPairs(tmp.Write("p.tsv", bom + "a\tb\nc\td\n"), {}, 0);
  ASSERT_TRUE(pairs.ok()) << pairs.status();
  ASSERT_FALSE(pairs->labels.has_value());
  ASSERT_EQ(pairs->pairs.size(), 2u);
  EXPECT_EQ(pairs->pairs[0].a, "a");

  const std::string labels_text = "{\"id\":\"a\",\"label\":\"x\"}\n{\"id\":\"b\",\"label\":\"x\"}\n";
  const std::string plain = tmp.Write("l.jsonl", labels_text);
  Compress("gzip -c", plain, tmp.path() + "/l.jsonl.gz");
  Compress("zstd -q -c", plain, tmp.path() + "/l.zst");
  const std::vector<std::string> label_files = {
      tmp.Write("bom.jsonl", bom + labels_text), tmp.path() + "/l.jsonl.gz",
      tmp.path() + "/l.zst",
      tmp.Write("arr.json", bom + "[\n  {\"id\": \"a\", \"label\": \"x\"},\n"
                                  "  {\"id\": \"b\", \"label\": \"x\"}\n]\n")};
  for (const std::string& path : label_files) {
    auto read = ReadLabelsOrPairs(path, {}, 0);
    ASSERT_TRUE(read.ok()) << path << ": " << read.status();
    ASSERT_TRUE(read->labels.has_value()) << path;
    EXPECT_EQ(read->labels->size(), 2u) << path;
    EXPECT_EQ(read->labels->at("a"), "x") << path;
    auto direct = ReadLabelsJsonl(path);
    ASSERT_TRUE(direct.ok()) << path << ": " << direct.status();
    EXPECT_EQ(direct->size(), 2u) << path;
  }
  const std::string dup = tmp.Write("dup.json", "[{\"id\":\"a\",\"label\":1},{\"id\":\"a\",\"label\":2}]");
  auto d = ReadLabelsJsonl(dup);
  EXPECT_NE(d.status().message().find(dup + ": element 2: id \"a\" already labelled at element 1"),
            std::string::npos)
      << d.status();
}

// Similarities lie in [0, 1]: a NaN or out-of-range score was dropped (or
// kept) without a word.
TEST(EvalTest, PairScoreOutsideZeroToOneIsAnErrorNamingTheLine) {
  const testing_util::TempDir tmp;
  for (const std::string score : {"nan", "-1", "1.5", "inf", "0.9x"}) {
    const std::string path = tmp.Write("s.tsv", "id_a\tid_b\tsimilarity\na\tb\t0.9\nc\td\t" + score + "\n");
    auto p = ReadPairsTsv(path);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << score;
    EXPECT_NE(p.status().message().find(path + ":3: score is not a number in [0, 1]: " + score),
              std::string::npos)
        << p.status();
  }
  auto edges = ReadPairsTsv(tmp.Write("e.tsv", "a\tb\t0\nc\td\t1\n"));
  ASSERT_TRUE(edges.ok()) << edges.status();
  EXPECT_EQ(edges->size(), 2u);
}

// A record without the label field named (--gold-field topic) says which
// field it lacks.
TEST(EvalTest, MissingLabelFieldIsNamed) {
  const testing_util::TempDir tmp;
  const std::string path = tmp.Write("g.jsonl", "{\"id\":\"a\",\"label\":\"x\"}\n");
  LabelFileOptions topic;
  topic.label_fields = {"topic"};
  auto one = ReadLabelsJsonl(path, topic);
  EXPECT_NE(one.status().message().find(path + ":1: record without a label (no \"topic\" field)"),
            std::string::npos)
      << one.status();
  const std::string none = tmp.Write("n.jsonl", "{\"id\":\"a\"}\n");
  auto all = ReadLabelsJsonl(none);
  EXPECT_NE(all.status().message().find(
                "(none of the fields cluster_id, story_id, copy_group, label, cluster)"),
            std::string::npos)
      << all.status();
}

// A printed threshold is given back to `dedup --threshold`: rounded to
// nearest, 0.6314 for a score 0.631372... dropped that pair.
TEST(EvalTest, ThresholdBetweenNeverRoundsAboveTheScore) {
  EXPECT_EQ(ThresholdText(ThresholdBetween(0.6, 0.631372549)), "0.6313");
  EXPECT_EQ(ThresholdText(ThresholdBetween(0.5, 0.6)), "0.6000");
  EXPECT_EQ(ThresholdText(ThresholdBetween(0.9, 1.0)), "1.0000");
  // Scores closer than 4 places: as many more as they need.
  EXPECT_EQ(ThresholdText(ThresholdBetween(0.63131, 0.631372549)), "0.63137");
  EXPECT_EQ(ThresholdText(ThresholdBetween(0.4, 0.50001)), "0.5000");
  EXPECT_EQ(ThresholdText(ThresholdBetween(0.5, 0.50001)), "0.50001");  // Not 0.5 itself.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < 2000; ++i) {
    double a = unit(rng), b = unit(rng);
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    if (i % 2) a = std::nextafter(b, 0.0);  // Neighbours too.
    const double t = ThresholdBetween(a, b);
    EXPECT_GT(t, a);
    EXPECT_LE(t, b);
    // The text reads back (as a flag is read) to the very same value.
    const std::string text = ThresholdText(t);
    EXPECT_EQ(static_cast<double>(std::strtold(text.c_str(), nullptr)), t) << text;
  }
}

// Which pairs are candidates can depend on the threshold (dedup's LSH
// bands): each point counts the set the threshold it prints leads to.
TEST(EvalTest, ThresholdCurveAtCountsEachThresholdsOwnCandidates) {
  const std::vector<ScoredPair> wide = {{"a", "b", 0.95}, {"c", "d", 0.7}, {"e", "f", 0.62}};
  const std::vector<ScoredPair> narrow = {{"a", "b", 0.95}};  // Bands for >= 0.8.
  const std::vector<IdPair> gold = {{"a", "b"}, {"c", "d"}};
  int calls = 0;
  auto at = [&](double t) -> absl::StatusOr<const std::vector<ScoredPair>*> {
    ++calls;
    return t >= 0.8 ? &narrow : &wide;
  };
  auto curve = ComputeThresholdCurveAt(at, gold, 0.5, {});
  ASSERT_TRUE(curve.ok()) << curve.status();
  ASSERT_EQ(curve->points.size(), 3u);
  EXPECT_EQ(ThresholdText(curve->points[0].threshold), "0.9500");
  EXPECT_EQ(curve->points[0].num_predicted, 1);
  EXPECT_EQ(ThresholdText(curve->points[1].threshold), "0.7000");
  EXPECT_EQ(curve->points[1].num_predicted, 2);
  EXPECT_EQ(curve->points[1].num_true_positive, 2);
  EXPECT_EQ(curve->points[2].num_predicted, 3);
  EXPECT_DOUBLE_EQ(curve->points[2].precision, 2.0 / 3);

  // A set met only through a probe adds its scores as points.
  const std::vector<ScoredPair> low = {{"g", "h", 0.55}};
  const std::vector<ScoredPair> high = {{"a", "b", 0.9}, {"c", "d", 0.85}};
  auto split = [&](double t) -> absl::StatusOr<const std::vector<ScoredPair>*> {
    return t < 0.6 ? &low : &high;
  };
  auto c2 = ComputeThresholdCurveAt(split, gold, 0.5, {1.0});
  ASSERT_TRUE(c2.ok()) << c2.status();
  ASSERT_EQ(c2->points.size(), 3u);
  EXPECT_EQ(c2->points[1].num_true_positive, 2);  // At 0.85: ab, cd.
  EXPECT_EQ(c2->points[2].num_predicted, 1);      // At 0.55: only gh.
  auto failing = [](double) -> absl::StatusOr<const std::vector<ScoredPair>*> {
    return absl::InternalError("no");
  };
  EXPECT_FALSE(ComputeThresholdCurveAt(failing, gold, 0.5, {}).ok());
  EXPECT_EQ(ComputeThresholdCurveAt(split, gold, 0.5, {})->points.size(), 1u);  // No probe.
}

TEST(EvalTest, ReutersGoldPairFileHasDocumentedCounts) {
  std::string path =
      std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578/reuters.neardup_pairs.tsv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  auto all = ReadPairsTsv(path, 0.5);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 784u);  // As the data README states.
  auto high = ReadPairsTsv(path, 0.8);
  ASSERT_TRUE(high.ok());
  EXPECT_EQ(high->size(), 493u);
  // Gold against itself is perfect; against its >= 0.8 part, recall 493/784.
  PairMetrics m = EvaluatePairs(PairsAtLeast(*high, 0), PairsAtLeast(*all, 0));
  EXPECT_DOUBLE_EQ(m.precision, 1.0);
  EXPECT_NEAR(m.recall, 493.0 / 784.0, 1e-12);
}

}  // namespace
}  // namespace storysift
