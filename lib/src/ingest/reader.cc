// Format dispatch: OpenReader, sniffing, ReadAll.
#include "storysift/reader.h"

#include <sys/stat.h>

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

// The format an extension names, or kAuto.
InputFormat FormatFromExtension(std::string_view path) {
  for (const char* ext : {".jsonl", ".json", ".ndjson"}) {
    if (HasSuffixIgnoreCase(path, ext)) return InputFormat::kJsonl;
  }
  if (HasSuffixIgnoreCase(path, ".csv")) return InputFormat::kCsv;
  if (HasSuffixIgnoreCase(path, ".tsv")) return InputFormat::kTsv;
  for (const char* ext : {".txt", ".text", ".html", ".htm", ".md"}) {
    if (HasSuffixIgnoreCase(path, ext)) return InputFormat::kText;
  }
  return InputFormat::kAuto;
}

std::unique_ptr<DocumentReader> NewReader(InputFormat format,
                                          std::unique_ptr<ByteSource> source,
                                          const ReaderOptions& options) {
  switch (format) {
    case InputFormat::kJsonl:
      return NewJsonlReader(std::move(source), options);
    case InputFormat::kCsv:
      return NewCsvReader(std::move(source), options);
    case InputFormat::kTsv:
      return NewTsvReader(std::move(source), options);
    default: {
      std::string id(Basename(source->name()));
      return NewTextReader(std::move(source), std::move(id), options);
    }
  }
}

// Reads from `file` up to the end of the first non-blank line (at most
// kSniffBytes) and picks the format; the bytes read go back in front.
absl::StatusOr<std::unique_ptr<DocumentReader>> SniffAndOpen(
    FILE* file, bool owned, std::string name, const ReaderOptions& options) {
  std::string prefix;
  bool content = false;
  int c;
  while (prefix.size() < kSniffBytes && (c = std::getc(file)) != EOF) {
    prefix.push_back(static_cast<char>(c));
    if (c == '\n' && content) break;
    content |= !IsAsciiSpace(static_cast<char>(c));
  }
  if (std::ferror(file)) {
    const std::string message =
        absl::StrCat(name, ": read error: ", std::strerror(errno));
    if (owned) std::fclose(file);
    return absl::InternalError(message);
  }
  const InputFormat format = SniffFormat(prefix, options.fields);
  return NewReader(format,
                   ByteSource::FromFile(file, owned, std::move(name),
                                        std::move(prefix)),
                   options);
}

}  // namespace

InputFormat SniffFormat(std::string_view prefix, const FieldNames& fields) {
  if (prefix.starts_with("\xEF\xBB\xBF")) prefix.remove_prefix(3);
  const std::string_view s = StripLeadingSpace(prefix);
  if (!s.empty() && s.front() == '{') return InputFormat::kJsonl;
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
  if (options.format == InputFormat::kAuto) {
    return SniffAndOpen(file, /*owned=*/false, std::move(name), options);
  }
  return NewReader(options.format,
                   ByteSource::FromFile(file, /*owned=*/false, std::move(name)),
                   options);
}

}  // namespace internal

absl::StatusOr<InputFormat> ParseInputFormat(std::string_view name) {
  if (name == "auto") return InputFormat::kAuto;
  if (name == "jsonl" || name == "json") return InputFormat::kJsonl;
  if (name == "csv") return InputFormat::kCsv;
  if (name == "tsv") return InputFormat::kTsv;
  if (name == "dir") return InputFormat::kDirectory;
  if (name == "text") return InputFormat::kText;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown input format \"", internal::ToAbsl(name),
      "\" (expected auto, jsonl, csv, tsv, dir or text)"));
}

absl::StatusOr<std::unique_ptr<DocumentReader>> OpenReader(
    std::string_view path, const ReaderOptions& options) {
  using internal::ByteSource;
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
  if (format == InputFormat::kAuto) format = internal::FormatFromExtension(p);
  if (format == InputFormat::kAuto) {
    FILE* file = std::fopen(p.c_str(), "rb");
    if (file == nullptr) {
      return absl::PermissionDeniedError(
          absl::StrCat(p, ": ", std::strerror(errno)));
    }
    return internal::SniffAndOpen(file, /*owned=*/true, p, options);
  }
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source,
                             ByteSource::OpenFile(p));
  return internal::NewReader(format, std::move(source), options);
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
