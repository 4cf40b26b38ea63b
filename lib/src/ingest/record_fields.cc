#include "storysift/record_fields.h"

#include <utility>

#include "absl/strings/str_join.h"
#include "ingest/reader_internal.h"

namespace storysift {

ReadRecord RecordFromFields(RecordFields fields, const ReaderOptions& options,
                            Origin origin, std::string_view fallback_id) {
  ReadRecord record;
  record.doc.origin = origin;
  record.origin = std::move(origin);
  if (!fields.text) {
    internal::SetSkip(&record, kSkipMissingText,
                      "no string field named " + absl::StrJoin(options.fields.text, " or "));
    return record;
  }
  Document& doc = record.doc;
  doc.text = std::move(*fields.text);
  doc.id = std::move(fields.id);
  doc.title = std::move(fields.title);
  doc.source = std::move(fields.source);
  doc.url = std::move(fields.url);
  if (fields.date) internal::SetDate(*fields.date, &doc);
  if (fields.date_unreadable) doc.flags.date_unparsed = true;
  internal::FinishDocument(options, fallback_id, &record);
  return record;
}

ReadRecord MakeSkippedRecord(Origin origin, std::string_view reason, std::string message) {
  ReadRecord record;
  record.doc.origin = origin;
  record.origin = std::move(origin);
  internal::SetSkip(&record, reason, std::move(message));
  return record;
}

}  // namespace storysift
