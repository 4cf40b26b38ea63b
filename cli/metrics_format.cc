#include "metrics_format.h"

#include <cmath>

#include "absl/strings/str_format.h"
#include "io/json_writer.h"

namespace storysift::cli {
namespace {

// Appends <prefix>precision, <prefix>recall and <prefix>f1 to `o`.
JsonObject& AddPrf(JsonObject& o, const std::string& prefix, double precision, double recall,
                   double f1) {
  return o.Num(prefix + "precision", precision)
      .Num(prefix + "recall", recall)
      .Num(prefix + "f1", f1);
}

}  // namespace

std::string PrfText(double precision, double recall, double f1) {
  return absl::StrFormat("precision %.4f  recall %.4f  F1 %.4f", precision, recall, f1);
}

std::string PairMetricsText(const PairMetrics& m) {
  return absl::StrFormat("pairs: %s  (%d predicted, %d gold, %d true, %d false)",
                         PrfText(m.precision, m.recall, m.f1), m.num_predicted, m.num_gold,
                         m.num_true_positive, m.num_predicted - m.num_true_positive);
}

std::string ThresholdPointText(const ThresholdPoint& p, bool simhash) {
  std::string t = ThresholdText(p.threshold);
  if (simhash) {
    t = absl::StrFormat("%s (max-hamming %d)", t,
                        static_cast<int>(std::lround((1 - p.threshold) * 64)));
  }
  return absl::StrFormat("%s  %s  (%d predicted)", t, PrfText(p.precision, p.recall, p.f1),
                         p.num_predicted);
}

std::string PairMetricsJson(const PairMetrics& m) {
  JsonObject o;
  o.Int("predicted", m.num_predicted)
      .Int("gold", m.num_gold)
      .Int("true_positive", m.num_true_positive)
      .Int("false_positive", m.num_predicted - m.num_true_positive);
  return AddPrf(o, "", m.precision, m.recall, m.f1).Finish();
}

std::string ClusterMetricsJson(const ClusterMetrics& m) {
  JsonObject o;
  o.Int("items", m.num_items)
      .Int("gold_clusters", m.num_gold_clusters)
      .Int("predicted_clusters", m.num_predicted_clusters)
      .Int("gold_only", m.num_gold_only)
      .Int("predicted_only", m.num_predicted_only);
  AddPrf(o, "pair_", m.pair_precision, m.pair_recall, m.pair_f1)
      .Num("adjusted_rand_index", m.adjusted_rand_index)
      .Num("normalized_mutual_info", m.normalized_mutual_info)
      .Num("adjusted_mutual_info", m.adjusted_mutual_info);
  return AddPrf(o, "bcubed_", m.bcubed_precision, m.bcubed_recall, m.bcubed_f1).Finish();
}

std::string ThresholdPointJson(const ThresholdPoint& p) {
  JsonObject o;
  // The decimal `dedup --threshold` takes back, digits and all.
  o.Raw("threshold", ThresholdText(p.threshold))
      .Int("predicted", p.num_predicted)
      .Int("true_positive", p.num_true_positive);
  return AddPrf(o, "", p.precision, p.recall, p.f1).Finish();
}

}  // namespace storysift::cli
