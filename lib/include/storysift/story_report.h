// The story report people look at: one self-contained HTML file (inline CSS,
// JS and SVG, no network request of any kind) for `cluster --html`,
// `dedup --html` and `storysift report`, and the terminal view of
// `cluster --format text`, both drawn from the same StoryReport.
//
// The page embeds its data once, as JSON in a <script type="application/json">
// block, and renders on demand (a story's articles when it is opened, the
// list in pages), so a day of 100k articles opens in a second or two. All
// scraped text (titles, sources, passages, ids) is inserted as text nodes by
// the script; links are made only from http(s) urls; the page carries a
// Content-Security-Policy with the hashes of its one script and one style,
// which forbids inline event handlers and every fetch.
//
// Thread safety: pure functions.
#ifndef STORYSIFT_STORY_REPORT_H_
#define STORYSIFT_STORY_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storysift/copy_grouper.h"
#include "storysift/document_table.h"
#include "storysift/story_pipeline.h"

namespace storysift {

struct ReportArticle {
  std::string id;
  // Empty when unknown: the views show the id. An untitled document whose
  // text is known gets its first words instead.
  std::string title;
  std::string source;
  std::string url;     // Linked only when it is http(s).
  std::optional<int64_t> published;
  std::optional<double> novelty;  // Unknown for stories read without ranking.
  std::vector<std::string> new_terms;
  int copy_of = -1;  // Index in the story's articles of its original, or -1.
  std::string shared_passage;  // A copy's longest passage shared with it.
};

struct ReportStory {
  std::string story_id;
  std::string status;  // "new", "updated", "unchanged", "merged" or empty.
  bool archived = false;
  std::vector<std::string> label;
  std::vector<ReportArticle> articles;  // Novelty order.
};

struct StoryReport {
  std::string title = "storysift stories";
  std::vector<ReportStory> stories;
  int default_min_size = 2;  // Smaller stories start hidden behind a count.
};

// One document side of a copy pair: its text cut into alternating runs,
// plain first, then shared, plain, shared... (shared = a passage both
// documents contain).
struct ReportSideText {
  std::vector<std::string> runs;
  bool truncated = false;
};

struct ReportCopy {
  ReportArticle article;
  double similarity = 0;
  ReportSideText text;             // The copy's text.
  ReportSideText original_text;    // The representative's, against this copy.
};

struct ReportCopyGroup {
  ReportArticle representative;
  std::vector<ReportCopy> copies;
};

struct DedupReport {
  std::string title = "storysift near-duplicates";
  size_t num_documents = 0;
  std::vector<ReportCopyGroup> groups;  // Groups of 2+, largest first.
};

// The HTML page (UTF-8).
std::string RenderStoryReportHtml(const StoryReport& report);
std::string RenderDedupReportHtml(const DedupReport& report);

// The terminal view: stories of at least `min_size` articles, largest
// first, then most recent (last article), then report order; each with its
// headline (the title of its top-ranked original), status, size, sources,
// copies, dates and label, then one line per article in novelty order with
// title and source, copies indented under their original. Smaller stories
// are summed up in one closing line, so every article is accounted for.
std::string RenderStoryReportText(const StoryReport& report, int min_size);

// Where the builders find normalized texts (shared passages, an untitled
// document's first words): corpus.texts when kept (CorpusOptions::
// keep_text), else each needed document of corpus.documents normalized
// again with `normalizer` (the run's), which holds far less in memory than
// keeping every text; with neither, passages and first words stay empty.
// Titles, sources and urls come from corpus.documents when kept.

// Story `i` of `stories` gets story_ids[i] and statuses[i] / archived[i]
// when those vectors are non-empty. Output does not depend on `threads`.
StoryReport BuildStoryReport(const DocumentTable& corpus, const std::vector<RankedStory>& stories,
                             const std::vector<std::string>& story_ids,
                             const std::vector<std::string>& statuses = {},
                             const std::vector<bool>& archived = {},
                             const Normalizer* normalizer = nullptr, int threads = 1);

// Copy groups of 2+ with each copy's text beside its representative's, the
// shared passages marked. Output does not depend on `threads`.
DedupReport BuildDedupReport(const DocumentTable& corpus, const CopyGroups& groups,
                             const Normalizer* normalizer = nullptr, int threads = 1);

// Stories from `cluster` JSON lines (its -o file, gzip, zstd or xz
// compressed or not, or a state's archive),
// joined by id with `corpus` for titles, sources, urls, dates and shared
// passages; ids missing from the corpus are counted in *unknown_ids and
// shown by id. InvalidArgument naming path:line for a line that is not a
// story.
absl::StatusOr<StoryReport> ReadStoryReport(const std::string& path, const DocumentTable& corpus,
                                            size_t* unknown_ids,
                                            const Normalizer* normalizer = nullptr);
// The same for lines in memory (e.g. a state's archived stories); `origin`
// names them in messages.
absl::StatusOr<StoryReport> StoryReportFromLines(const std::vector<std::string>& lines,
                                                 std::string_view origin, const DocumentTable& corpus,
                                                 size_t* unknown_ids,
                                                 const Normalizer* normalizer = nullptr);

}  // namespace storysift

#endif  // STORYSIFT_STORY_REPORT_H_
