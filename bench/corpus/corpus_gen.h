// Synthetic benchmark corpora with known near-duplicates. Originals are
// spliced from runs of 1-3 sentences of different base articles (numbers
// mutated), so that even with many originals per base article they are
// not near-duplicates of each other; a known share of documents
// are copies of an earlier original, made by one of the CopyKinds. Gold files
// record every document's copy group, copy kind and story label, and every
// true copy pair with its exact word-5-shingle Jaccard.
//
// Determinism: output is a pure function of (base articles, options). Random
// numbers come from std::mt19937_64 (fully specified by the standard) through
// hand-written helpers; std::uniform_int_distribution is avoided because its
// output differs across standard libraries.
//
// Thread safety: a CorpusGenerator is immutable after Create(); Generate() may
// be called concurrently.
#ifndef STORYSIFT_BENCH_CORPUS_CORPUS_GEN_H_
#define STORYSIFT_BENCH_CORPUS_CORPUS_GEN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace storysift::corpusgen {

enum class CopyKind : uint8_t {
  kExact,             // Identical title and text.
  kHeaderFooter,      // Site header/footer boilerplate lines added.
  kWordEdits,         // 5-10% of words substituted, inserted or deleted.
  kTruncated,         // First 40-70% of the words kept.
  kDroppedSentences,  // 10-30% of sentences (at least one) removed.
  kWireStyle,         // Lowercased, punctuation -> spaces (double spaces).
  kHtmlWrapped,       // In an HTML page: head, script, nav, share bar, pixel.
  kOcrNoise,          // 1-3% of ASCII letters/digits substituted.
  kEditsFooter,       // kWordEdits, then kHeaderFooter.
  kHeavyEdits,        // 10% of words substituted, inserted or deleted.
};
inline constexpr int kNumCopyKinds = 10;
// The first eight kinds: "all" (and the default corpora) use only these, so
// corpora generated before the last two existed are unchanged.
inline constexpr int kNumClassicCopyKinds = 8;

// The rates of the parameterised kinds; each copy draws its rate uniformly
// from [min, max] (equal bounds: a fixed rate).
struct CopyRates {
  double edit_min = 0.05, edit_max = 0.10;  // kWordEdits, kEditsFooter: share of words.
  double heavy_edit = 0.10;                 // kHeavyEdits.
  double ocr_min = 0.01, ocr_max = 0.03;    // kOcrNoise: share of ASCII letters/digits.
};

// "exact", "header_footer", "word_edits", "truncated", "dropped_sentences",
// "wire_style", "html_wrapped", "ocr_noise", "edits_footer", "heavy_edits".
std::string_view CopyKindName(CopyKind kind);
std::vector<CopyKind> AllCopyKinds();  // The eight classic kinds.
// Parses a comma-separated list of names; "" or "all" gives the eight
// classic kinds, "all10" all ten. InvalidArgument naming an unknown kind.
absl::StatusOr<std::vector<CopyKind>> ParseCopyKinds(std::string_view list);

// An article to draw paragraphs from. Paragraphs have single spaces between
// words and no newlines.
struct BaseArticle {
  std::string id;
  std::string title;
  std::string date;   // As given (e.g. ISO 8601), may be empty.
  std::string label;  // Story/topic label, may be empty.
  std::vector<std::string> paragraphs;
};

// Splits `text` into paragraphs: a blank line or an indented line starts a
// new one; text with neither but several lines (one sentence per line, as in
// ECB+) gives a paragraph per line. Collapses whitespace.
std::vector<std::string> SplitParagraphs(std::string_view text);

// Splits a paragraph into sentences: a boundary is a word ending in . ! ?
// (before closing quotes/parens) followed by one starting with a capital, a
// digit or a quote. Words come back single-spaced.
std::vector<std::string> SplitSentences(std::string_view paragraph);

// Reads JSON lines with `id`/`doc_id`, `title`/`headline`, `text`/`body`/
// `content`, `date`/`published`, and `label_field` (string, integer or array:
// first element; "" for none). Records without text are skipped. NotFound
// for a missing file; InvalidArgument "file:line" for bad JSON;
// InvalidArgument when no article has text.
absl::StatusOr<std::vector<BaseArticle>> ReadBaseArticles(
    const std::string& path, const std::string& label_field = "");

struct CorpusOptions {
  uint64_t num_docs = 1000;
  double copy_share = 0.3;  // Copies = round(num_docs * copy_share).
  uint64_t seed = 1;
  std::vector<CopyKind> kinds = AllCopyKinds();
  // Target length of an original in words, uniform in [min_words, max_words];
  // with real_originals, the bases of that length.
  int min_words = 150;
  int max_words = 900;
  // Splice each original only from base articles sharing its first base's
  // label, and give it that label as story (ECB+ clusters: "same event,
  // different article"). Without it, stories are the copy groups.
  bool story_groups = false;
  // Originals are the base articles themselves, unchanged (title, text,
  // date), each used once, in a seeded random order; no splicing. Then the
  // originals are as distinct as the bases (drop bases that are
  // near-duplicates of each other first). InvalidArgument at Create when
  // there are more originals than bases.
  bool real_originals = false;
  CopyRates rates;
};

// A generated document and its gold annotations.
struct GeneratedDoc {
  std::string id;  // "d" + zero-padded position.
  std::string title;
  std::string text;
  std::string date;
  std::string source;
  std::string copy_group;  // Id of the original (its own id for originals).
  std::string copy_kind;   // "original" or CopyKindName().
  std::string story;       // Story label (see CorpusOptions::story_groups).
};

// Makes one copy of (title, text) of the given kind; pure function of its
// arguments. The result's source is a made-up site name.
struct CopyResult {
  std::string title;
  std::string text;
  std::string source;
};
CopyResult MakeCopy(CopyKind kind, std::string_view title,
                    std::string_view text, uint64_t seed, const CopyRates& rates = {});

class CorpusGenerator {
 public:
  // InvalidArgument for no base articles, an empty kind list, copy_share
  // outside [0, 1), or min_words > max_words or < 1.
  static absl::StatusOr<CorpusGenerator> Create(std::vector<BaseArticle> bases,
                                                const CorpusOptions& options);

  uint64_t num_docs() const { return source_.size(); }
  // Position of the original that document `i` copies (i itself for an
  // original). REQUIRES i < num_docs().
  uint64_t original_of(uint64_t i) const { return source_[i]; }
  bool is_copy(uint64_t i) const { return source_[i] != i; }

  // Document at position i. REQUIRES i < num_docs().
  GeneratedDoc Generate(uint64_t i) const;

  // Streams the corpus to `out_path` (JSON lines: id, title, text, date,
  // source), the gold labels to GoldPath(out_path) (id, copy_group,
  // copy_kind, story) and the copy pairs to PairsPath(out_path) (`id_a id_b
  // jaccard`, header line first). Holds no document text beyond one copy
  // group. Internal error when a file cannot be written.
  absl::Status WriteCorpus(const std::string& out_path) const;

 private:
  CorpusGenerator() = default;
  GeneratedDoc GenerateOriginal(uint64_t i) const;

  std::vector<BaseArticle> bases_;
  std::vector<std::vector<std::string>> sentences_;  // Per base.
  // Base indices grouped by label, for story_groups (pool_of_[b] indexes
  // pools_).
  std::vector<std::vector<uint32_t>> pools_;
  std::vector<uint32_t> pool_of_;
  CorpusOptions options_;
  std::vector<uint32_t> source_;  // Per position: original position.
  std::vector<uint8_t> kind_;     // Per position: CopyKind (copies only).
  // real_originals: per position, the base an original is (copies: unused).
  std::vector<uint32_t> base_of_;
};

// `corpus.jsonl` -> `corpus.gold.jsonl` / `corpus.pairs.tsv` (a trailing
// ".jsonl" is replaced; other names get the suffix appended).
std::string GoldPath(std::string_view out_path);
std::string PairsPath(std::string_view out_path);

// Exact Jaccard of word-5-shingle sets, as for the shared pair files: text
// lowercased, split on non-word characters (bytes >= 0x80 count as word
// characters), overlapping 5-word windows (a shorter text is one shingle).
double WordShingleJaccard(std::string_view a, std::string_view b);

}  // namespace storysift::corpusgen

#endif  // STORYSIFT_BENCH_CORPUS_CORPUS_GEN_H_
