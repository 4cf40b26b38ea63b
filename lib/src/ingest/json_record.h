// One JSON object -> one Document: the field lookup (aliases, dotted paths)
// shared by the JSON lines and the JSON array readers. Not thread-safe.
#ifndef STORYSIFT_INGEST_JSON_RECORD_H_
#define STORYSIFT_INGEST_JSON_RECORD_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/status/status.h"
#include "simdjson.h"
#include "storysift/reader.h"

namespace storysift::internal {

class JsonRecordParser {
 public:
  explicit JsonRecordParser(const ReaderOptions& options);

  // Parses *json (one JSON value; the buffer gets simdjson's padding) into
  // record->doc, or sets a skip (binary,
  // invalid_json, not_object, missing_text, empty_text). With keep_raw,
  // doc.raw gets the bytes as they were. REQUIRES: record was reset and
  // record->doc.origin set.
  void Parse(std::string* json, std::string_view fallback_id, ReadRecord* record);
  // The same for bytes parsed where they lie: REQUIRES at least
  // simdjson::SIMDJSON_PADDING readable bytes after `json` (any content).
  // Copied only when they need repair (invalid UTF-8).
  void ParsePadded(std::string_view json, std::string_view fallback_id, ReadRecord* record);

  // After the last record of `input`: InvalidArgument when a field in
  // options.fields.required appeared in no record, listing the top-level
  // fields that were seen. OK when there were no records at all.
  absl::Status CheckRequiredFields(std::string_view input) const;

 private:
  void NoteFields(const simdjson::dom::object& obj);

  ReaderOptions options_;
  simdjson::dom::parser parser_;
  std::string repaired_;  // A record converted to UTF-8 (ParsePadded).
  std::string huge_numbers_;  // A record with out-of-range numbers emptied.
  bool any_object_ = false;
  std::vector<bool> required_found_;  // By options_.fields.required index.
  size_t required_missing_;
  absl::btree_set<std::string> seen_fields_;  // Capped; for the message.
};

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_JSON_RECORD_H_
