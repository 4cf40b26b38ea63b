// Accounting for one run: every record read is either processed or skipped
// with a reason, and the counts add up (read == processed + skipped).
// Processed documents that the input had something wrong with (repaired
// UTF-8, removed NUL characters, truncation, an unparsed date, a repeated
// id) are kept and listed as warnings with their origin.
#ifndef STORYSIFT_REPORT_H_
#define STORYSIFT_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "storysift/document.h"
#include "storysift/reader.h"

namespace storysift {

struct SkippedRecord {
  Origin origin;
  std::string reason;   // Short code, e.g. "invalid_json".
  std::string message;  // Detail for a person.
};

// What one input (a path given to InputStream::Open) yielded.
struct InputSummary {
  std::string path;
  int64_t documents = 0;
  std::map<std::string, int64_t> skipped_by_reason;
  int64_t skipped() const;
  // "day.json: 0 documents (3 records skipped: not_object)".
  std::string Describe() const;
};

// Warning codes (SkippedRecord::reason of RunReport::warnings()). Stable.
inline constexpr char kWarnUtf8Repaired[] = "utf8_repaired";
// A field held NUL characters (JSON's "\u0000", or a 0 byte in CSV or text),
// which were removed: the input was valid, but NUL is no text.
inline constexpr char kWarnNulRemoved[] = "nul_removed";
inline constexpr char kWarnTruncated[] = "truncated";
inline constexpr char kWarnUnparsedDate[] = "unparsed_date";
inline constexpr char kWarnDuplicateId[] = "duplicate_id";
// `index add`: an id the index holds with other content (that version is
// not indexed: an index keeps an id's first version).
inline constexpr char kWarnIndexedIdChanged[] = "indexed_id_changed";

// Not thread-safe; fed in input order by the pipeline's single writer.
class RunReport {
 public:
  // Counts a processed document; `tokens` is its token count after
  // normalization, `boilerplate_lines` the lines the normalizer dropped.
  void AddProcessed(const Document& doc, size_t tokens, int boilerplate_lines);
  void AddSkipped(const ReadRecord& record);
  // A warning about a processed document that the job raises after reading
  // it (e.g. kWarnIndexedIdChanged): counted in warning_count(), so a strict
  // run fails, and listed with the others.
  void AddJobWarning(const Document& doc, const char* reason, std::string message);
  // A JSON object the job adds to ToJson()/WriteJson() under `key`, after
  // the accounting (e.g. "index": what an index run added and evicted). A
  // second call with the same key replaces the first.
  void SetJobSection(std::string key, std::string json_object);

  RunReport() = default;
  RunReport(RunReport&&) = default;
  RunReport& operator=(RunReport&&) = default;

  int64_t read() const { return processed_ + skipped(); }
  int64_t processed() const { return processed_; }
  int64_t skipped() const { return static_cast<int64_t>(skips_.size()); }
  int64_t bytes() const { return bytes_; }
  int64_t tokens() const { return tokens_; }
  int64_t unknown_dates() const { return unknown_dates_; }
  int64_t undated() const { return undated_; }
  int64_t utf8_repaired() const { return utf8_repaired_; }
  int64_t nul_removed() const { return nul_removed_; }
  // Documents that were not UTF-8 and were converted (Windows-1252 or a
  // declared HTML charset). Counted, not a warning: nothing was lost.
  int64_t transcoded() const { return transcoded_; }
  int64_t truncated() const { return truncated_; }
  int64_t duplicate_ids() const { return duplicate_ids_; }
  int64_t boilerplate_lines() const { return boilerplate_lines_; }
  // Skipped records are bounded in memory: 16 bytes each for origin and
  // reason (what dedup's per-record output needs), the first
  // kMaxSkipExamples of each reason with their messages, and the full
  // records spooled to an unlinked temporary file for ToJson()/WriteJson().
  static constexpr size_t kMaxSkipExamples = 5;
  // The examples, in input order (the first skip of the run comes first).
  const std::vector<SkippedRecord>& skip_examples() const { return skip_examples_; }
  // Origin and reason of the i-th skipped record. REQUIRES: i < skipped().
  Origin skipped_origin(size_t i) const;
  const std::string& skipped_reason(size_t i) const;
  // Every warning counted (utf8_repaired + nul_removed + truncated +
  // unknown_dates + duplicate_ids + the job's); warnings() keeps the first
  // kMaxWarningRecords of them.
  int64_t warning_count() const {
    return utf8_repaired_ + nul_removed_ + truncated_ + unknown_dates_ + duplicate_ids_ +
           job_warnings_;
  }
  static constexpr size_t kMaxWarningRecords = 10000;
  const std::vector<SkippedRecord>& warnings() const { return warnings_; }
  // Skip counts by reason, ordered by reason.
  std::map<std::string, int64_t> SkippedByReason() const;

  // Per input, in order (set by the pipeline when the inputs are read).
  void set_inputs(std::vector<InputSummary> inputs) { inputs_ = std::move(inputs); }
  const std::vector<InputSummary>& inputs() const { return inputs_; }
  // Documents the inputs gave, summed over inputs().
  int64_t input_documents() const;

  // One JSON object (for --report FILE), every skipped record included.
  std::string ToJson() const;
  // The same, streamed to `write` piece by piece (memory stays bounded).
  void WriteJson(const std::function<void(std::string_view)>& write) const;
  // A few human-readable lines for stderr; lists up to `max_skips` skipped
  // records (not those a state already holds: IsRepeatSkip, counted only)
  // and as many warnings with their origin.
  std::string Summary(size_t max_skips = 20) const;

 private:
  void AddWarning(const Document& doc, const char* reason, std::string message);

  int64_t processed_ = 0;
  int64_t bytes_ = 0;
  int64_t tokens_ = 0;
  int64_t unknown_dates_ = 0;
  int64_t undated_ = 0;
  int64_t utf8_repaired_ = 0;
  int64_t nul_removed_ = 0;
  int64_t transcoded_ = 0;
  int64_t truncated_ = 0;
  int64_t duplicate_ids_ = 0;
  int64_t boilerplate_lines_ = 0;
  int64_t job_warnings_ = 0;
  std::vector<std::pair<std::string, std::string>> job_sections_;  // (key, JSON object)
  struct CompactSkip {
    uint32_t file;    // Index in files_.
    uint32_t reason;  // Index in reasons_.
    uint64_t line;
  };
  std::vector<CompactSkip> skips_;
  std::vector<std::string> files_, reasons_;
  std::map<std::string, int64_t> skip_counts_;
  std::vector<SkippedRecord> skip_examples_;
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, FileCloser> spool_;  // JSON objects, one a line.
  std::string spool_fallback_;  // When no temporary file can be made.
  std::vector<InputSummary> inputs_;
  std::vector<SkippedRecord> warnings_;
  absl::flat_hash_set<uint64_t> id_hashes_;  // To spot duplicate ids.
};

// The inputs that gave no document (of report.inputs(), the last `last` of
// them), each as InputSummary::Describe() says: for warnings.
std::vector<std::string> InputsWithoutDocuments(const RunReport& report,
                                                size_t last = SIZE_MAX);

// What a run over files checks once they are read, before any output (the
// CLI's rule, and storysift.dask.dedup_files'): InvalidArgument "no
// documents read: <each input and why>" when the inputs (the last `last`
// named) gave no document at all, unless `allow_empty`; else
// InvalidArgument naming a CSV/TSV input whose header has no text column
// (its records were skipped as no_text_column). OK otherwise.
absl::Status CheckInputsRead(const RunReport& report, bool allow_empty,
                             size_t last = SIZE_MAX);

// The strict rule (the CLI's --strict, the Python API's strict=True): a run
// passes only if it skipped no record (records a state already holds,
// IsRepeatSkip, aside) and warned of nothing. DataLoss naming
// how many and the first one's origin and message ("3 record(s) skipped;
// first at day.jsonl:12: invalid JSON: ..."; skips before warnings), else OK.
absl::Status CheckStrict(const RunReport& report);

}  // namespace storysift

#endif  // STORYSIFT_REPORT_H_
