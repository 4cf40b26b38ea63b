// Format dispatch: OpenReader, sniffing, ReadAll.
#include "storysift/reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ingest/ascii.h"
#include "ingest/reader_internal.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace internal {
namespace {

// How much of a stream is read to sniff its format at most.
constexpr size_t kSniffBytes = 64 * 1024;

bool HasSuffixIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         EqualsIgnoreCaseAscii(s.substr(s.size() - suffix.size()), suffix);
}

// With keep_raw, marks the records of an input that began with a byte order
// mark (Document::raw_bom): the byte layer removed it from every record's
// bytes, and `dedup --keep-first` writes it back.
class RawBomReader : public DocumentReader {
 public:
  // `source` is owned by `reader`.
  RawBomReader(std::unique_ptr<DocumentReader> reader, const ByteSource* source)
      : reader_(std::move(reader)), source_(source) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    absl::StatusOr<bool> more = reader_->Next(record);
    if (more.ok() && *more) record->doc.raw_bom = source_->had_bom();
    return more;
  }

 private:
  std::unique_ptr<DocumentReader> reader_;
  const ByteSource* source_;
};

std::unique_ptr<DocumentReader> NewRecordReader(InputFormat format,
                                                std::unique_ptr<ByteSource> source,
                                                const ReaderOptions& options) {
  switch (format) {
    case InputFormat::kJsonl:
      return NewJsonlReader(std::move(source), options);
    case InputFormat::kCsv:
      return NewCsvReader(std::move(source), options);
    case InputFormat::kWarc:
      return NewWarcReader(std::move(source), options);
    case InputFormat::kTsv:
      return NewTsvReader(std::move(source), options);
    default: {
      // The path as given: two files of one name in one run stay apart.
      std::string id = source->name();
      return NewTextReader(std::move(source), std::move(id), options);
    }
  }
}

std::unique_ptr<DocumentReader> NewReader(InputFormat format,
                                          std::unique_ptr<ByteSource> source,
                                          const ReaderOptions& options) {
  const ByteSource* bytes = source.get();
  std::unique_ptr<DocumentReader> reader = NewRecordReader(format, std::move(source), options);
  // A whole-file document is written back as a JSON line of its fields,
  // not as read: its file's BOM is not the output's.
  const bool written_as_read = format == InputFormat::kJsonl || format == InputFormat::kCsv ||
                               format == InputFormat::kTsv || format == InputFormat::kWarc;
  if (!options.keep_raw || !written_as_read) return reader;
  return std::make_unique<RawBomReader>(std::move(reader), bytes);
}

// Peeks (decompressed, decoded) up to the end of the first non-blank line,
// at most kSniffBytes, and picks the format; nothing is consumed.
absl::StatusOr<InputFormat> SniffSource(ByteSource* source, const ReaderOptions& options) {
  for (size_t want = 4096;; want *= 4) {
    want = std::min(want, kSniffBytes);
    STORYSIFT_RETURN_IF_ERROR(source->Peek(want));
    const std::string_view head(source->data(), source->size());
    const std::string_view rest = StripLeadingSpace(head);
    if (head.size() < want || want == kSniffBytes ||
        (!rest.empty() && rest.find('\n') != std::string_view::npos)) {
      return SniffFormat(head.substr(0, std::min(head.size(), kSniffBytes)), options.fields);
    }
  }
}

absl::StatusOr<std::unique_ptr<DocumentReader>> SniffAndOpen(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options) {
  STORYSIFT_ASSIGN_OR_RETURN(const InputFormat format, SniffSource(source.get(), options));
  return NewReader(format, std::move(source), options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<DocumentReader>> OpenIfRecordFile(const std::string& path,
                                                                 const ReaderOptions& options,
                                                                 std::string* why_not) {
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source,
                             ByteSource::OpenFile(path, SourceOptions(options)));
  STORYSIFT_ASSIGN_OR_RETURN(const InputFormat format, SniffSource(source.get(), options));
  if (format != InputFormat::kText) return NewReader(format, std::move(source), options);
  const std::string_view head(source->data(), std::min(source->size(), kBinarySniffBytes));
  const bool binary = head.find('\0') != std::string_view::npos;
  *why_not = absl::StrCat(
      "not read: its name has no document extension (.jsonl .ndjson .json .csv .tsv .warc "
      ".txt .text .html .htm .md, each also with .gz/.zst/.xz) and its content is not JSON, "
      "CSV/TSV with a text column or WARC",
      binary ? " (binary: compressed with a format other than gzip, zstd or xz?)"
             : " (plain text? give it a .txt extension, or name it as an input, to read it "
               "as one document)");
  return nullptr;
}

InputFormat SniffFormat(std::string_view prefix, const FieldNames& fields) {
  if (prefix.starts_with("\xEF\xBB\xBF")) prefix.remove_prefix(3);
  const std::string_view s = StripLeadingSpace(prefix);
  // Nothing but blanks holds no record (read as text, it was one empty one).
  if (s.empty()) return InputFormat::kJsonl;
  if (s.front() == '{') return InputFormat::kJsonl;
  // An array of objects; "[Reuters] Markets..." stays an article.
  if (!s.empty() && s.front() == '[') {
    const std::string_view inside = StripLeadingSpace(s.substr(1));
    if (inside.empty() || inside.front() == '{' || inside.front() == ']') {
      return InputFormat::kJsonl;
    }
  }
  if (s.starts_with("WARC/")) return InputFormat::kWarc;
  // CSV/TSV: the first line is a header of short names, one of them a text
  // column. An article whose first line has a comma is not.
  std::string_view line = prefix.substr(0, prefix.find('\n'));
  const char delimiter =
      line.find('\t') != std::string_view::npos ? '\t' : ',';
  if (line.find(delimiter) == std::string_view::npos) return InputFormat::kText;
  bool has_text_column = false;
  for (absl::string_view part : absl::StrSplit(ToAbsl(line), delimiter)) {
    std::string_view name = StripSpace(std::string_view(part.data(), part.size()));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    if (name.empty() || name.size() > 64) return InputFormat::kText;
    for (const std::string& t : fields.text) {
      has_text_column |= EqualsIgnoreCaseAscii(name, t);
    }
  }
  if (!has_text_column) return InputFormat::kText;
  return delimiter == '\t' ? InputFormat::kTsv : InputFormat::kCsv;
}

absl::StatusOr<std::unique_ptr<DocumentReader>> OpenReaderFromStream(
    FILE* file, std::string name, const ReaderOptions& options) {
  if (options.format == InputFormat::kDirectory) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": a stream cannot be read as a directory"));
  }
  auto source = ByteSource::FromFile(file, /*owned=*/false, std::move(name),
                                     SourceOptions(options));
  if (options.format == InputFormat::kAuto) return SniffAndOpen(std::move(source), options);
  return NewReader(options.format, std::move(source), options);
}

std::string_view StripCompressionSuffix(std::string_view path) {
  for (const char* ext : {".gz", ".zst", ".zstd", ".xz"}) {
    if (HasSuffixIgnoreCase(path, ext)) return path.substr(0, path.size() - std::strlen(ext));
  }
  return path;
}

bool IsHtmlPath(std::string_view path) {
  path = StripCompressionSuffix(path);
  return HasSuffixIgnoreCase(path, ".html") || HasSuffixIgnoreCase(path, ".htm");
}

InputFormat FormatFromExtension(std::string_view path) {
  path = StripCompressionSuffix(path);
  for (const char* ext : {".jsonl", ".json", ".ndjson"}) {
    if (HasSuffixIgnoreCase(path, ext)) return InputFormat::kJsonl;
  }
  if (HasSuffixIgnoreCase(path, ".csv")) return InputFormat::kCsv;
  if (HasSuffixIgnoreCase(path, ".tsv")) return InputFormat::kTsv;
  if (HasSuffixIgnoreCase(path, ".warc")) return InputFormat::kWarc;
  for (const char* ext : {".txt", ".text", ".html", ".htm", ".md"}) {
    if (HasSuffixIgnoreCase(path, ext)) return InputFormat::kText;
  }
  return InputFormat::kAuto;
}

ByteSourceOptions SourceOptions(const ReaderOptions& options) {
  ByteSourceOptions o;
  o.encoding = options.encoding;
  o.bytes_read = options.bytes_read;
  return o;
}

absl::StatusOr<std::unique_ptr<DocumentReader>> OpenFileReader(
    const std::string& path, InputFormat format, const ReaderOptions& options) {
  if (format == InputFormat::kAuto) format = FormatFromExtension(path);
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source,
                             ByteSource::OpenFile(path, SourceOptions(options)));
  if (format == InputFormat::kAuto) return SniffAndOpen(std::move(source), options);
  return NewReader(format, std::move(source), options);
}

}  // namespace internal

absl::StatusOr<InputFormat> ParseInputFormat(std::string_view name) {
  if (name == "auto") return InputFormat::kAuto;
  if (name == "jsonl" || name == "json") return InputFormat::kJsonl;
  if (name == "csv") return InputFormat::kCsv;
  if (name == "tsv") return InputFormat::kTsv;
  if (name == "dir") return InputFormat::kDirectory;
  if (name == "text") return InputFormat::kText;
  if (name == "warc") return InputFormat::kWarc;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown input format \"", internal::ToAbsl(name),
      "\" (expected auto, jsonl, csv, tsv, dir, text or warc)"));
}

absl::Status CheckEncoding(const std::string& name) {
  return internal::CheckEncodingName(name);
}

absl::StatusOr<std::unique_ptr<DocumentReader>> OpenReader(
    std::string_view path, const ReaderOptions& options) {
  if (path == "-") {
    return internal::OpenReaderFromStream(stdin, "stdin", options);
  }
  const std::string p(path);
  struct stat st;
  if (::stat(p.c_str(), &st) != 0) {
    const int err = errno;
    const std::string message = absl::StrCat(p, ": ", std::strerror(err));
    if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(message);
    if (err == EACCES) return absl::PermissionDeniedError(message);
    return absl::InternalError(message);
  }
  InputFormat format = options.format;
  if (S_ISDIR(st.st_mode)) {
    if (format != InputFormat::kAuto && format != InputFormat::kDirectory) {
      return absl::InvalidArgumentError(
          absl::StrCat(p, " is a directory; use format dir or auto"));
    }
    return internal::NewDirectoryReader(p, options);
  }
  if (format == InputFormat::kDirectory) {
    return absl::InvalidArgumentError(absl::StrCat(p, " is not a directory"));
  }
  return internal::OpenFileReader(p, format, options);
}

absl::Status ReadAll(const std::vector<std::string>& paths,
                     const ReaderOptions& options, std::vector<Document>* docs,
                     std::vector<ReadRecord>* skipped) {
  for (const std::string& path : paths) {
    STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<DocumentReader> reader,
                               OpenReader(path, options));
    ReadRecord record;
    while (true) {
      STORYSIFT_ASSIGN_OR_RETURN(const bool more, reader->Next(&record));
      if (!more) break;
      if (record.skipped()) {
        skipped->push_back(std::move(record));
      } else {
        docs->push_back(std::move(record.doc));
      }
      record = ReadRecord();
    }
  }
  return absl::OkStatus();
}

}  // namespace storysift
