// storysift eval PRED GOLD: scores predicted copy groups, stories or pairs
// against gold labels or gold pairs.
//
// PRED: `dedup` output (JSON lines with cluster_id), `cluster` output (stories
// with nested articles), any id/label JSON lines, or a pair file (`dedup
// --pairs`). GOLD: a label file (JSON lines) or a pair file. Label gold gives
// cluster metrics (when PRED has labels) and pair metrics; pair gold gives
// pair metrics.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commands.h"
#include "eval_input.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "metrics_format.h"
#include "storysift/eval.h"
#include "io/json_writer.h"
#include "io/output_file.h"
#include "storysift/status_macros.h"

namespace storysift::cli {
namespace {

struct EvalFlags {
  std::string pred;
  std::string gold;
  std::string gold_field;
  std::string pred_field;
  std::string by_field;
  double min_gold = 0;
  double min_score = 0;
  bool json = false;
  std::string output = "-";
};

// Recall of gold clusters broken down by a gold field (e.g. gen_corpus's
// copy_kind): an item with at least one gold cluster mate is found when its
// predicted cluster holds at least one of them.
struct GroupRecall {
  int64_t items = 0;      // Items with this value.
  int64_t with_mates = 0;  // ... that have a gold cluster mate.
  int64_t found = 0;       // ... that share a predicted cluster with one.
};

std::map<std::string, GroupRecall> RecallBy(const Labeling& pred, const Labeling& gold,
                                            const Labeling& by) {
  // Gold cluster -> members; predicted label looked up per member.
  absl::flat_hash_map<std::string, std::vector<const std::string*>> members;
  for (const auto& [id, label] : gold) members[label].push_back(&id);
  std::map<std::string, GroupRecall> out;
  for (const auto& [id, value] : by) {
    auto g = gold.find(id);
    if (g == gold.end()) continue;
    GroupRecall& r = out[value];
    ++r.items;
    const std::vector<const std::string*>& mates = members[g->second];
    if (mates.size() < 2) continue;
    ++r.with_mates;
    auto p = pred.find(id);
    if (p == pred.end()) continue;
    for (const std::string* m : mates) {
      if (*m == id) continue;
      auto pm = pred.find(*m);
      if (pm != pred.end() && pm->second == p->second) {
        ++r.found;
        break;
      }
    }
  }
  return out;
}

double Ratio(int64_t num, int64_t den) { return den == 0 ? 1.0 : double(num) / den; }

absl::Status RunEval(const EvalFlags& flags) {
  // Before anything is read: `-o GOLD` would replace the gold with a line of
  // metrics.
  STORYSIFT_RETURN_IF_ERROR(AsUsageError(CheckOutputPaths(
      {{"-o", flags.output}}, {{"PRED", flags.pred}, {"GOLD", flags.gold}})));
  STORYSIFT_ASSIGN_OR_RETURN(EvalFile pred, ReadEvalFile(flags.pred, flags.pred_field,
                                                         flags.min_score));
  STORYSIFT_ASSIGN_OR_RETURN(EvalFile gold, ReadEvalFile(flags.gold, flags.gold_field,
                                                         flags.min_gold));
  // A label file's pairs carry no score to keep or drop: the flag would be
  // ignored without a word.
  if (pred.labels && flags.min_score > 0) {
    return AsUsageError(absl::InvalidArgumentError(
        absl::StrCat("--min-score applies to a pairs TSV; ", flags.pred, " holds labels")));
  }
  if (gold.labels && flags.min_gold > 0) {
    return AsUsageError(absl::InvalidArgumentError(
        absl::StrCat("--min-gold applies to a pairs TSV; ", flags.gold, " holds labels")));
  }
  STORYSIFT_RETURN_IF_ERROR(CheckGoldHoldsSomething(gold, flags.gold, flags.min_gold));
  if (!flags.by_field.empty() && (!gold.labels || !pred.labels)) {
    return absl::InvalidArgumentError("--by needs label files for both PRED and GOLD");
  }
  std::optional<ClusterMetrics> clusters;
  if (pred.labels && gold.labels) clusters = EvaluateClustering(*pred.labels, *gold.labels);
  const std::vector<IdPair> pred_pairs =
      pred.labels ? PairsFromLabeling(*pred.labels) : PairsAtLeast(pred.pairs, flags.min_score);
  const std::vector<IdPair> gold_pairs =
      gold.labels ? PairsFromLabeling(*gold.labels) : PairsAtLeast(gold.pairs, flags.min_gold);
  const PairMetrics pairs = EvaluatePairs(pred_pairs, gold_pairs);
  std::map<std::string, GroupRecall> by;
  if (!flags.by_field.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(EvalFile by_file,
                               ReadEvalFile(flags.gold, flags.by_field, 0));
    by = RecallBy(*pred.labels, *gold.labels, *by_file.labels);
  }

  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(flags.output));
  if (flags.json) {
    JsonObject o;
    o.Raw("pairs", PairMetricsJson(pairs));
    if (clusters) o.Raw("clusters", ClusterMetricsJson(*clusters));
    if (!by.empty()) {
      JsonObject b;
      for (const auto& [value, r] : by) {
        b.Raw(value, JsonObject()
                         .Int("items", r.items)
                         .Int("with_mates", r.with_mates)
                         .Int("found", r.found)
                         .Num("recall", Ratio(r.found, r.with_mates))
                         .Finish());
      }
      o.Raw(absl::StrCat("by_", flags.by_field), b.Finish());
    }
    out->WriteLine(o.Finish());
    return out->Commit();
  }
  out->WriteLine(PairMetricsText(pairs));
  if (clusters) {
    const ClusterMetrics& m = *clusters;
    out->WriteLine(absl::StrFormat(
        "items: %d (%d only in gold, %d only predicted); clusters: %d gold, %d predicted",
        m.num_items, m.num_gold_only, m.num_predicted_only, m.num_gold_clusters,
        m.num_predicted_clusters));
    out->WriteLine(absl::StrFormat("adjusted Rand index: %.4f", m.adjusted_rand_index));
    out->WriteLine(absl::StrFormat("NMI: %.4f  AMI: %.4f", m.normalized_mutual_info,
                                   m.adjusted_mutual_info));
    out->WriteLine("B-cubed: " + PrfText(m.bcubed_precision, m.bcubed_recall, m.bcubed_f1));
  }
  if (!by.empty()) {
    out->WriteLine(absl::StrFormat("recall by %s:", flags.by_field));
    for (const auto& [value, r] : by) {
      out->WriteLine(absl::StrFormat("  %-20s %.4f  (%d of %d with a gold mate; %d items)",
                                     value, Ratio(r.found, r.with_mates), r.found,
                                     r.with_mates, r.items));
    }
  }
  return out->Commit();
}

}  // namespace

void RegisterEvalCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<EvalFlags>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Score predictions (dedup/cluster output, labels or pairs) against gold");
  cmd->add_option("PRED", flags->pred,
                  "Predictions: dedup or cluster output, id/label JSON lines, or a pair TSV")
      ->required();
  cmd->add_option("GOLD", flags->gold, "Gold: label JSON lines or a pair TSV")->required();
  cmd->add_option("--gold-field", flags->gold_field,
                  "Gold label field (default: cluster_id, story_id, copy_group, label, "
                  "cluster: the first present)");
  cmd->add_option("--pred-field", flags->pred_field, "Predicted label field (same default)");
  cmd->add_option("--min-gold", flags->min_gold,
                  "Keep gold pairs with score (Jaccard) >= this")
      ->check(NumberIn(0, 1));
  cmd->add_option("--min-score", flags->min_score,
                  "Keep predicted pairs with similarity >= this")
      ->check(NumberIn(0, 1));
  cmd->add_option("--by", flags->by_field,
                  "Break cluster recall down by this gold field (e.g. copy_kind)");
  cmd->add_flag("--json", flags->json, "Print one JSON object");
  cmd->add_option("-o,--output", flags->output, "Output file (- for stdout)")
      ->capture_default_str();
  cmd->callback([flags, exit_code] {
    const absl::Status status = RunEval(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
