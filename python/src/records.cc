#include "records.h"

#include <cmath>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "errors.h"
#include "ingest/encoding.h"
#include "ingest/utf8.h"
#include "storysift/date.h"
#include "storysift/record_fields.h"

namespace py = pybind11;

namespace storysift::python {
namespace {

constexpr size_t kMaxSeenFields = 64;

// numpy's scalar types once numpy is imported; until then no value is a
// numpy scalar, so records need not import it.
class NumpyTypes {
 public:
  NumpyTypes() {
    py::object numpy =
        py::reinterpret_steal<py::object>(PyImport_GetModule(py::str("numpy").ptr()));
    if (!numpy) {
      if (PyErr_Occurred()) throw py::error_already_set();
      return;
    }
    generic_ = numpy.attr("generic");
    datetime64_ = numpy.attr("datetime64");
  }
  bool IsScalar(const py::handle& v) const { return generic_ && py::isinstance(v, generic_); }
  bool IsDatetime(const py::handle& v) const { return py::isinstance(v, datetime64_); }

 private:
  py::object generic_, datetime64_;
};

// NaN, NaT and pandas.NA: unequal to themselves, or (NA) equal to
// themselves by a value without a truth value.
bool IsMissing(const py::handle& v) {
  // Not PyObject_RichCompareBool: it takes an object to equal itself.
  PyObject* same = PyObject_RichCompare(v.ptr(), v.ptr(), Py_EQ);
  const int truth = same == nullptr ? -1 : PyObject_IsTrue(same);
  Py_XDECREF(same);
  if (truth < 0) PyErr_Clear();
  return truth != 1;
}

// A value as a JSON reader would see it: None for JSON's null (None, and a
// missing value in pandas or numpy: NaN, NaT, pandas.NA), a numpy scalar as
// the Python scalar it holds (np.int64(7) as 7, np.bool_ as bool, np.float32
// as float), np.datetime64 as its ISO 8601 text; others as they are.
py::object PlainValue(const py::handle& v, const NumpyTypes& numpy) {
  if (!v || v.is_none()) return py::none();
  if (PyUnicode_Check(v.ptr()) || PyLong_Check(v.ptr()) || PyDict_Check(v.ptr()) ||
      PyList_Check(v.ptr()) || PyTuple_Check(v.ptr())) {
    return py::reinterpret_borrow<py::object>(v);
  }
  if (PyFloat_Check(v.ptr())) {
    if (std::isnan(PyFloat_AS_DOUBLE(v.ptr()))) return py::none();
    return py::reinterpret_borrow<py::object>(v);
  }
  if (IsMissing(v)) return py::none();
  if (numpy.IsScalar(v)) {
    if (numpy.IsDatetime(v)) return py::str(v);  // "2020-01-01T10:00:00".
    // item() of np.longdouble is itself: no Python scalar holds it.
    py::object item = v.attr("item")();
    if (!numpy.IsScalar(item)) return PlainValue(item, numpy);
  }
  return py::reinterpret_borrow<py::object>(v);
}

// Mappings and lists are passed over, as JSON's objects and arrays.
bool IsScalar(const py::handle& v) {
  return !v.is_none() && !PyDict_Check(v.ptr()) && !PyList_Check(v.ptr()) &&
         !PyTuple_Check(v.ptr());
}

// The UTF-8 bytes of a str. A lone surrogate has none: U+DC80..U+DCFF (what
// errors="surrogateescape" makes of an undecodable byte) becomes its byte
// again, which RecordFromFields makes UTF-8 as the CLI does that byte in a
// file (MakeUtf8); any other (broken UTF-16) is replaced by U+FFFD, as
// RepairUtf8 replaces its three-byte form (so are escaped ones in the same
// str then), and sets *repaired.
std::string StrBytes(const py::handle& s, bool* repaired) {
  Py_ssize_t size = 0;
  if (const char* data = PyUnicode_AsUTF8AndSize(s.ptr(), &size)) {
    return std::string(data, static_cast<size_t>(size));
  }
  PyErr_Clear();
  py::object bytes = py::reinterpret_steal<py::object>(
      PyUnicode_AsEncodedString(s.ptr(), "utf-8", "surrogateescape"));
  if (bytes) return py::cast<std::string>(bytes);
  PyErr_Clear();
  bytes = py::reinterpret_steal<py::object>(
      PyUnicode_AsEncodedString(s.ptr(), "utf-8", "surrogatepass"));
  if (!bytes) throw py::error_already_set();
  std::string text = py::cast<std::string>(bytes);
  *repaired |= internal::RepairUtf8(&text);
  return text;
}

// A key as messages name it (str() of it, lone surrogates escaped).
std::string KeyText(const py::handle& key) {
  py::str text(key);
  return py::cast<std::string>(py::reinterpret_steal<py::object>(
      PyUnicode_AsEncodedString(text.ptr(), "utf-8", "backslashreplace")));
}

// A row's fields: a mapping, or row `row` of named columns.
class FieldSource {
 public:
  FieldSource(const py::dict* columns, size_t row, const NumpyTypes& numpy)
      : columns_(columns), row_(row), numpy_(numpy) {}
  FieldSource(const py::handle& mapping, const NumpyTypes& numpy)
      : mapping_(mapping), numpy_(numpy) {}

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

  // The first of `names` with a scalar value (PlainValue), else None.
  py::object Lookup(const std::vector<std::string>& names) const {
    for (const std::string& name : names) {
      py::object v = PlainValue(Find(name), numpy_);
      if (IsScalar(v)) return v;
    }
    return py::none();
  }

  const NumpyTypes& numpy() const { return numpy_; }

  void NoteFields(std::set<std::string>* seen) const {
    if (columns_ != nullptr) {
      for (auto item : *columns_) seen->insert(KeyText(item.first));
      return;
    }
    for (auto item : py::reinterpret_borrow<py::dict>(mapping_)) {
      if (seen->size() >= kMaxSeenFields) break;
      seen->insert(KeyText(item.first));
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
  const NumpyTypes& numpy_;
};

// A str's UTF-8 (StrBytes), or a bytes object's bytes as they are (made
// UTF-8 by RecordFromFields, as the CLI makes a file's bytes); nullopt for
// anything else.
std::optional<std::string> TextOf(const py::handle& v, bool* repaired) {
  if (PyUnicode_Check(v.ptr())) return StrBytes(v, repaired);
  if (PyBytes_Check(v.ptr())) return py::cast<std::string>(v);
  return std::nullopt;
}

// Strings (str or bytes) as they are; integers in decimal; integral floats
// as integers.
// Whether the int `v` is within int64 or uint64, as a JSON integer must be
// for the JSON reader to keep it.
bool FitsIn64Bits(const py::handle& v) {
  int overflow = 0;
  PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
  if (overflow == 0) return true;
  if (overflow < 0) return false;
  PyLong_AsUnsignedLongLong(v.ptr());
  if (PyErr_Occurred() == nullptr) return true;
  PyErr_Clear();
  return false;
}

std::optional<std::string> ScalarText(const py::handle& v, bool* repaired) {
  if (std::optional<std::string> text = TextOf(v, repaired)) return text;
  if (PyBool_Check(v.ptr())) return std::nullopt;
  if (PyLong_Check(v.ptr())) {
    // A JSON number beyond 64 bits reads as no value (JsonRecord): an id
    // falls back to the positional one, a date is counted unparsed.
    if (!FitsIn64Bits(v)) return std::nullopt;
    return py::str(v).cast<std::string>();
  }
  if (PyFloat_Check(v.ptr())) {
    const double d = PyFloat_AS_DOUBLE(v.ptr());
    if (std::isinf(d)) return std::nullopt;  // JSON's 1e400, beyond the double range.
    if (std::abs(d) < 9e15 && d == std::floor(d)) return absl::StrCat(static_cast<int64_t>(d));
    return absl::StrFormat("%.17g", d);
  }
  return std::nullopt;
}

std::string StringField(const FieldSource& src, const std::vector<std::string>& names,
                        bool* repaired) {
  return TextOf(src.Lookup(names), repaired).value_or("");
}

void ReadDate(const FieldSource& src, const std::vector<std::string>& names,
              RecordFields* fields, bool* repaired) {
  py::object v = src.Lookup(names);
  if (v.is_none()) {
    // A mapping or list where a date goes is counted, as the JSON reader
    // counts an object or array date ({"y": 2017}, ["2017-03-02"]).
    for (const std::string& name : names) {
      py::object given = PlainValue(src.Find(name), src.numpy());
      if (!given.is_none() && !IsScalar(given)) {
        fields->date_unreadable = true;
        break;
      }
    }
    return;
  }
  if (PyFloat_Check(v.ptr())) {
    // By its value, as a JSON number is (2017.0 is a year, 2017.9 no date);
    // passed on as the ISO text of its date, which reads back exactly.
    const std::optional<int64_t> date = DateFromNumber(PyFloat_AS_DOUBLE(v.ptr()));
    fields->date = date ? FormatDate(*date) : std::string("not a date");
  } else if (std::optional<std::string> text = ScalarText(v, repaired)) {
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
  bool repaired = false;
  if (std::optional<std::string> text = TextOf(src.Lookup(names.text), &repaired)) {
    fields.text = std::move(*text);
  }
  py::object id = src.Lookup(names.id);
  if (!id.is_none()) fields.id = ScalarText(id, &repaired).value_or("");
  fields.title = StringField(src, names.title, &repaired);
  fields.source = StringField(src, names.source, &repaired);
  fields.url = StringField(src, names.url, &repaired);
  ReadDate(src, names.date, &fields, &repaired);
  ReadRecord record = RecordFromFields(std::move(fields), options, std::move(origin), fallback_id);
  record.doc.flags.utf8_repaired |= repaired;
  return record;
}

}  // namespace

std::string TextArgument(const py::handle& value, const char* what, bool* repaired) {
  std::string text;
  if (PyUnicode_Check(value.ptr())) {
    text = StrBytes(value, repaired);
  } else if (PyBytes_Check(value.ptr())) {
    text = py::cast<std::string>(value);
  } else {
    throw py::type_error(absl::StrCat(what, " must be str, not ", Py_TYPE(value.ptr())->tp_name));
  }
  *repaired |= internal::MakeUtf8(&text).replaced;
  return text;
}

void FieldPresence::Merge(const FieldPresence& other) {
  required_found.resize(std::max(required_found.size(), other.required_found.size()), false);
  for (size_t i = 0; i < other.required_found.size(); ++i) {
    if (other.required_found[i]) required_found[i] = true;
  }
  for (const std::string& field : other.seen) {
    if (seen.size() >= kMaxSeenFields) break;
    seen.insert(field);
  }
  records += other.records;
}

ConvertedRecords ConvertRecords(const py::handle& records, const ReaderOptions& options,
                                const std::string& origin_name, bool name_missing_ids) {
  ConvertedRecords out;
  out.summary.path = origin_name;
  FieldPresence& presence = out.fields;
  presence.required_found.assign(options.fields.required.size(), false);
  const NumpyTypes numpy;
  auto add = [&](const FieldSource& src, size_t index) {
    const uint64_t line = index + 1;
    const std::string fallback_id =
        name_missing_ids ? absl::StrCat(origin_name, ":", line) : std::string();
    for (size_t i = 0; i < presence.required_found.size(); ++i) {
      if (!presence.required_found[i] && src.Find(options.fields.required[i])) {
        presence.required_found[i] = true;
      }
    }
    if (presence.seen.size() < kMaxSeenFields) src.NoteFields(&presence.seen);
    out.records.push_back(Convert(src, options, Origin{origin_name, line}, fallback_id));
  };
  const bool columnar = PyDict_Check(records.ptr()) &&
                        PyDict_GetItemString(records.ptr(), "__columns__") != nullptr;
  if (columnar) {
    py::dict columns = py::reinterpret_borrow<py::dict>(records)["__columns__"];
    size_t rows = 0;
    for (auto item : columns) rows = py::len(item.second);
    out.records.reserve(rows);
    for (size_t r = 0; r < rows; ++r) add(FieldSource(&columns, r, numpy), r);
  } else {
    size_t index = 0;
    for (py::handle record : records) {
      if (PyDict_Check(record.ptr())) {
        add(FieldSource(record, numpy), index);
      } else {
        out.records.push_back(MakeSkippedRecord(Origin{origin_name, index + 1}, kSkipNotObject,
                                            "record is not a dict"));
      }
      ++index;
    }
  }
  presence.records = out.records.size();
  for (const ReadRecord& r : out.records) {
    if (r.skipped()) {
      ++out.summary.skipped_by_reason[r.skip_reason];
    } else {
      ++out.summary.documents;
    }
  }
  return out;
}

void CheckRequiredFields(const FieldPresence& fields, const ReaderOptions& options,
                         const std::string& origin_name) {
  std::vector<std::string> missing;
  for (size_t i = 0; i < options.fields.required.size(); ++i) {
    if (i >= fields.required_found.size() || !fields.required_found[i]) {
      missing.push_back(absl::StrCat("\"", options.fields.required[i], "\""));
    }
  }
  if (!missing.empty() && fields.records > 0) {
    ThrowIfError(absl::InvalidArgumentError(
        absl::StrCat(origin_name, ": no record has the field ", absl::StrJoin(missing, ", "),
                     "; fields seen: ", absl::StrJoin(fields.seen, ", "))));
  }
}

}  // namespace storysift::python
