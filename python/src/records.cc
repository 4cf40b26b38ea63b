#include "records.h"

#include <cmath>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "errors.h"
#include "storysift/record_fields.h"

namespace py = pybind11;

namespace storysift::python {
namespace {

// Epoch seconds beyond this are not a date (the JSON reader's bound for a
// number with a fraction).
constexpr double kMaxEpochSeconds = 1e12;
constexpr size_t kMaxSeenFields = 64;

// Missing: absent, None, NaN or NaT (a DataFrame's empty cell), a mapping or
// a list (JSON's null, object and array are passed over).
bool IsScalar(const py::handle& v) {
  if (!v || v.is_none()) return false;
  if (PyUnicode_Check(v.ptr()) || PyLong_Check(v.ptr())) return true;
  if (PyDict_Check(v.ptr()) || PyList_Check(v.ptr()) || PyTuple_Check(v.ptr())) return false;
  // NaN and NaT are the only values unequal to themselves.
  return PyObject_RichCompareBool(v.ptr(), v.ptr(), Py_EQ) == 1;
}

// A row's fields: a mapping, or row `row` of named columns.
class FieldSource {
 public:
  FieldSource(const py::dict* columns, size_t row) : columns_(columns), row_(row) {}
  explicit FieldSource(const py::handle& mapping) : mapping_(mapping) {}

  // The value of `name` as a key, else as a dotted path through nested
  // mappings (a literal key wins); null when absent.
  py::handle Find(const std::string& name) const {
    py::handle v = Key(name);
    if (v || name.find('.') == std::string::npos || columns_ != nullptr) return v;
    py::handle current = mapping_;
    for (absl::string_view part : absl::StrSplit(name, '.')) {
      if (!current || !PyDict_Check(current.ptr())) return {};
      current = PyDict_GetItemString(current.ptr(), std::string(part).c_str());
    }
    return current;
  }

  // The first of `names` with a scalar value.
  py::handle Lookup(const std::vector<std::string>& names) const {
    for (const std::string& name : names) {
      py::handle v = Find(name);
      if (IsScalar(v)) return v;
    }
    return {};
  }

  void NoteFields(std::set<std::string>* seen) const {
    if (columns_ != nullptr) {
      for (auto item : *columns_) seen->insert(py::str(item.first));
      return;
    }
    for (auto item : py::reinterpret_borrow<py::dict>(mapping_)) {
      if (seen->size() >= kMaxSeenFields) break;
      seen->insert(py::str(item.first));
    }
  }

 private:
  py::handle Key(const std::string& name) const {
    if (columns_ != nullptr) {
      PyObject* column = PyDict_GetItemString(columns_->ptr(), name.c_str());
      return column == nullptr ? py::handle() : PyList_GET_ITEM(column, row_);
    }
    return PyDict_GetItemString(mapping_.ptr(), name.c_str());
  }

  const py::dict* columns_ = nullptr;
  size_t row_ = 0;
  py::handle mapping_;
};

// Strings as they are; integers in decimal; integral floats as integers.
std::optional<std::string> ScalarText(const py::handle& v) {
  if (PyUnicode_Check(v.ptr())) return v.cast<std::string>();
  if (PyBool_Check(v.ptr())) return std::nullopt;
  if (PyLong_Check(v.ptr())) return py::str(v).cast<std::string>();
  if (PyFloat_Check(v.ptr())) {
    const double d = PyFloat_AS_DOUBLE(v.ptr());
    if (std::abs(d) < 9e15 && d == std::floor(d)) return absl::StrCat(static_cast<int64_t>(d));
    return absl::StrFormat("%.17g", d);
  }
  return std::nullopt;
}

std::string StringField(const FieldSource& src, const std::vector<std::string>& names) {
  py::handle v = src.Lookup(names);
  return v && PyUnicode_Check(v.ptr()) ? v.cast<std::string>() : std::string();
}

void ReadDate(const FieldSource& src, const std::vector<std::string>& names,
              RecordFields* fields) {
  py::handle v = src.Lookup(names);
  if (!v) return;
  if (PyFloat_Check(v.ptr())) {
    // Epoch seconds with a fraction: dropped toward -infinity, as in JSON.
    const double d = std::floor(PyFloat_AS_DOUBLE(v.ptr()));
    fields->date = std::abs(d) < kMaxEpochSeconds ? absl::StrCat(static_cast<int64_t>(d))
                                                  : std::string("not a date");
  } else if (std::optional<std::string> text = ScalarText(v)) {
    fields->date = std::move(*text);
  } else if (py::hasattr(v, "isoformat")) {
    // datetime, date, pandas.Timestamp: ISO 8601, which the date parser reads.
    fields->date = py::str(v.attr("isoformat")()).cast<std::string>();
  } else {
    fields->date_unreadable = true;
  }
}

ReadRecord Convert(const FieldSource& src, const ReaderOptions& options, Origin origin,
                   const std::string& fallback_id) {
  const FieldNames& names = options.fields;
  RecordFields fields;
  py::handle text = src.Lookup(names.text);
  if (text && PyUnicode_Check(text.ptr())) fields.text = text.cast<std::string>();
  if (py::handle id = src.Lookup(names.id)) fields.id = ScalarText(id).value_or("");
  fields.title = StringField(src, names.title);
  fields.source = StringField(src, names.source);
  fields.url = StringField(src, names.url);
  ReadDate(src, names.date, &fields);
  return RecordFromFields(std::move(fields), options, std::move(origin), fallback_id);
}

}  // namespace

ConvertedRecords ConvertRecords(const py::handle& records, const ReaderOptions& options,
                                const std::string& origin_name, bool name_missing_ids) {
  ConvertedRecords out;
  out.summary.path = origin_name;
  std::vector<bool> required_found(options.fields.required.size(), false);
  std::set<std::string> seen;
  auto add = [&](const FieldSource& src, size_t index) {
    const uint64_t line = index + 1;
    const std::string fallback_id =
        name_missing_ids ? absl::StrCat(origin_name, ":", line) : std::string();
    for (size_t i = 0; i < required_found.size(); ++i) {
      if (!required_found[i] && src.Find(options.fields.required[i])) required_found[i] = true;
    }
    if (seen.size() < kMaxSeenFields) src.NoteFields(&seen);
    out.records.push_back(Convert(src, options, Origin{origin_name, line}, fallback_id));
  };
  const bool columnar = PyDict_Check(records.ptr()) &&
                        PyDict_GetItemString(records.ptr(), "__columns__") != nullptr;
  if (columnar) {
    py::dict columns = py::reinterpret_borrow<py::dict>(records)["__columns__"];
    size_t rows = 0;
    for (auto item : columns) rows = py::len(item.second);
    out.records.reserve(rows);
    for (size_t r = 0; r < rows; ++r) add(FieldSource(&columns, r), r);
  } else {
    size_t index = 0;
    for (py::handle record : records) {
      if (PyDict_Check(record.ptr())) {
        add(FieldSource(record), index);
      } else {
        out.records.push_back(MakeSkippedRecord(Origin{origin_name, index + 1}, kSkipNotObject,
                                            "record is not a dict"));
      }
      ++index;
    }
  }
  for (const ReadRecord& r : out.records) {
    if (r.skipped()) {
      ++out.summary.skipped_by_reason[r.skip_reason];
    } else {
      ++out.summary.documents;
    }
  }
  std::vector<std::string> missing;
  for (size_t i = 0; i < required_found.size(); ++i) {
    if (!required_found[i]) missing.push_back(absl::StrCat("\"", options.fields.required[i], "\""));
  }
  if (!missing.empty() && !out.records.empty()) {
    ThrowIfError(absl::InvalidArgumentError(
        absl::StrCat(origin_name, ": no record has the field ", absl::StrJoin(missing, ", "),
                     "; fields seen: ", absl::StrJoin(seen, ", "))));
  }
  return out;
}

}  // namespace storysift::python
