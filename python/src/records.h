// Python records -> the library's ReadRecords, by the JSON readers' rules
// (RecordFromFields): field aliases (FieldNames) or the names given, dotted
// paths into nested dicts, the first present scalar of each alias list.
// Values as JSON would hold them: None, NaN, NaT and pandas.NA are JSON's
// null; numpy scalars are the Python scalars they hold (np.int64(7) is 7);
// np.datetime64 and datetime-likes are dates in ISO 8601. A str's lone
// surrogates are invalid bytes, repaired as the CLI repairs them in a file.
#ifndef STORYSIFT_PYTHON_RECORDS_H_
#define STORYSIFT_PYTHON_RECORDS_H_

#include <set>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "storysift/reader.h"
#include "storysift/report.h"

namespace storysift::python {

// Which of the fields named by *_field options (FieldNames::required) some
// record has, for the CLI's check that each names a field of the input.
struct FieldPresence {
  std::vector<bool> required_found;  // One per options.fields.required.
  std::set<std::string> seen;        // Fields the records have (the first 64).
  size_t records = 0;                // Records read, mappings or not.

  // Adds `other`'s records (another part of the same input).
  void Merge(const FieldPresence& other);
};

struct ConvertedRecords {
  std::vector<ReadRecord> records;
  InputSummary summary;  // For the library's empty-input accounting.
  FieldPresence fields;
};

// `records`: an iterable of mappings, or a dict {"__columns__": {name:
// list}} of equal-length columns (a DataFrame's, handed over by the Python
// layer), each row read as a mapping. A record that is not a mapping is
// skipped "not_object". Origins are `origin_name`:N (1-based), as a JSON
// lines file's, which also name records without an id unless
// `name_missing_ids` is false (the streaming stages refuse an empty id).
// Does not check the *_field options: CheckRequiredFields does, once the
// whole input is read.
ConvertedRecords ConvertRecords(const pybind11::handle& records, const ReaderOptions& options,
                                const std::string& origin_name, bool name_missing_ids = true);

// A str (or bytes) argument as the UTF-8 text the CLI reads for the same
// bytes in a file, so that a text or id given directly matches the one given
// in a record: lone surrogates as StrBytes reads them in records
// (surrogateescape's U+DC80..U+DCFF are their bytes, any other is U+FFFD),
// then bytes that are not UTF-8 read as Windows-1252 (MakeUtf8; U+FFFD where
// it has no character) and NULs dropped. Sets *repaired when something
// became U+FFFD. TypeError naming `what` for any other type.
std::string TextArgument(const pybind11::handle& value, const char* what, bool* repaired);

// ValueError when a field named in options.fields.required appears in no
// record of a non-empty input, listing the fields seen (the CLI's rule);
// `origin_name` names the input.
void CheckRequiredFields(const FieldPresence& fields, const ReaderOptions& options,
                         const std::string& origin_name);

}  // namespace storysift::python

#endif  // STORYSIFT_PYTHON_RECORDS_H_
