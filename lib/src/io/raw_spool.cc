// RawRecordSpool: the deduplicated corpus written back as it was read.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "ingest/raw_tail.h"
#include "io/dedup_writer.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

// What the kept records are copied out in.
constexpr size_t kCopyChunkBytes = size_t{1} << 20;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

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

// The line break that ends `bytes` ("\n" or "\r\n"), or "" when none does.
std::string_view LineBreakOf(std::string_view bytes) {
  if (!bytes.ends_with('\n')) return {};
  return bytes.ends_with("\r\n") ? "\r\n" : "\n";
}

// The bytes written for `doc` (see RawRecordSpool), with the line break the
// record had; one that had none (the last line of a file without one, an
// array element, a whole file, a WARC record) is ended by WriteKept.
std::string RecordBytes(const Document& doc) {
  if (doc.raw.empty() || doc.origin.line == 0) return DocumentJsonLine(doc);
  if (ShapeOf(doc) != Shape::kJsonLine) return doc.raw;
  std::string_view body = doc.raw;
  const std::string_view line_break = LineBreakOf(body);
  body.remove_suffix(line_break.size());
  if (body.find('\n') == std::string_view::npos) return doc.raw;  // A JSON line.
  // An element of a pretty-printed array spans lines. A line break in valid
  // JSON is whitespace between tokens (strings escape theirs), so a space
  // keeps every field and value and makes it one JSON line.
  std::string line(body);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

std::string WithoutLineBreak(std::string_view bytes) {
  bytes.remove_suffix(LineBreakOf(bytes).size());
  return std::string(bytes);
}

absl::Status IoError(const char* what) {
  return absl::InternalError(
      absl::StrCat("keep-first spool: ", what, ": ", std::strerror(errno)));
}

// The last two bytes of `before` followed by `more`: enough to tell the
// line break that ends a record copied in chunks.
std::string LastTwoBytes(std::string_view before, std::string_view more) {
  std::string joined(before);
  joined.append(more.substr(more.size() - std::min<size_t>(2, more.size())));
  return joined.substr(joined.size() - std::min<size_t>(2, joined.size()));
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
  // Headers that differ only in their line break are one header: the
  // first file's is written.
  if (csv && header_ != nullptr &&
      WithoutLineBreak(*header_) != WithoutLineBreak(*doc.raw_header)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--keep-first: ", doc.origin.ToString(), " has the header \"",
        WithoutLineBreak(*doc.raw_header), "\" but ", first_origin_, " has \"",
        WithoutLineBreak(*header_),
        "\"; files with different headers cannot make one file: dedup them separately"));
  }
  if (csv && header_ == nullptr) header_ = doc.raw_header;
  const bool made_line = doc.raw.empty() || doc.origin.line == 0;
  if (made_line && doc.flags.truncated) {
    // Its fields are all that is left of it, and the text was cut: refused
    // by WriteKept if the record is kept.
    cut_records_.push_back({static_cast<DocOrdinal>(offsets_.size() - 1), doc.origin.ToString()});
  }
  const std::string bytes = RecordBytes(doc);
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return IoError("write failed");
  }
  uint64_t size = bytes.size();
  if (doc.raw_tail != nullptr) {
    // Only a WARC record outgrows memory; a JSON line is rewritten whole.
    if (shape == Shape::kJsonLine) {
      return absl::InternalError(absl::StrCat(doc.origin.ToString(),
                                              ": a JSON line with bytes beyond memory"));
    }
    STORYSIFT_RETURN_IF_ERROR(doc.raw_tail->ForEachChunk([this](std::string_view chunk) {
      return std::fwrite(chunk.data(), 1, chunk.size(), file_) == chunk.size()
                 ? absl::OkStatus()
                 : IoError("write failed");
    }));
    size += doc.raw_tail->size();
  }
  offsets_.push_back(offsets_.back() + size);
  bom_.push_back(doc.raw_bom);
  return absl::OkStatus();
}

absl::Status RawRecordSpool::CheckKeptAreWhole(
    const std::function<bool(DocOrdinal)>& keep) const {
  for (const auto& [ordinal, origin] : cut_records_) {
    if (!keep(ordinal)) continue;
    return absl::InvalidArgumentError(absl::StrCat(
        "--keep-first: ", origin, " is longer than --max-doc-bytes, so its text was cut when "
        "read and cannot be written whole; raise --max-doc-bytes (0: no limit)"));
  }
  return absl::OkStatus();
}

absl::Status RawRecordSpool::WriteKept(const std::function<bool(DocOrdinal)>& keep,
                                       OutputFile* out) {
  STORYSIFT_RETURN_IF_ERROR(CheckKeptAreWhole(keep));
  if (std::fflush(file_) != 0) return IoError("flush failed");
  // The output is UTF-8; it starts with a byte order mark where the input
  // of its first record did (any BOM: a UTF-16 file's records come out as
  // UTF-8), so a spreadsheet reads a kept CSV as it read the input.
  for (DocOrdinal d = 0; d < bom_.size(); ++d) {
    if (!keep(d)) continue;
    if (bom_[d]) out->Write(kUtf8Bom);
    break;
  }
  // A record read without a line break gets the last one written (the
  // header's, or LF), so a CRLF file stays CRLF throughout; a WARC record
  // is ended as ISO 28500 ends one, by two CRLFs.
  const bool warc = static_cast<Shape>(first_shape_) == Shape::kWarc;
  std::string last_break = "\n";
  if (header_ != nullptr) {
    out->Write(*header_);
    const std::string_view header_break = LineBreakOf(*header_);
    if (header_break.empty()) {
      out->Write(last_break);
    } else {
      last_break = header_break;
    }
  }
  std::string chunk;
  bool positioned = false;  // The file position is at the next record.
  for (DocOrdinal d = 0; d + 1 < offsets_.size(); ++d) {
    if (!keep(d)) {
      positioned = false;
      continue;
    }
    if (!positioned && fseeko(file_, static_cast<off_t>(offsets_[d]), SEEK_SET) != 0) {
      return IoError("seek failed");
    }
    positioned = true;
    // In chunks: a WARC record may be larger than memory should hold.
    std::string ending;  // The record's last two bytes.
    for (uint64_t left = offsets_[d + 1] - offsets_[d]; left > 0;) {
      chunk.resize(static_cast<size_t>(std::min<uint64_t>(left, kCopyChunkBytes)));
      if (std::fread(chunk.data(), 1, chunk.size(), file_) != chunk.size()) {
        return IoError("read failed");
      }
      out->Write(chunk);
      ending = LastTwoBytes(ending, chunk);
      left -= chunk.size();
    }
    if (warc) {
      out->Write("\r\n\r\n");
      // A .warc.gz holds one gzip member a record (OutputFile compresses
      // as the name asks).
      out->EndMember();
      continue;
    }
    const std::string_view record_break = LineBreakOf(ending);
    if (record_break.empty()) {
      // A last line ending in a lone CR gets the LF that makes it CRLF.
      out->Write(ending.ends_with('\r') ? std::string_view("\n") : last_break);
    } else {
      last_break = record_break;
    }
  }
  return absl::OkStatus();
}

}  // namespace storysift
