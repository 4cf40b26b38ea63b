// `storysift eval` and `storysift tune` run as the CLI binary on small inputs
// with known answers.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "cli_test_util.h"
#include "corpus_gen.h"
#include "gtest/gtest.h"
#include "simdjson.h"

namespace storysift {
namespace {

using cli_test::CliResult;

// Each test's inputs and the CLI's captured output live in its own TempDir.
class EvalCliTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& content) {
    return dir_.Write(name, content);
  }
  // Runs `storysift ARGS` (space-separated, no quoting needed).
  CliResult RunCli(const std::string& args) {
    const std::vector<std::string> argv = absl::StrSplit(args, ' ', absl::SkipEmpty());
    return cli_test::RunCli(argv, dir_.path());
  }

  const testing_util::TempDir dir_;
};

double JsonNum(const std::string& json, const char* pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(json);
  double v = -1;
  EXPECT_EQ(doc.at_pointer(pointer).get_double().get(v), simdjson::SUCCESS) << pointer;
  return v;
}

// Gold {a, b, c} {d} {e}; predicted {a, b} {c, d} {e}, plus a skipped line.
// Gold pairs ab ac bc, predicted ab cd: 1 true of 2 predicted and 3 gold.
TEST_F(EvalCliTest, DedupOutputAgainstGoldLabelsGivesKnownScores) {
  const std::string pred = Write(
      "pred.jsonl",
      "{\"id\":\"a\",\"cluster_id\":\"a\",\"role\":\"original\"}\n"
      "{\"id\":null,\"role\":\"skipped\",\"reason\":\"invalid_json\",\"origin\":\"x:2\"}\n"
      "{\"id\":\"b\",\"cluster_id\":\"a\",\"role\":\"copy\"}\n"
      "{\"id\":\"c\",\"cluster_id\":\"c\",\"role\":\"original\"}\n"
      "{\"id\":\"d\",\"cluster_id\":\"c\",\"role\":\"copy\"}\n"
      "{\"id\":\"e\",\"cluster_id\":\"e\",\"role\":\"unique\"}\n");
  const std::string gold = Write(
      "gold.jsonl",
      "{\"id\":\"a\",\"copy_group\":\"a\",\"copy_kind\":\"original\"}\n"
      "{\"id\":\"b\",\"copy_group\":\"a\",\"copy_kind\":\"exact\"}\n"
      "{\"id\":\"c\",\"copy_group\":\"a\",\"copy_kind\":\"truncated\"}\n"
      "{\"id\":\"d\",\"copy_group\":\"d\",\"copy_kind\":\"original\"}\n"
      "{\"id\":\"e\",\"copy_group\":\"e\",\"copy_kind\":\"original\"}\n");
  CliResult r = RunCli(absl::StrCat("eval ", pred, " ", gold,
                              " --gold-field copy_group --by copy_kind --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/precision"), 0.5);
  EXPECT_NEAR(JsonNum(r.out, "/pairs/recall"), 1.0 / 3, 1e-4);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/false_positive"), 1);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/clusters/items"), 5);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/by_copy_kind/exact/recall"), 1.0);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/by_copy_kind/truncated/recall"), 0.0);
  // B-cubed precision: a 1, b 1, c 1/2, d 1/2, e 1 -> 0.8.
  EXPECT_NEAR(JsonNum(r.out, "/clusters/bcubed_precision"), 0.8, 1e-4);

  CliResult text = RunCli(absl::StrCat("eval ", pred, " ", gold, " --gold-field copy_group"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("precision 0.5000"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("adjusted Rand index"), std::string::npos) << text.out;
}

TEST_F(EvalCliTest, PairFilesWithMinGoldGivePairMetrics) {
  const std::string pred = Write("pred.tsv", "id_a\tid_b\tsimilarity\na\tb\t0.9\nc\td\t0.7\n");
  const std::string gold =
      Write("gold.tsv", "id_a\tid_b\tjaccard\nb\ta\t0.95\nc\td\t0.55\ne\tf\t0.85\n");
  CliResult r = RunCli(absl::StrCat("eval ", pred, " ", gold, " --min-gold 0.8 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/gold"), 2);         // ab, ef.
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/precision"), 0.5);  // ab of ab, cd.
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/recall"), 0.5);
}

// Label files' pairs carry no score: a score bar on one is a usage error,
// not a flag ignored without a word.
TEST_F(EvalCliTest, ScoreBarsOnLabelFilesAreUsageErrors) {
  const std::string labels = Write("l.jsonl", "{\"id\":\"a\",\"cluster_id\":\"a\"}\n");
  const std::string pairs = Write("p.tsv", "id_a\tid_b\tsimilarity\na\tb\t0.9\n");
  CliResult r = RunCli(absl::StrCat("eval ", labels, " ", pairs, " --min-score 0.8"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--min-score applies to a pairs TSV"), std::string::npos) << r.err;
  r = RunCli(absl::StrCat("eval ", pairs, " ", labels, " --min-gold 0.8"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--min-gold applies to a pairs TSV"), std::string::npos) << r.err;
  r = RunCli(absl::StrCat("eval ", pairs, " ", labels, " --min-score 0.8"));
  EXPECT_EQ(r.exit_code, 0) << r.err;  // On the pairs file it applies.
}

// An empty gold file had scored any prediction recall 1 (exit 0).
TEST_F(EvalCliTest, GoldHoldingNothingIsAnError) {
  const std::string pred = Write("p.tsv", "a\tb\t0.9\n");
  for (const std::string& gold_text : {std::string(), std::string("# no pairs yet\n\n")}) {
    const std::string gold = Write("empty.tsv", gold_text);
    CliResult r = RunCli(absl::StrCat("eval ", pred, " ", gold));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("holds no pair: nothing to score against"), std::string::npos) << r.err;
    CliResult t = RunCli(absl::StrCat("tune --scored ", pred, " --gold ", gold));
    EXPECT_EQ(t.exit_code, 1) << t.out;
  }
  const std::string weak = Write("weak.tsv", "a\tb\t0.3\n");
  CliResult r = RunCli(absl::StrCat("eval ", pred, " ", weak, " --min-gold 0.5"));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("with a score >= 0.5 (--min-gold)"), std::string::npos) << r.err;
  EXPECT_EQ(RunCli(absl::StrCat("eval ", pred, " ", weak)).exit_code, 0);
}

// `eval -o GOLD` replaced the gold with a line of metrics (exit 0): an output
// that is also an input is refused before anything is read, as elsewhere.
TEST_F(EvalCliTest, OutputNamingPredOrGoldIsRefusedAndLeavesItAsItWas) {
  const std::string pred_text = "id_a\tid_b\tsimilarity\na\tb\t0.9\n";
  const std::string gold_text = "a\tb\n";
  const std::string pred = Write("pred.tsv", pred_text);
  const std::string gold = Write("gold.tsv", gold_text);
  for (const std::string& target : {gold, pred}) {
    CliResult r = RunCli(absl::StrCat("eval ", pred, " ", gold, " -o ", target));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(absl::StrCat("-o ", target, " is also ")), std::string::npos) << r.err;
    EXPECT_EQ(testing_util::ReadFileOrEmpty(pred), pred_text);
    EXPECT_EQ(testing_util::ReadFileOrEmpty(gold), gold_text);
  }
  const std::string metrics = dir_.path() + "/metrics.txt";
  CliResult ok = RunCli(absl::StrCat("eval ", pred, " ", gold, " -o ", metrics));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(testing_util::ReadFileOrEmpty(metrics).find("precision 1.0000"), std::string::npos);
}

TEST_F(EvalCliTest, BadLineIsReportedWithFileAndLine) {
  const std::string pred = Write("bad.jsonl", "{\"id\":\"a\",\"cluster_id\":\"a\"}\n{\"id\":\n");
  const std::string gold = Write("g.jsonl", "{\"id\":\"a\",\"label\":\"x\"}\n");
  CliResult r = RunCli(absl::StrCat("eval ", pred, " ", gold));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(pred + ":2:"), std::string::npos) << r.err;
}

// A paragraph of distinct words for `topic`: the same topic gives a copy.
std::string Body(const std::string& topic) {
  std::string s;
  for (int i = 0; i < 60; ++i) s += topic + std::to_string(i * 7919 % 1000) + " ";
  return s;
}

// Ids holding tabs, line breaks, spaces, backslashes, a leading '#' and
// non-ASCII survive `dedup --pairs` (escaped: \t \n \r \\ \#) and `eval`,
// which reads them back (the '#' pair was lost as a comment line):
// the pairs match the verdict lines' ids and a gold file escaped the same way.
TEST_F(EvalCliTest, PairFilesRoundTripIdsWithTabsNewlinesSpacesAndBackslashes) {
  // JSON spellings, and the TSV spellings of the same ids.
  const std::vector<std::pair<std::string, std::string>> ids = {
      {"tab\\tid", "tab\\tid"},          {"line\\nid", "line\\nid"},
      {"two words", "two words"},          {"back\\\\slash\\\\n", "back\\\\slash\\\\n"},
      {"caf\xC3\xA9 \xE6\x97\xA5", "caf\xC3\xA9 \xE6\x97\xA5"}, {"cr\\r\\nid", "cr\\r\\nid"},
      // A leading '#' (after spaces too) would make the line a comment.
      {"#1", "\\#1"},                    {" #2 #", " \\#2 #"}};
  std::string jsonl;
  for (size_t i = 0; i < ids.size(); ++i) {
    jsonl += "{\"id\":\"" + ids[i].first + "\",\"text\":\"" + Body(std::string(1, 'a' + i / 2)) +
             "\"}\n";
  }
  const std::string docs = Write("docs.jsonl", jsonl);
  const std::string pairs = dir_.path() + "/pairs.tsv";
  const std::string verdicts = dir_.path() + "/verdicts.jsonl";
  CliResult r = RunCli(absl::StrCat("dedup ", docs, " --pairs -q -o ", pairs));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string want = "id_a\tid_b\tsimilarity\n";
  for (size_t i = 0; i < ids.size(); i += 2) {
    want += ids[i].second + "\t" + ids[i + 1].second + "\t1\n";
  }
  EXPECT_EQ(testing_util::ReadFileOrEmpty(pairs), want);
  r = RunCli(absl::StrCat("dedup ", docs, " -q -o ", verdicts));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunCli(absl::StrCat("eval ", pairs, " ", verdicts, " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/gold"), 4);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/predicted"), 4);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/precision"), 1);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/recall"), 1);
  r = RunCli(absl::StrCat("tune --scored ", pairs, " --gold ", verdicts, " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/candidates"), 4);
  // A gold file written by hand, the pairs reversed and CRLF-ended.
  std::string gold_tsv;
  for (size_t i = 0; i < ids.size(); i += 2) {
    gold_tsv += ids[i + 1].second + "\t" + ids[i].second + "\r\n";
  }
  const std::string gold = Write("gold.tsv", gold_tsv);
  r = RunCli(absl::StrCat("eval ", pairs, " ", gold, " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/precision"), 1);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/pairs/recall"), 1);
}

// Scores ab .95, cd .9, ef .7, gh .6 with gold ab cd gh: F1 is best at 0.6
// (P 3/4, R 1); precision 1 holds down to 0.9.
TEST_F(EvalCliTest, TuneFromScoredPairsFindsBestF1AndPrecisionTarget) {
  const std::string scored = Write(
      "scored.tsv", "id_a\tid_b\tsimilarity\na\tb\t0.95\nc\td\t0.9\ne\tf\t0.7\ng\th\t0.6\n");
  const std::string gold = Write("tgold.tsv", "a b\nc d\ng h\n");
  CliResult r = RunCli(absl::StrCat("tune --scored ", scored, " --gold ", gold,
                              " --target-precision 1 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/best_f1/threshold"), 0.6);
  EXPECT_NEAR(JsonNum(r.out, "/best_f1/f1"), 6.0 / 7, 1e-4);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/target/threshold"), 0.9);
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/gold_pairs"), 3);

  // INPUT and --scored together is a usage error.
  CliResult both = RunCli(absl::StrCat("tune ", scored, " --scored ", scored, " --gold ", gold));
  EXPECT_EQ(both.exit_code, 2) << both.err;
}

// A generated corpus (ECB+ bases, 300 docs, a third exact or header/footer
// copies): the pipeline's scored pairs reach every copy pair, so the best
// threshold has recall 1.
TEST_F(EvalCliTest, TuneOnGeneratedCorpusFindsAllPlantedCopies) {
  auto bases = corpusgen::ReadBaseArticles(std::string(STORYSIFT_DATA_DIR) +
                                           "/ecbplus/ecbplus_topics_1-25.jsonl");
  ASSERT_TRUE(bases.ok()) << bases.status();
  corpusgen::CorpusOptions options;
  options.num_docs = 300;
  options.copy_share = 0.3;
  options.kinds = {corpusgen::CopyKind::kExact, corpusgen::CopyKind::kHeaderFooter};
  auto gen = corpusgen::CorpusGenerator::Create(*std::move(bases), options);
  ASSERT_TRUE(gen.ok()) << gen.status();
  const std::string corpus = dir_ / "gen.jsonl";
  ASSERT_TRUE(gen->WriteCorpus(corpus).ok());
  CliResult r = RunCli(absl::StrCat("tune ", corpus, " -q --gold ", corpusgen::PairsPath(corpus),
                              " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(JsonNum(r.out, "/best_f1/recall"), 1.0);
  EXPECT_GE(JsonNum(r.out, "/best_f1/precision"), 0.99);
  CliResult eval = RunCli(absl::StrCat("dedup ", corpus, " -q -o ", corpus, ".d"));
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  CliResult e = RunCli(absl::StrCat("eval ", corpus, ".d ", corpusgen::GoldPath(corpus),
                              " --gold-field copy_group --json"));
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_DOUBLE_EQ(JsonNum(e.out, "/clusters/adjusted_rand_index"), 1.0);
}

// The pairs tune predicts at `threshold`: its row with the lowest listed
// score at or above it (-1 when it lists none).
double TunePredictedAt(const std::string& json, double threshold) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(json);
  double lowest = 2;
  double predicted = -1;
  for (simdjson::dom::element row : doc["curve"].get_array()) {
    const double t = double(row["threshold"]);
    if (t >= threshold && t < lowest) {
      lowest = t;
      predicted = double(int64_t(row["predicted"]));
    }
  }
  return predicted;
}

// Truncated copies (Jaccard to the full text 0.4-0.7) are verified by
// containment at any threshold: tune's row at a threshold predicts the pairs
// `dedup --threshold T --pairs` writes, not only those with Jaccard >= T.
TEST_F(EvalCliTest, TunePredictsThePairsDedupVerifiesContainmentIncluded) {
  auto bases = corpusgen::ReadBaseArticles(std::string(STORYSIFT_DATA_DIR) +
                                           "/ecbplus/ecbplus_topics_1-25.jsonl");
  ASSERT_TRUE(bases.ok()) << bases.status();
  corpusgen::CorpusOptions options;
  options.num_docs = 300;
  options.copy_share = 0.4;
  options.kinds = {corpusgen::CopyKind::kTruncated, corpusgen::CopyKind::kWordEdits};
  auto gen = corpusgen::CorpusGenerator::Create(*std::move(bases), options);
  ASSERT_TRUE(gen.ok()) << gen.status();
  const std::string corpus = dir_ / "trunc.jsonl";
  ASSERT_TRUE(gen->WriteCorpus(corpus).ok());
  CliResult tune = RunCli(absl::StrCat("tune ", corpus, " -q --gold ",
                                       corpusgen::PairsPath(corpus), " --json"));
  ASSERT_EQ(tune.exit_code, 0) << tune.err;
  int contained_below_threshold = 0;
  for (double t : {0.5, 0.9}) {
    CliResult dedup = RunCli(absl::StrCat("dedup ", corpus, " -q --pairs --threshold ", t));
    ASSERT_EQ(dedup.exit_code, 0) << dedup.err;
    std::vector<std::string> lines = absl::StrSplit(dedup.out, '\n', absl::SkipEmpty());
    ASSERT_FALSE(lines.empty());
    lines.erase(lines.begin());  // Header.
    for (const std::string& line : lines) {
      const std::vector<std::string> f = absl::StrSplit(line, '\t');
      if (std::stod(f.back()) < t) ++contained_below_threshold;
    }
    EXPECT_EQ(TunePredictedAt(tune.out, t), static_cast<double>(lines.size())) << "at " << t;
  }
  EXPECT_GT(contained_below_threshold, 10);  // The case this test is about.
}

// A label gold's pairs carry no score: tune ignored --min-gold without a
// word where eval refuses it.
TEST_F(EvalCliTest, TuneRefusesMinGoldWithLabelGold) {
  const std::string scored = Write("s.tsv", "id_a\tid_b\tsimilarity\na\tb\t0.9\n");
  const std::string labels =
      Write("g.jsonl", "{\"id\":\"a\",\"label\":\"x\"}\n{\"id\":\"b\",\"label\":\"x\"}\n");
  CliResult r = RunCli(absl::StrCat("tune --scored ", scored, " --gold ", labels, " --min-gold 0.8"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("--min-gold applies to a pairs TSV"), std::string::npos) << r.err;
  EXPECT_EQ(RunCli(absl::StrCat("tune --scored ", scored, " --gold ", labels)).exit_code, 0);
}

// tune's text rows and best F1 as (printed threshold, predicted pairs).
std::vector<std::pair<std::string, int64_t>> TuneRows(const std::string& text) {
  std::vector<std::pair<std::string, int64_t>> rows;
  const std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  for (size_t i = 2; i < lines.size(); ++i) {  // After the counts and the header.
    const std::vector<std::string> f = absl::StrSplit(lines[i], ' ', absl::SkipEmpty());
    if (absl::StartsWith(lines[i], "best F1: ")) {
      // "best F1: T  precision P  recall R  F1 F  (N predicted)".
      rows.emplace_back(f[2], std::stoll(f[f.size() - 2].substr(1)));
    } else if (f.size() == 6) {
      rows.emplace_back(f[0], std::stoll(f[4]));
    }
  }
  return rows;
}

// Every row of tune (and its best F1) counts what `dedup --threshold T
// --pairs` writes at the printed T. Printed thresholds were the scores
// rounded to nearest (0.6314 for 0.63137..., which drops that pair), and
// with containment off the rows counted the floor's LSH candidates, where
// dedup at T finds its own bands' (fewer).
class TuneAgreementTest : public EvalCliTest {
 protected:
  void ExpectRowsMatchDedup(const std::string& corpus, const std::string& gold,
                            const std::string& flags) {
    CliResult tune = RunCli(absl::StrCat("tune ", corpus, " -q --gold ", gold, " ", flags));
    const std::string dedup_flags = absl::StrReplaceAll(flags, {{"--floor 0.8", ""}});
    ASSERT_EQ(tune.exit_code, 0) << tune.err;
    const auto rows = TuneRows(tune.out);
    ASSERT_GE(rows.size(), 3u) << tune.out;
    for (const auto& [threshold, predicted] : rows) {
      CliResult dedup = RunCli(absl::StrCat("dedup ", corpus, " -q --pairs --threshold ",
                                            threshold, " ", dedup_flags));
      ASSERT_EQ(dedup.exit_code, 0) << dedup.err;
      const std::vector<std::string> lines = absl::StrSplit(dedup.out, '\n', absl::SkipEmpty());
      EXPECT_EQ(static_cast<int64_t>(lines.size()) - 1, predicted)
          << "--threshold " << threshold << " " << flags << "\n"
          << tune.out;
    }
    // --json gives the same thresholds, as numbers.
    CliResult json =
        RunCli(absl::StrCat("tune ", corpus, " -q --gold ", gold, " --json ", flags));
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_EQ(JsonNum(json.out, "/best_f1/threshold"), std::stod(rows.back().first));
  }

  // 40 pairs of 300 random words, the copy's share of replaced words 2-20%:
  // estimated Jaccards spread over (0.5, 1), few of them 4-place decimals.
  // Returns the corpus's path and its gold pairs' (every other pair).
  std::pair<std::string, std::string> WriteEditedPairs() {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> word(0, 4999);
    std::string docs;
    std::string gold = "id_a\tid_b\n";
    for (int k = 0; k < 40; ++k) {
      std::vector<int> base(300);
      for (int& w : base) w = word(rng);
      std::vector<int> copy = base;
      const int edits = static_cast<int>(300 * (0.02 + 0.18 * k / 40));
      for (int e = 0; e < edits; ++e) copy[rng() % 300] = word(rng);
      const auto text = [](const std::vector<int>& words) {
        std::string t;
        for (int w : words) absl::StrAppend(&t, t.empty() ? "" : " ", "w", w);
        return t;
      };
      absl::StrAppend(&docs, "{\"id\":\"a", k, "\",\"text\":\"", text(base), "\"}\n",
                      "{\"id\":\"b", k, "\",\"text\":\"", text(copy), "\"}\n");
      if (k % 2 == 0) absl::StrAppend(&gold, "a", k, "\tb", k, "\n");
    }
    return {Write("words.jsonl", docs), Write("words_gold.tsv", gold)};
  }
};

TEST_F(TuneAgreementTest, RowsCountWhatDedupWritesAtThePrintedThreshold) {
  const auto [corpus, gold_path] = WriteEditedPairs();
  ExpectRowsMatchDedup(corpus, gold_path, "--containment 0 --threads 1");
  ExpectRowsMatchDedup(corpus, gold_path, "--threads 2");
  ExpectRowsMatchDedup(corpus, gold_path, "--method simhash --floor 0.8");
}

// At the default floor 0.5 SimHash would need 32 bits' distance, past the 15
// the index serves: tune failed (exit 1, "num_blocks = 17 must be in
// (max_distance = 16, 16]"). The sweep stops at 0.765625 (15 bits), says so,
// and its rows still count what dedup writes.
TEST_F(TuneAgreementTest, SimHashAtTheDefaultFloorStopsWhereTheIndexDoes) {
  const auto [corpus, gold] = WriteEditedPairs();
  const std::string note =
      "note: the SimHash sweep stops at 0.765625 (max-hamming 15, the widest distance the "
      "SimHash index serves); --floor 0.5 would need 32 differing bits";
  CliResult tune = RunCli(absl::StrCat("tune ", corpus, " -q --gold ", gold, " --method simhash"));
  ASSERT_EQ(tune.exit_code, 0) << tune.err;
  EXPECT_NE(tune.err.find(note), std::string::npos) << "said even with -q\n" << tune.err;
  EXPECT_NE(tune.out.find(note), std::string::npos) << tune.out;
  CliResult json =
      RunCli(absl::StrCat("tune ", corpus, " -q --gold ", gold, " --json --method simhash"));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(JsonNum(json.out, "/floor"), 0.765625) << json.out;
  ExpectRowsMatchDedup(corpus, gold, "--method simhash");
  // A floor the index serves is swept to, without a note.
  CliResult served = RunCli(
      absl::StrCat("tune ", corpus, " -q --gold ", gold, " --json --method simhash --floor 0.8"));
  ASSERT_EQ(served.exit_code, 0) << served.err;
  EXPECT_EQ(JsonNum(served.out, "/floor"), 0.8) << served.out;
  EXPECT_EQ(served.err.find("note:"), std::string::npos) << served.err;
}

TEST_F(TuneAgreementTest, RowsCountWhatDedupWritesOnAReutersSample) {
  const std::string reuters =
      std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578/reuters.jsonl";
  const std::string gold =
      std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578/reuters.neardup_pairs.tsv";
  if (!std::filesystem::exists(reuters) || !std::filesystem::exists(gold)) {
    GTEST_SKIP() << "no " << reuters;
  }
  std::ifstream in(reuters);
  std::string sample;
  std::string line;
  for (int i = 0; i < 3000 && std::getline(in, line); ++i) absl::StrAppend(&sample, line, "\n");
  const std::string corpus = Write("reuters3k.jsonl", sample);
  ExpectRowsMatchDedup(corpus, gold, "--containment 0");
  ExpectRowsMatchDedup(corpus, gold, "");
}

// Flags tune would ignore are refused: any near-duplicate flag with --scored,
// --keep / --grouping, which do not change the verified pairs, and
// --max-hamming, which it sweeps.
TEST_F(EvalCliTest, TuneRefusesFlagsItWouldIgnore) {
  const std::string scored =
      Write("s.tsv", "id_a\tid_b\tsimilarity\na\tb\t0.95\n");
  const std::string gold = Write("g.tsv", "a b\n");
  const std::string docs = Write("d.jsonl", "{\"id\":\"a\",\"text\":\"one two three\"}\n");
  for (const std::string& args :
       {absl::StrCat("tune --scored ", scored, " --gold ", gold, " --containment 0"),
        absl::StrCat("tune --scored ", scored, " --gold ", gold, " --num-perm 64"),
        absl::StrCat("tune ", docs, " --gold ", gold, " --keep longest"),
        absl::StrCat("tune ", docs, " --gold ", gold, " --grouping components"),
        // SimHash's threshold, which tune sweeps down to --floor.
        absl::StrCat("tune ", docs, " --gold ", gold, " --method simhash --max-hamming 5")}) {
    CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("--"), std::string::npos) << r.err;
  }
  CliResult ok = RunCli(absl::StrCat("tune ", docs, " -q --gold ", gold, " --containment 0"));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

}  // namespace
}  // namespace storysift
