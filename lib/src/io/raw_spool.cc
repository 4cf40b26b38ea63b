// RawRecordSpool: the deduplicated corpus written back as it was read.
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "io/dedup_writer.h"

namespace storysift {
namespace {

// How a record is written back: a line of JSON, a CSV/TSV record under its
// file's header, or a WARC record. One output holds one shape.
enum class Shape { kJsonLine, kCsv, kWarc };

Shape ShapeOf(const Document& doc) {
  if (doc.raw_header != nullptr) return Shape::kCsv;
  if (doc.origin.line != 0 && doc.raw.starts_with("WARC/")) return Shape::kWarc;
  return Shape::kJsonLine;
}

const char* ShapeName(Shape shape) {
  switch (shape) {
    case Shape::kCsv: return "a CSV/TSV record";
    case Shape::kWarc: return "a WARC record";
    case Shape::kJsonLine: break;
  }
  return "a JSON line";
}

// The bytes written for `doc` (see RawRecordSpool).
std::string RecordBytes(const Document& doc) {
  if (doc.raw.empty() || doc.origin.line == 0) return DocumentJsonLine(doc);
  if (ShapeOf(doc) != Shape::kJsonLine) return doc.raw;
  // An element of a pretty-printed array spans lines. A line break in valid
  // JSON is whitespace between tokens (strings escape theirs), so a space
  // keeps every field and value and makes it one JSON line.
  std::string line = doc.raw;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

absl::Status IoError(const char* what) {
  return absl::InternalError(
      absl::StrCat("keep-first spool: ", what, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RawRecordSpool>> RawRecordSpool::Create() {
  std::FILE* file = std::tmpfile();  // Unlinked: gone with the process.
  if (file == nullptr) return IoError("cannot create a temporary file");
  return std::unique_ptr<RawRecordSpool>(new RawRecordSpool(file));
}

RawRecordSpool::~RawRecordSpool() { std::fclose(file_); }

absl::Status RawRecordSpool::Add(const Document& doc) {
  const Shape shape = ShapeOf(doc);
  const bool csv = shape == Shape::kCsv;
  const bool first = offsets_.size() == 1;
  if (first) {
    first_origin_ = doc.origin.ToString();
    first_shape_ = static_cast<int>(shape);
  }
  if (static_cast<int>(shape) != first_shape_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--keep-first writes the records as they were read, so its inputs must share one "
        "shape: ", doc.origin.ToString(), " is ", ShapeName(shape), " but ", first_origin_,
        " is ", ShapeName(static_cast<Shape>(first_shape_)), "; dedup them in separate runs"));
  }
  if (csv && header_ != nullptr && *header_ != *doc.raw_header) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--keep-first: ", doc.origin.ToString(), " has the header \"", *doc.raw_header,
        "\" but ", first_origin_, " has \"", *header_,
        "\"; files with different headers cannot make one file: dedup them separately"));
  }
  if (csv && header_ == nullptr) header_ = doc.raw_header;
  const std::string bytes = RecordBytes(doc);
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return IoError("write failed");
  }
  offsets_.push_back(offsets_.back() + bytes.size());
  return absl::OkStatus();
}

absl::Status RawRecordSpool::WriteKept(const std::function<bool(DocOrdinal)>& keep,
                                       OutputFile* out) {
  if (std::fflush(file_) != 0) return IoError("flush failed");
  if (header_ != nullptr) out->WriteLine(*header_);
  std::string record;
  bool positioned = false;  // The file position is at the next record.
  for (DocOrdinal d = 0; d + 1 < offsets_.size(); ++d) {
    if (!keep(d)) {
      positioned = false;
      continue;
    }
    if (!positioned && fseeko(file_, static_cast<off_t>(offsets_[d]), SEEK_SET) != 0) {
      return IoError("seek failed");
    }
    record.resize(offsets_[d + 1] - offsets_[d]);
    if (!record.empty() && std::fread(record.data(), 1, record.size(), file_) != record.size()) {
      return IoError("read failed");
    }
    positioned = true;
    out->WriteLine(record);
  }
  return absl::OkStatus();
}

}  // namespace storysift
