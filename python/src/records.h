// Python records -> the library's ReadRecords, by the JSON readers' rules
// (RecordFromFields): field aliases (FieldNames) or the names given, dotted
// paths into nested dicts, the first present scalar of each alias list.
#ifndef STORYSIFT_PYTHON_RECORDS_H_
#define STORYSIFT_PYTHON_RECORDS_H_

#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "storysift/reader.h"
#include "storysift/report.h"

namespace storysift::python {

struct ConvertedRecords {
  std::vector<ReadRecord> records;
  InputSummary summary;  // For the library's empty-input accounting.
};

// `records`: an iterable of mappings, or a dict {"__columns__": {name:
// list}} of equal-length columns (a DataFrame's, handed over by the Python
// layer), each row read as a mapping. A record that is not a mapping is
// skipped "not_object". Origins are `origin_name`:N (1-based), as a JSON
// lines file's, which also name records without an id unless
// `name_missing_ids` is false (the streaming stages refuse an empty id).
// ValueError when a field named in options.fields.required appears in no
// record, listing the fields seen (the CLI's rule).
ConvertedRecords ConvertRecords(const pybind11::handle& records, const ReaderOptions& options,
                                const std::string& origin_name, bool name_missing_ids = true);

}  // namespace storysift::python

#endif  // STORYSIFT_PYTHON_RECORDS_H_
