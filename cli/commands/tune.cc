// storysift tune INPUT... --gold GOLD: sweeps the near-duplicate threshold
// against gold pairs or labels and recommends one.
//
// Scored pairs come from FindScoredPairs (dedup's rules at a low floor, each
// pair scored with the highest threshold that still verifies it; for each
// threshold, the candidates of the LSH bands dedup would use at it), or from
// a `dedup --pairs` file (--scored). Each printed threshold keeps exactly its
// row's pairs when given back to `dedup --threshold`. The curve's recall
// counts every gold pair, also those no candidate covers.
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commands.h"
#include "dedup_flags.h"
#include "eval_input.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "metrics_format.h"
#include "output_checks.h"
#include "storysift/copy_grouper.h"
#include "pipeline/corpus.h"
#include "storysift/eval.h"
#include "io/json_writer.h"
#include "io/output_file.h"
#include "storysift/status_macros.h"
#include "storysift/verifier.h"

namespace storysift::cli {
namespace {

struct TuneFlags {
  InputFlags input;
  DedupFlags dedup;
  std::string gold;
  std::string gold_field;
  double min_gold = 0;
  std::string scored;
  double floor = 0.5;
  double target_precision = 0;
  bool json = false;
  std::string output = "-";
  // Near-duplicate flags given on the command line, by name.
  std::vector<std::string> dedup_flags_given;
};

// Flags tune would otherwise ignore: with --scored the file's scores are
// swept as they are; --keep and --grouping choose representatives, which
// do not change the verified pairs tune sweeps.
absl::Status CheckIgnoredFlags(const TuneFlags& flags) {
  for (const std::string& name : flags.dedup_flags_given) {
    if (!flags.scored.empty()) {
      return AsUsageError(absl::InvalidArgumentError(absl::StrFormat(
          "%s: --scored sweeps the file's scores; near-duplicate flags apply only when tune "
          "runs the pipeline on INPUT...",
          name)));
    }
    // SimHash's threshold is the distance tune sweeps, down to --floor.
    if (name == "--max-hamming") {
      return AsUsageError(absl::InvalidArgumentError(
          "--max-hamming is the threshold tune sweeps; --floor sets the lowest bit agreement "
          "it scores"));
    }
    if (name == "--keep" || name == "--grouping") {
      return AsUsageError(absl::InvalidArgumentError(absl::StrFormat(
          "%s chooses a group's representative; tune sweeps the verified pairs, which it "
          "does not change",
          name)));
    }
  }
  return absl::OkStatus();
}

// The pipeline's scored candidates by the LSH bands that find them: dedup
// at threshold t finds its candidates with the bands chosen for t (with
// MinHash, unless containment or --bands fixes them, they differ by t), so
// each threshold counts the set its own bands find.
class PipelineCandidates {
 public:
  static absl::StatusOr<std::unique_ptr<PipelineCandidates>> Load(const TuneFlags& flags) {
    CorpusOptions corpus_options;
    STORYSIFT_ASSIGN_OR_RETURN(Verifier verifier,
                               MakeDedupOptions(flags.dedup, &corpus_options));
    // The sweep's bands depend on the threshold: keep full signatures for them.
    corpus_options.verifier.reset();
    STORYSIFT_ASSIGN_OR_RETURN(OpenedInput input, OpenInput(flags.input));
    const RunContext context = MakeRunContext(flags.input);
    STORYSIFT_ASSIGN_OR_RETURN(
        Corpus corpus, LoadCorpus(input.stream, input.normalizer, corpus_options, context));
    STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, corpus.report));
    return std::unique_ptr<PipelineCandidates>(new PipelineCandidates(
        std::move(corpus), std::move(verifier), flags.floor, context));
  }

  // The pairs dedup at threshold `t` finds as candidates, each scored
  // (FindScoredPairs); one object per band setting.
  absl::StatusOr<const std::vector<ScoredPair>*> At(double t) {
    LshParams bands;
    if (verifier_.kind() == SketchKind::kMinHash) {
      CopyGrouperOptions at = verifier_.options();
      at.jaccard_threshold = t;
      STORYSIFT_ASSIGN_OR_RETURN(const Verifier verifier_at, verifier_.WithOptions(at));
      bands = verifier_at.bands();
    }
    auto [it, inserted] =
        by_bands_.try_emplace({bands.num_bands, bands.rows_per_band});
    if (!inserted) return &it->second;
    absl::StatusOr<std::vector<VerifiedPair>> pairs =
        verifier_.kind() == SketchKind::kMinHash
            ? FindScoredPairsWithBands(corpus_.sketch_table(), verifier_, floor_, bands,
                                       context_)
            : FindScoredPairs(corpus_.sketch_table(), verifier_, floor_, context_);
    if (!pairs.ok()) {
      by_bands_.erase(it);
      return pairs.status();
    }
    std::vector<ScoredPair>& out = it->second;
    out.reserve(pairs->size());
    for (const VerifiedPair& p : *pairs) {
      out.push_back({corpus_.ids[p.a], corpus_.ids[p.b], p.similarity});
    }
    return &out;
  }

  // The lowest similarity the sweep scores: the floor, or where SimHash's
  // index stops (LowestScoredSimilarity).
  double lowest() const { return LowestScoredSimilarity(verifier_, floor_); }

 private:
  PipelineCandidates(Corpus corpus, Verifier verifier, double floor, RunContext context)
      : corpus_(std::move(corpus)),
        verifier_(std::move(verifier)),
        floor_(floor),
        context_(std::move(context)) {}

  Corpus corpus_;
  Verifier verifier_;
  double floor_;
  RunContext context_;
  // By (bands, rows): std::map keeps each set where it is.
  std::map<std::pair<int, int>, std::vector<ScoredPair>> by_bands_;
};

// Where a SimHash sweep stopped short of --floor, or "" when it reached it.
std::string FloorNote(double floor, double lowest) {
  if (lowest <= floor) return "";
  return absl::StrFormat(
      "the SimHash sweep stops at %s (max-hamming %d, the widest distance the SimHash index "
      "serves); --floor %g would need %d differing bits",
      ThresholdText(lowest), kMaxHammingLimit, floor, MaxHammingForAgreement(floor));
}

// The curve point that predicting at `t` gives: the lowest listed threshold
// that is still >= t (points are descending).
std::optional<ThresholdPoint> PointAt(const ThresholdCurve& curve, double t) {
  std::optional<ThresholdPoint> found;
  for (const ThresholdPoint& p : curve.points) {
    if (p.threshold + 1e-12 < t) break;
    found = p;
  }
  return found;
}

absl::Status RunTune(const TuneFlags& flags) {
  if (flags.input.inputs.empty() == flags.scored.empty()) {
    return AsUsageError(absl::InvalidArgumentError("give either INPUT... or --scored PAIRS.tsv"));
  }
  STORYSIFT_RETURN_IF_ERROR(CheckIgnoredFlags(flags));
  STORYSIFT_RETURN_IF_ERROR(RefuseStem(flags.input.stem, "tune compares words as written"));
  STORYSIFT_RETURN_IF_ERROR(CheckOutputAndReport(flags.input, flags.output, {},
                                                 {{"--gold", flags.gold}, {"--scored", flags.scored}}));
  if (!(flags.floor > 0 && flags.floor < 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--floor %g is outside (0, 1)", flags.floor));
  }
  STORYSIFT_ASSIGN_OR_RETURN(EvalFile gold,
                             ReadEvalFile(flags.gold, flags.gold_field, flags.min_gold));
  // A label file's pairs carry no score: --min-gold would be ignored without
  // a word (eval refuses it too).
  if (gold.labels && flags.min_gold > 0) {
    return AsUsageError(absl::InvalidArgumentError(
        absl::StrCat("--min-gold applies to a pairs TSV; ", flags.gold, " holds labels")));
  }
  STORYSIFT_RETURN_IF_ERROR(CheckGoldHoldsSomething(gold, flags.gold, flags.min_gold));
  const std::vector<IdPair> gold_pairs =
      gold.labels ? PairsFromLabeling(*gold.labels) : PairsAtLeast(gold.pairs, flags.min_gold);
  // Each point's threshold is a decimal that `dedup --threshold` reads back
  // to keep exactly the pairs the point counts (ComputeThresholdCurveAt).
  std::vector<ScoredPair> scored;
  std::unique_ptr<PipelineCandidates> pipeline;
  CandidatesAt candidates_at;
  double lowest = flags.floor;
  if (!flags.scored.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(scored, ReadPairsTsv(flags.scored));
    candidates_at = [&scored](double) -> absl::StatusOr<const std::vector<ScoredPair>*> {
      return &scored;
    };
    lowest = std::numeric_limits<double>::min();  // Any threshold dedup accepts.
  } else {
    STORYSIFT_ASSIGN_OR_RETURN(pipeline, PipelineCandidates::Load(flags));
    candidates_at = [&pipeline](double t) { return pipeline->At(t); };
    lowest = pipeline->lowest();
  }
  const std::string floor_note = pipeline ? FloorNote(flags.floor, lowest) : "";
  // Said even with -q: the rows stop short of the floor asked for.
  if (!floor_note.empty()) std::fprintf(stderr, "storysift: note: %s\n", floor_note.c_str());
  STORYSIFT_ASSIGN_OR_RETURN(const std::vector<ScoredPair>* at_lowest, candidates_at(lowest));
  const size_t num_candidates = at_lowest->size();
  // A fixed grid for Jaccard's table; its thresholds' candidates are met
  // even where no lower threshold's candidates lead to them.
  const std::vector<double> grid = {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0};
  STORYSIFT_ASSIGN_OR_RETURN(const ThresholdCurve curve,
                             ComputeThresholdCurveAt(candidates_at, gold_pairs, lowest, grid));
  const std::optional<ThresholdPoint> best = BestF1Threshold(curve);
  std::optional<ThresholdPoint> target;
  if (flags.target_precision > 0) {
    target = LowestThresholdForPrecision(curve, flags.target_precision);
  }
  const bool simhash = flags.scored.empty() && flags.dedup.method == "simhash";
  // The grid for Jaccard; every distinct score for SimHash (at most 17).
  std::vector<ThresholdPoint> table;
  if (simhash) {
    table = curve.points;
  } else {
    for (double t : grid) {
      std::optional<ThresholdPoint> p = PointAt(curve, t);
      if (p && (table.empty() || table.back().threshold != p->threshold)) table.push_back(*p);
    }
  }

  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(flags.output));
  if (flags.json) {
    JsonObject o;
    o.Int("candidates", static_cast<int64_t>(num_candidates))
        .Int("gold_pairs", curve.num_gold);
    // The lowest similarity swept (--floor, or where SimHash stops).
    pipeline ? o.Raw("floor", ThresholdText(lowest)) : o.Null("floor");
    std::string rows = "[";
    for (const ThresholdPoint& p : table) {
      if (rows.size() > 1) rows += ",";
      rows += ThresholdPointJson(p);
    }
    o.Raw("curve", rows + "]");
    best ? o.Raw("best_f1", ThresholdPointJson(*best)) : o.Null("best_f1");
    if (flags.target_precision > 0) {
      target ? o.Raw("target", ThresholdPointJson(*target)) : o.Null("target");
    }
    out->WriteLine(o.Finish());
    return out->Commit();
  }
  out->WriteLine(absl::StrFormat("%d scored candidates, %d gold pairs", num_candidates,
                                 curve.num_gold));
  out->WriteLine("threshold  precision  recall  F1      predicted  true");
  for (const ThresholdPoint& p : table) {
    out->WriteLine(absl::StrFormat("%-9s  %-9.4f  %-6.4f  %-6.4f  %-9d  %d",
                                   ThresholdText(p.threshold),
                                   p.precision, p.recall, p.f1, p.num_predicted,
                                   p.num_true_positive));
  }
  if (best) out->WriteLine("best F1: " + ThresholdPointText(*best, simhash));
  if (flags.target_precision > 0) {
    out->WriteLine(target ? absl::StrFormat("lowest threshold with precision >= %g: %s",
                                            flags.target_precision,
                                            ThresholdPointText(*target, simhash))
                          : absl::StrFormat("no threshold reaches precision %g",
                                            flags.target_precision));
  }
  if (!floor_note.empty()) out->WriteLine("note: " + floor_note);
  return out->Commit();
}

}  // namespace

void RegisterTuneCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<TuneFlags>();
  CLI::App* cmd = app.add_subcommand(
      "tune", "Sweep the near-duplicate threshold against gold pairs or labels");
  AddInputFlags(cmd, &flags->input);
  cmd->get_option("inputs")->required(false);
  const size_t before_dedup_flags = cmd->get_options().size();
  AddDedupFlags(cmd, &flags->dedup, /*with_threshold=*/false);
  std::vector<CLI::Option*> dedup_options = cmd->get_options();
  dedup_options.erase(dedup_options.begin(), dedup_options.begin() + before_dedup_flags);
  cmd->add_option("--gold", flags->gold, "Gold pairs (TSV) or labels (JSON lines)")
      ->required();
  cmd->add_option("--gold-field", flags->gold_field, "Gold label field (label files)");
  cmd->add_option("--min-gold", flags->min_gold, "Keep gold pairs with score >= this")
      ->check(NumberIn(0, 1));
  cmd->add_option("--scored", flags->scored,
                  "Tune from a `dedup --pairs` file instead of running the pipeline");
  cmd->add_option("--floor", flags->floor,
                  absl::StrFormat("Lowest similarity scored (the index is built for it; "
                                  "SimHash stops at %s, max-hamming %d)",
                                  ThresholdText(1.0 - kMaxHammingLimit / 64.0), kMaxHammingLimit))
      ->capture_default_str()
      ->check(NumberIn(0, 1, Bound::kOpen, Bound::kOpen));
  cmd->add_option("--target-precision", flags->target_precision,
                  "Also report the lowest threshold reaching this precision")
      ->check(NumberIn(0, 1));
  cmd->add_flag("--json", flags->json, "Print one JSON object");
  cmd->add_option("-o,--output", flags->output, "Output file (- for stdout)")
      ->capture_default_str();
  cmd->callback([flags, exit_code, dedup_options] {
    for (const CLI::Option* option : dedup_options) {
      if (option->count() > 0) flags->dedup_flags_given.push_back(option->get_name());
    }
    const absl::Status status = RunTune(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
