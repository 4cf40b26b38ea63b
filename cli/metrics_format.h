// Formatting of the metrics `eval` and `tune` print (precision, recall, F1
// and the counts behind them), as text and as JSON, so both commands spell
// them the same way. Thread-safe (pure functions).
#ifndef STORYSIFT_CLI_METRICS_FORMAT_H_
#define STORYSIFT_CLI_METRICS_FORMAT_H_

#include <string>

#include "storysift/eval.h"

namespace storysift::cli {

// "precision 0.9000  recall 0.8000  F1 0.8471".
std::string PrfText(double precision, double recall, double f1);

// eval's pair line: "pairs: precision ...  (P predicted, G gold, T true,
// F false)".
std::string PairMetricsText(const PairMetrics& m);

// A curve point as tune's summary lines print it: threshold (with the
// equivalent max-hamming when `simhash`), PrfText and the predicted count.
std::string ThresholdPointText(const ThresholdPoint& p, bool simhash);

// One JSON object each (numbers with 4 decimals at most).
std::string PairMetricsJson(const PairMetrics& m);
std::string ClusterMetricsJson(const ClusterMetrics& m);
std::string ThresholdPointJson(const ThresholdPoint& p);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_METRICS_FORMAT_H_
