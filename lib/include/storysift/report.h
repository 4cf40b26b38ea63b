// Accounting for one run: every record read is either processed or skipped
// with a reason, and the counts add up (read == processed + skipped).
// Processed documents that the input had something wrong with (repaired
// UTF-8, truncation, an unparsed date, a repeated id) are kept and listed as
// warnings with their origin.
#ifndef STORYSIFT_REPORT_H_
#define STORYSIFT_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "storysift/document.h"
#include "storysift/reader.h"

namespace storysift {

struct SkippedRecord {
  Origin origin;
  std::string reason;   // Short code, e.g. "invalid_json".
  std::string message;  // Detail for a person.
};

// Warning codes (SkippedRecord::reason of RunReport::warnings()). Stable.
inline constexpr char kWarnUtf8Repaired[] = "utf8_repaired";
inline constexpr char kWarnTruncated[] = "truncated";
inline constexpr char kWarnUnparsedDate[] = "unparsed_date";
inline constexpr char kWarnDuplicateId[] = "duplicate_id";

// Not thread-safe; fed in input order by the pipeline's single writer.
class RunReport {
 public:
  // Counts a processed document; `tokens` is its token count after
  // normalization, `boilerplate_lines` the lines the normalizer dropped.
  void AddProcessed(const Document& doc, size_t tokens, int boilerplate_lines);
  void AddSkipped(const ReadRecord& record);

  int64_t read() const { return processed_ + static_cast<int64_t>(skipped_.size()); }
  int64_t processed() const { return processed_; }
  int64_t skipped() const { return static_cast<int64_t>(skipped_.size()); }
  int64_t bytes() const { return bytes_; }
  int64_t tokens() const { return tokens_; }
  int64_t unknown_dates() const { return unknown_dates_; }
  int64_t undated() const { return undated_; }
  int64_t utf8_repaired() const { return utf8_repaired_; }
  // Documents that were not UTF-8 and were converted (Windows-1252 or a
  // declared HTML charset). Counted, not a warning: nothing was lost.
  int64_t transcoded() const { return transcoded_; }
  int64_t truncated() const { return truncated_; }
  int64_t duplicate_ids() const { return duplicate_ids_; }
  int64_t boilerplate_lines() const { return boilerplate_lines_; }
  const std::vector<SkippedRecord>& skipped_records() const { return skipped_; }
  // Every warning counted (utf8_repaired + truncated + unknown_dates +
  // duplicate_ids); warnings() keeps the first kMaxWarningRecords of them.
  int64_t warning_count() const {
    return utf8_repaired_ + truncated_ + unknown_dates_ + duplicate_ids_;
  }
  static constexpr size_t kMaxWarningRecords = 10000;
  const std::vector<SkippedRecord>& warnings() const { return warnings_; }
  // Skip counts by reason, ordered by reason.
  std::map<std::string, int64_t> SkippedByReason() const;

  // One JSON object (for --report FILE).
  std::string ToJson() const;
  // A few human-readable lines for stderr; lists up to `max_skips` skipped
  // records and as many warnings with their origin.
  std::string Summary(size_t max_skips = 20) const;

 private:
  void AddWarning(const Document& doc, const char* reason, std::string message);

  int64_t processed_ = 0;
  int64_t bytes_ = 0;
  int64_t tokens_ = 0;
  int64_t unknown_dates_ = 0;
  int64_t undated_ = 0;
  int64_t utf8_repaired_ = 0;
  int64_t transcoded_ = 0;
  int64_t truncated_ = 0;
  int64_t duplicate_ids_ = 0;
  int64_t boilerplate_lines_ = 0;
  std::vector<SkippedRecord> skipped_;
  std::vector<SkippedRecord> warnings_;
  absl::flat_hash_set<uint64_t> id_hashes_;  // To spot duplicate ids.
};

}  // namespace storysift

#endif  // STORYSIFT_REPORT_H_
