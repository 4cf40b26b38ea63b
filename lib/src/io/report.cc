#include "storysift/report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "io/json_writer.h"
#include "xxhash.h"

namespace storysift {
namespace {

// Skipped records other than those a state already holds (IsRepeatSkip):
// what the summary lists and --strict fails on.
int64_t SkipsToList(const RunReport& report) {
  int64_t skipped = report.skipped();
  for (const auto& [reason, count] : report.SkippedByReason()) {
    if (IsRepeatSkip(reason)) skipped -= count;
  }
  return skipped;
}

}  // namespace

void RunReport::AddProcessed(const Document& doc, size_t tokens, int boilerplate_lines) {
  ++processed_;
  bytes_ += static_cast<int64_t>(doc.text.size() + doc.title.size());
  tokens_ += static_cast<int64_t>(tokens);
  boilerplate_lines_ += boilerplate_lines;
  if (!doc.published) ++undated_;
  if (doc.flags.transcoded) ++transcoded_;
  if (doc.flags.utf8_repaired) {
    ++utf8_repaired_;
    AddWarning(doc, kWarnUtf8Repaired, "invalid UTF-8 replaced by U+FFFD");
  }
  if (doc.flags.nul_removed) {
    ++nul_removed_;
    AddWarning(doc, kWarnNulRemoved,
               "NUL character (U+0000, JSON \\u0000) in a text field removed");
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

void RunReport::AddJobWarning(const Document& doc, const char* reason, std::string message) {
  ++job_warnings_;
  AddWarning(doc, reason, std::move(message));
}

void RunReport::SetJobSection(std::string key, std::string json_object) {
  for (auto& [k, json] : job_sections_) {
    if (k == key) {
      json = std::move(json_object);
      return;
    }
  }
  job_sections_.emplace_back(std::move(key), std::move(json_object));
}

int64_t InputSummary::skipped() const {
  int64_t n = 0;
  for (const auto& [reason, count] : skipped_by_reason) n += count;
  return n;
}

std::string InputSummary::Describe() const {
  std::string out = absl::StrCat(path, ": ", documents, " documents");
  if (skipped_by_reason.empty()) return out + " (no records)";
  absl::StrAppend(&out, " (", skipped(), skipped() == 1 ? " record" : " records", " skipped:");
  bool first = true;
  for (const auto& [reason, count] : skipped_by_reason) {
    absl::StrAppend(&out, first ? " " : ", ", reason);
    if (skipped_by_reason.size() > 1) absl::StrAppend(&out, " ", count);
    first = false;
  }
  return out + ")";
}

void RunReport::AddSkipped(const ReadRecord& record) {
  // Consecutive skips mostly share a file and a reason: look at the last.
  auto intern = [](std::vector<std::string>* table, const std::string& s) {
    for (size_t i = table->size(); i > 0 && i + 8 > table->size(); --i) {
      if ((*table)[i - 1] == s) return static_cast<uint32_t>(i - 1);
    }
    table->push_back(s);
    return static_cast<uint32_t>(table->size() - 1);
  };
  skips_.push_back({intern(&files_, record.origin.file), intern(&reasons_, record.skip_reason),
                    record.origin.line});
  if (++skip_counts_[record.skip_reason] <= static_cast<int64_t>(kMaxSkipExamples)) {
    skip_examples_.push_back({record.origin, record.skip_reason, record.message});
  }
  const std::string line = JsonObject()
                               .Str("origin", record.origin.ToString())
                               .Str("reason", record.skip_reason)
                               .Str("message", record.message)
                               .Finish();
  if (spool_ == nullptr && spool_fallback_.empty()) spool_.reset(std::tmpfile());
  if (spool_ != nullptr) {
    std::fputs(line.c_str(), spool_.get());
    std::fputc('\n', spool_.get());
  } else {
    absl::StrAppend(&spool_fallback_, line, "\n");
  }
}

Origin RunReport::skipped_origin(size_t i) const {
  return Origin{files_[skips_[i].file], skips_[i].line};
}

const std::string& RunReport::skipped_reason(size_t i) const {
  return reasons_[skips_[i].reason];
}

std::map<std::string, int64_t> RunReport::SkippedByReason() const { return skip_counts_; }

std::string RunReport::ToJson() const {
  std::string out;
  WriteJson([&out](std::string_view piece) { out.append(piece); });
  return out;
}

void RunReport::WriteJson(const std::function<void(std::string_view)>& write) const {
  std::string by_reason = "{";
  bool first = true;
  for (const auto& [reason, count] : SkippedByReason()) {
    if (!first) by_reason.push_back(',');
    first = false;
    AppendJsonString(&by_reason, reason);
    absl::StrAppend(&by_reason, ":", count);
  }
  by_reason.push_back('}');
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
  // The skipped records go between the two halves, streamed from the spool.
  const std::string head = JsonObject()
                               .Int("read", read())
                               .Int("processed", processed_)
                               .Int("skipped", skipped())
                               .Raw("skipped_by_reason", by_reason)
                               .Int("bytes", bytes_)
                               .Int("tokens", tokens_)
                               .Int("undated", undated_)
                               .Int("unknown_dates", unknown_dates_)
                               .Int("utf8_repaired", utf8_repaired_)
                               .Int("nul_removed", nul_removed_)
                               .Int("transcoded", transcoded_)
                               .Int("truncated", truncated_)
                               .Int("duplicate_ids", duplicate_ids_)
                               .Int("boilerplate_lines_dropped", boilerplate_lines_)
                               .Raw("skipped_records", "[")
                               .Finish();
  write(std::string_view(head).substr(0, head.size() - 1));  // Without the '}'.
  bool first_skip = true;
  auto write_lines = [&](std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      if (nl > pos) {
        if (!first_skip) write(",");
        first_skip = false;
        write(text.substr(pos, nl - pos));
      }
      pos = nl + 1;
    }
  };
  if (spool_ != nullptr) {
    std::FILE* f = spool_.get();
    std::fflush(f);
    const long end = std::ftell(f);
    std::rewind(f);
    std::string line;
    char buf[1 << 16];
    long left = end;
    while (left > 0) {
      const size_t n = std::fread(buf, 1, std::min<long>(left, sizeof(buf)), f);
      if (n == 0) break;
      left -= static_cast<long>(n);
      // Whole lines only: a record split by the buffer waits for its end.
      line.append(buf, n);
      const size_t last_nl = line.rfind('\n');
      if (last_nl == std::string::npos) continue;
      write_lines(std::string_view(line).substr(0, last_nl + 1));
      line.erase(0, last_nl + 1);
    }
    write_lines(line);
    std::fseek(f, 0, SEEK_END);  // Appends go on after the end.
  } else {
    write_lines(spool_fallback_);
  }
  std::string sections;
  for (const auto& [key, json] : job_sections_) {
    sections.push_back(',');
    AppendJsonString(&sections, key);
    absl::StrAppend(&sections, ":", json);
  }
  write(absl::StrCat("],\"warnings\":", warnings, sections, "}"));
}

std::string RunReport::Summary(size_t max_skips) const {
  std::string out = absl::StrFormat(
      "storysift: read %d, processed %d, skipped %d", read(), processed_, skipped());
  for (const auto& [reason, count] : SkippedByReason()) {
    absl::StrAppendFormat(&out, " (%s: %d)", reason, count);
  }
  absl::StrAppendFormat(&out,
                        "\nstorysift: %d undated, %d unparsed dates, %d utf-8 repaired, "
                        "%d with NUL removed, %d truncated, %d duplicate ids\n",
                        undated_, unknown_dates_, utf8_repaired_, nul_removed_, truncated_,
                        duplicate_ids_);
  if (transcoded_ > 0) {
    absl::StrAppendFormat(&out,
                          "storysift: %d documents were not UTF-8 and were read as "
                          "Windows-1252 (or their declared HTML charset)\n",
                          transcoded_);
  }
  // Records a state already holds are counted above, not listed: nothing
  // is wrong with them.
  size_t listed_skips = 0;
  for (const SkippedRecord& s : skip_examples_) {
    if (listed_skips == max_skips) break;
    if (IsRepeatSkip(s.reason)) continue;
    absl::StrAppendFormat(&out, "storysift: skipped %s: %s (%s)\n", s.origin.ToString(),
                          s.message, s.reason);
    ++listed_skips;
  }
  if (const int64_t unlisted = SkipsToList(*this) - static_cast<int64_t>(listed_skips);
      unlisted > 0) {
    absl::StrAppendFormat(&out, "storysift: ... and %d more skipped (see --report)\n", unlisted);
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

int64_t RunReport::input_documents() const {
  int64_t documents = 0;
  for (const InputSummary& input : inputs_) documents += input.documents;
  return documents;
}

std::vector<std::string> InputsWithoutDocuments(const RunReport& report, size_t last) {
  const std::vector<InputSummary>& all = report.inputs();
  std::vector<std::string> empty;
  for (size_t i = all.size() - std::min(all.size(), last); i < all.size(); ++i) {
    if (all[i].documents == 0) empty.push_back(all[i].Describe());
  }
  return empty;
}

absl::Status CheckInputsRead(const RunReport& report, bool allow_empty, size_t last) {
  if (!report.inputs().empty() && report.input_documents() == 0 && !allow_empty) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no documents read: ", absl::StrJoin(InputsWithoutDocuments(report, last), "; ")));
  }
  // A CSV/TSV file whose header has no text column gave nothing: the run
  // fails at the end (every other input was still read and reported).
  const auto by_reason = report.SkippedByReason();
  if (const auto it = by_reason.find(kSkipNoTextColumn); it != by_reason.end()) {
    for (const SkippedRecord& s : report.skip_examples()) {
      if (s.reason != kSkipNoTextColumn) continue;
      return absl::InvalidArgumentError(absl::StrCat(s.origin.file, ": ", s.message, " (",
                                                     it->second,
                                                     " record(s) skipped as no_text_column)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckStrict(const RunReport& report) {
  if (const int64_t skipped = SkipsToList(report); skipped > 0) {
    const SkippedRecord& first = *std::find_if(
        report.skip_examples().begin(), report.skip_examples().end(),
        [](const SkippedRecord& s) { return !IsRepeatSkip(s.reason); });
    return absl::DataLossError(absl::StrCat(skipped, " record(s) skipped; first at ",
                                            first.origin.ToString(), ": ", first.message));
  }
  if (report.warning_count() > 0) {
    const SkippedRecord& first = report.warnings().front();
    return absl::DataLossError(absl::StrCat(report.warning_count(), " warning(s); first at ",
                                            first.origin.ToString(), ": ", first.message));
  }
  return absl::OkStatus();
}

}  // namespace storysift
