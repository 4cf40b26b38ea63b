#include "storysift/report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storysift/json_writer.h"
#include "xxhash.h"

namespace storysift {

void RunReport::AddProcessed(const Document& doc, size_t tokens, int boilerplate_lines) {
  ++processed_;
  bytes_ += static_cast<int64_t>(doc.text.size() + doc.title.size());
  tokens_ += static_cast<int64_t>(tokens);
  boilerplate_lines_ += boilerplate_lines;
  if (!doc.published) ++undated_;
  if (doc.flags.transcoded) ++transcoded_;
  if (doc.flags.utf8_repaired) {
    ++utf8_repaired_;
    AddWarning(doc, kWarnUtf8Repaired,
               "invalid UTF-8 replaced by U+FFFD (NUL bytes removed)");
  }
  if (doc.flags.truncated) {
    ++truncated_;
    AddWarning(doc, kWarnTruncated,
               absl::StrCat("text truncated to ", doc.text.size(),
                            " bytes (--max-doc-bytes)"));
  }
  if (doc.flags.date_unparsed) {
    ++unknown_dates_;
    AddWarning(doc, kWarnUnparsedDate,
               "date not understood or outside 1800..2200; treated as undated");
  }
  // A 64-bit hash collision would only add a spurious warning.
  if (!id_hashes_.insert(XXH3_64bits(doc.id.data(), doc.id.size())).second) {
    ++duplicate_ids_;
    AddWarning(doc, kWarnDuplicateId,
               absl::StrCat("id '", doc.id, "' already used by an earlier document"));
  }
}

void RunReport::AddWarning(const Document& doc, const char* reason, std::string message) {
  if (warnings_.size() < kMaxWarningRecords) {
    warnings_.push_back({doc.origin, reason, std::move(message)});
  }
}

void RunReport::AddSkipped(const ReadRecord& record) {
  skipped_.push_back({record.origin, record.skip_reason, record.message});
}

std::map<std::string, int64_t> RunReport::SkippedByReason() const {
  std::map<std::string, int64_t> counts;
  for (const SkippedRecord& s : skipped_) ++counts[s.reason];
  return counts;
}

std::string RunReport::ToJson() const {
  std::string by_reason = "{";
  bool first = true;
  for (const auto& [reason, count] : SkippedByReason()) {
    if (!first) by_reason.push_back(',');
    first = false;
    AppendJsonString(&by_reason, reason);
    absl::StrAppend(&by_reason, ":", count);
  }
  by_reason.push_back('}');
  std::string skips = "[";
  for (size_t i = 0; i < skipped_.size(); ++i) {
    if (i > 0) skips.push_back(',');
    skips += JsonObject()
                 .Str("origin", skipped_[i].origin.ToString())
                 .Str("reason", skipped_[i].reason)
                 .Str("message", skipped_[i].message)
                 .Finish();
  }
  skips.push_back(']');
  std::string warnings = "[";
  for (size_t i = 0; i < warnings_.size(); ++i) {
    if (i > 0) warnings.push_back(',');
    warnings += JsonObject()
                    .Str("origin", warnings_[i].origin.ToString())
                    .Str("reason", warnings_[i].reason)
                    .Str("message", warnings_[i].message)
                    .Finish();
  }
  warnings.push_back(']');
  return JsonObject()
      .Int("read", read())
      .Int("processed", processed_)
      .Int("skipped", skipped())
      .Raw("skipped_by_reason", by_reason)
      .Int("bytes", bytes_)
      .Int("tokens", tokens_)
      .Int("undated", undated_)
      .Int("unknown_dates", unknown_dates_)
      .Int("utf8_repaired", utf8_repaired_)
      .Int("transcoded", transcoded_)
      .Int("truncated", truncated_)
      .Int("duplicate_ids", duplicate_ids_)
      .Int("boilerplate_lines_dropped", boilerplate_lines_)
      .Raw("skipped_records", skips)
      .Raw("warnings", warnings)
      .Finish();
}

std::string RunReport::Summary(size_t max_skips) const {
  std::string out = absl::StrFormat(
      "storysift: read %d, processed %d, skipped %d", read(), processed_, skipped());
  for (const auto& [reason, count] : SkippedByReason()) {
    absl::StrAppendFormat(&out, " (%s: %d)", reason, count);
  }
  absl::StrAppendFormat(&out,
                        "\nstorysift: %d undated, %d unparsed dates, %d utf-8 repaired, "
                        "%d truncated, %d duplicate ids\n",
                        undated_, unknown_dates_, utf8_repaired_, truncated_, duplicate_ids_);
  if (transcoded_ > 0) {
    absl::StrAppendFormat(&out,
                          "storysift: %d documents were not UTF-8 and were read as "
                          "Windows-1252 (or their declared HTML charset)\n",
                          transcoded_);
  }
  for (size_t i = 0; i < skipped_.size() && i < max_skips; ++i) {
    absl::StrAppendFormat(&out, "storysift: skipped %s: %s (%s)\n",
                          skipped_[i].origin.ToString(), skipped_[i].message,
                          skipped_[i].reason);
  }
  if (skipped_.size() > max_skips) {
    absl::StrAppendFormat(&out, "storysift: ... and %d more skipped (see --report)\n",
                          skipped_.size() - max_skips);
  }
  for (size_t i = 0; i < warnings_.size() && i < max_skips; ++i) {
    absl::StrAppendFormat(&out, "storysift: warning %s: %s (%s)\n",
                          warnings_[i].origin.ToString(), warnings_[i].message,
                          warnings_[i].reason);
  }
  const int64_t listed = static_cast<int64_t>(std::min(max_skips, warnings_.size()));
  if (warning_count() > listed) {
    absl::StrAppendFormat(&out, "storysift: ... and %d more warnings (see --report)\n",
                          warning_count() - listed);
  }
  return out;
}

}  // namespace storysift
