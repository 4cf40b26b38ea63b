// Documents from records that are already in memory as named fields (a
// Python dict, a DataFrame row): the same rules as a JSON line, so a record
// handed over by an embedding program is read exactly as the CLI reads it
// from a file (date forms, UTF-8 repair, HTML page metadata, blank text).
#ifndef STORYSIFT_RECORD_FIELDS_H_
#define STORYSIFT_RECORD_FIELDS_H_

#include <optional>
#include <string>
#include <string_view>

#include "storysift/document.h"
#include "storysift/reader.h"

namespace storysift {

// One record's fields, as text. A number in a JSON record is its shortest
// decimal form; the caller gives numbers (e.g. a date in epoch seconds) the
// same way.
struct RecordFields {
  // nullopt: the record has no string text field (skipped "missing_text").
  std::optional<std::string> text;
  std::string id, title, source, url;
  // The date as written ("2017-03-02", "1488412800"); nullopt when absent.
  std::optional<std::string> date;
  // A date field was present but is not a string or a number.
  bool date_unreadable = false;
};

// The record for `fields`: a Document, or a skip (missing_text, empty_text)
// as the JSON readers give. A blank id becomes `fallback_id`. Never fails.
ReadRecord RecordFromFields(RecordFields fields, const ReaderOptions& options,
                            Origin origin, std::string_view fallback_id);

// A skipped record at `origin` with one of the kSkip* reasons (reader.h),
// e.g. kSkipNotObject for a record that is not a mapping.
ReadRecord MakeSkippedRecord(Origin origin, std::string_view reason, std::string message);

}  // namespace storysift

#endif  // STORYSIFT_RECORD_FIELDS_H_
