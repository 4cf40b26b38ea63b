// Threshold sweeps whose printed thresholds, given back to a run, keep
// exactly the pairs each row counts (storysift/eval.h).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storysift/eval.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

// Decimal places tried: 4 as tune always printed, up to what a double holds.
constexpr int kMinPlaces = 4;
constexpr int kMaxPlaces = 17;

// `value` with `places` decimals, rounded to nearest (exact, as printf).
std::string Fixed(double value, int places) {
  char buf[64];
  const std::to_chars_result r =
      std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed, places);
  if (r.ec != std::errc()) return absl::StrFormat("%.*f", places, value);
  return std::string(buf, r.ptr);
}

// A threshold flag as the CLI reads it: CLI11 parses a double with strtold.
double ReadAsFlag(const std::string& text) {
  return static_cast<double>(std::strtold(text.c_str(), nullptr));
}

// The decimal one unit of its last place below `text` ("0.6314" ->
// "0.6313"). REQUIRES: text is a fixed decimal > 0 with `places` places.
std::string OneUnitLess(const std::string& text, int places) {
  std::string digits;
  for (const char c : text) {
    if (c != '.') digits.push_back(c);
  }
  const long long units = std::strtoll(digits.c_str(), nullptr, 10) - 1;
  const std::string padded = absl::StrFormat("%0*d", places + 1, units);
  // Joined, not insert()ed: GCC 12 warns of the insert as an overlapping
  // copy (-Wrestrict, a false positive).
  const size_t point = padded.size() - places;
  return absl::StrCat(padded.substr(0, point), ".", padded.substr(point));
}

ThresholdPoint PointAt(double threshold, int64_t predicted, int64_t true_positive,
                       int64_t num_gold) {
  ThresholdPoint p;
  p.threshold = threshold;
  p.num_predicted = predicted;
  p.num_true_positive = true_positive;
  p.precision = predicted == 0 ? 1.0 : double(true_positive) / double(predicted);
  p.recall = num_gold == 0 ? 1.0 : double(true_positive) / double(num_gold);
  p.f1 = p.precision + p.recall > 0 ? 2 * p.precision * p.recall / (p.precision + p.recall)
                                     : 0.0;
  return p;
}

// What predicting at `t` from one candidate set gives: its curve's point
// with the lowest score >= t (points descend), or nothing predicted.
ThresholdPoint CountAt(const ThresholdCurve& curve, double t) {
  const auto end = std::partition_point(curve.points.begin(), curve.points.end(),
                                        [t](const ThresholdPoint& p) { return p.threshold >= t; });
  if (end == curve.points.begin()) return PointAt(t, 0, 0, curve.num_gold);
  ThresholdPoint p = *(end - 1);
  p.threshold = t;
  return p;
}

}  // namespace

double ThresholdBetween(double below, double score) {
  for (int places = kMinPlaces; places <= kMaxPlaces; ++places) {
    std::string text = Fixed(score, places);
    double value = ReadAsFlag(text);
    if (value > score) {  // Rounded up: the decimal just below is the one.
      text = OneUnitLess(text, places);
      value = ReadAsFlag(text);
    }
    if (value > below && value <= score) return value;
  }
  return score;
}

std::string ThresholdText(double threshold) {
  for (int places = kMinPlaces; places <= kMaxPlaces; ++places) {
    std::string text = Fixed(threshold, places);
    if (ReadAsFlag(text) == threshold) return text;
  }
  return Fixed(threshold, 25);
}

absl::StatusOr<ThresholdCurve> ComputeThresholdCurveAt(const CandidatesAt& candidates_at,
                                                       absl::Span<const IdPair> gold,
                                                       double lowest,
                                                       absl::Span<const double> probes) {
  // Each set's own curve, by the set's address.
  absl::flat_hash_map<const std::vector<ScoredPair>*, ThresholdCurve> curves;
  // The sets met so far and their scores; a threshold may lead to a set
  // not met yet, whose scores add points: sweep again until none is new.
  std::vector<double> scores;
  const double below_lowest = std::nextafter(lowest, -std::numeric_limits<double>::infinity());
  absl::flat_hash_map<double, const std::vector<ScoredPair>*> set_at;
  const auto fetch = [&](double t) -> absl::StatusOr<const std::vector<ScoredPair>*> {
    auto it = set_at.find(t);
    if (it != set_at.end()) return it->second;
    STORYSIFT_ASSIGN_OR_RETURN(const std::vector<ScoredPair>* set, candidates_at(t));
    set_at.emplace(t, set);
    if (!curves.contains(set)) {
      ThresholdCurve curve = ComputeThresholdCurve(*set, gold);
      for (const ThresholdPoint& p : curve.points) scores.push_back(p.threshold);
      curves.emplace(set, std::move(curve));
    }
    return set;
  };
  STORYSIFT_RETURN_IF_ERROR(fetch(lowest).status());
  for (const double t : probes) {
    if (t >= lowest) STORYSIFT_RETURN_IF_ERROR(fetch(t).status());
  }
  while (true) {
    std::sort(scores.begin(), scores.end(), std::greater<double>());
    scores.erase(std::unique(scores.begin(), scores.end()), scores.end());
    const std::vector<double> swept = scores;  // fetch() may add to scores.
    const size_t sets_before = curves.size();
    ThresholdCurve out;
    out.num_gold = curves.begin()->second.num_gold;
    for (size_t i = 0; i < swept.size(); ++i) {
      if (swept[i] < lowest) break;
      const double below =
          i + 1 < swept.size() ? std::max(swept[i + 1], below_lowest) : below_lowest;
      const double t = ThresholdBetween(below, swept[i]);
      STORYSIFT_ASSIGN_OR_RETURN(const std::vector<ScoredPair>* set, fetch(t));
      out.points.push_back(CountAt(curves.at(set), t));
    }
    if (curves.size() == sets_before) return out;
  }
}

}  // namespace storysift
