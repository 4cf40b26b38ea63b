// Readers for gold/predicted label files (JSON lines or a JSON array, via
// the simdjson DOM API) and pair files (TSV), read through the readers' byte
// source (decompression, BOMs, UTF-16/32).
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ingest/byte_source.h"
#include "ingest/line_source.h"
#include "ingest/reader_internal.h"
#include "io/merged_story_line.h"
#include "io/tsv_field.h"
#include "simdjson.h"
#include "storysift/eval.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

// Label of an item that forms a cluster of its own. The NUL byte keeps it
// apart from any label a file can spell.
std::string SingletonLabel(const std::string& id) {
  return absl::StrCat(absl::string_view("\0single:", 8), id);
}

// A scalar as text: strings as is, integers in decimal, booleans/doubles as
// their JSON spelling. Arrays give their first element. nullopt for null or
// an empty array; InvalidArgument for an object.
absl::StatusOr<std::optional<std::string>> ScalarText(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING:
      return std::optional<std::string>(std::string(e.get_string().value()));
    case simdjson::dom::element_type::INT64:
      return std::optional<std::string>(absl::StrCat(e.get_int64().value()));
    case simdjson::dom::element_type::UINT64:
      return std::optional<std::string>(absl::StrCat(e.get_uint64().value()));
    case simdjson::dom::element_type::NULL_VALUE:
      return std::optional<std::string>();
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array arr = e.get_array().value();
      if (arr.size() == 0) return std::optional<std::string>();
      return ScalarText(arr.at(0).value());
    }
    case simdjson::dom::element_type::OBJECT:
      return absl::InvalidArgumentError("an object where a label or id was expected");
    default:
      return std::optional<std::string>(simdjson::minify(e));
  }
}

// The first field of `names` present in `obj`, and its name.
struct FoundField {
  simdjson::dom::element value;
  std::string_view name;
};
std::optional<FoundField> FindField(simdjson::dom::object obj,
                                    const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    simdjson::dom::element e;
    if (obj.at_key(name).get(e) == simdjson::SUCCESS) return FoundField{e, name};
  }
  return std::nullopt;
}

// `no "topic" field` for one name, `none of the fields a, b` for several:
// messages say which field a record lacks.
std::string MissingFieldsText(const std::vector<std::string>& names) {
  if (names.size() == 1) return absl::StrCat("no \"", names[0], "\" field");
  return absl::StrCat("none of the fields ", absl::StrJoin(names, ", "));
}

// Where a record sits: a line of JSON lines, or an element of a JSON array.
struct Place {
  uint64_t number = 0;
  bool element = false;
  std::string Text() const {
    return absl::StrCat(element ? "element " : "line ", number);
  }
};

absl::Status PlaceError(const std::string& path, Place place, absl::string_view what) {
  if (place.element) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %s: %s", path, place.Text(), what));
  }
  return absl::InvalidArgumentError(absl::StrFormat("%s:%d: %s", path, place.number, what));
}

absl::Status LineError(const std::string& path, uint64_t line, absl::string_view what) {
  return PlaceError(path, Place{line, false}, what);
}

// Labels the records of one label file, one at a time.
class LabelReader {
 public:
  LabelReader(const std::string& path, const LabelFileOptions& options)
      : path_(path), options_(options) {}

  absl::Status AddRecord(simdjson::dom::element doc, Place place) {
    simdjson::dom::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
      return Error(place, "record is not a JSON object");
    }
    const std::optional<FoundField> label_field = FindField(obj, options_.label_fields);
    std::optional<std::string> label;
    if (label_field) {
      auto text = ScalarText(label_field->value);
      if (!text.ok()) return Error(place, text.status().message());
      label = *std::move(text);
    }
    simdjson::dom::array members;
    if (!options_.members_field.empty() &&
        obj.at_key(options_.members_field).get_array().get(members) == simdjson::SUCCESS) {
      if (!label) {
        return Error(place, absl::StrCat("record with members has no label (",
                                         MissingFieldsText(options_.label_fields), ")"));
      }
      STORYSIFT_RETURN_IF_ERROR(ClaimStoryLabel(*label, label_field->name, place));
      return AddMembers(members, *label, place);
    }
    // `cluster --state` writes a merged story as a pointer with no members:
    // its articles are labelled under the story that absorbed it.
    if (!options_.members_field.empty() && internal::IsMergedStoryLine(obj)) {
      return absl::OkStatus();
    }
    const std::optional<FoundField> id_field = FindField(obj, options_.id_fields);
    if (!id_field) {
      return Error(place, absl::StrCat("record without an id (",
                                       MissingFieldsText(options_.id_fields), ")"));
    }
    // A null id is a record the producer could not read (dedup's "skipped"
    // lines): there is nothing to label.
    if (id_field->value.is_null()) return absl::OkStatus();
    auto id = ScalarText(id_field->value);
    if (!id.ok() || !id->has_value()) return Error(place, "id is not a string or integer");
    if (!label_field) {
      return Error(place, absl::StrCat("record without a label (",
                                       MissingFieldsText(options_.label_fields), ")"));
    }
    return Add(**id, label, place);
  }

  Labeling Take() { return std::move(labels_); }

 private:
  absl::Status Error(Place place, absl::string_view what) const {
    return PlaceError(path_, place, what);
  }

  absl::Status AddMembers(simdjson::dom::array members, const std::string& label, Place place) {
    for (simdjson::dom::element m : members) {
      simdjson::dom::object mo;
      std::optional<simdjson::dom::element> id_el;
      if (m.get_object().get(mo) == simdjson::SUCCESS) {
        if (std::optional<FoundField> f = FindField(mo, options_.id_fields)) id_el = f->value;
      } else if (m.is_string() || m.is_int64() || m.is_uint64()) {
        id_el = m;  // Tolerate a plain list of ids.
      }
      if (!id_el) return Error(place, "member without an id");
      auto id = ScalarText(*id_el);
      if (!id.ok() || !id->has_value()) {
        return Error(place, "member id is not a string or integer");
      }
      STORYSIFT_RETURN_IF_ERROR(Add(**id, label, place));
    }
    return absl::OkStatus();
  }

  // A story's label on two member records is two stories under one id
  // (e.g. two days' `cluster` outputs without --state, both with s0001):
  // scoring them as one would invent pairs.
  absl::Status ClaimStoryLabel(const std::string& label, std::string_view field, Place place) {
    auto [it, inserted] = story_places_.try_emplace(label, place);
    if (inserted) return absl::OkStatus();
    return Error(place, absl::StrFormat(
                            "%s \"%s\" already names the story at %s: two stories share it "
                            "(outputs of separate runs concatenated?)",
                            field, label, it->second.Text()));
  }

  absl::Status Add(const std::string& id, const std::optional<std::string>& label, Place place) {
    auto [it, inserted] = id_places_.try_emplace(id, place);
    if (!inserted) {
      return Error(place, absl::StrFormat("id \"%s\" already labelled at %s", id,
                                          it->second.Text()));
    }
    labels_.emplace(id, label ? *label : SingletonLabel(id));
    return absl::OkStatus();
  }

  std::string path_;
  const LabelFileOptions& options_;
  Labeling labels_;
  absl::flat_hash_map<std::string, Place> id_places_;
  absl::flat_hash_map<std::string, Place> story_places_;
};

// Splits a pair file's line into *fields; false for a line that holds none
// (blank, or a '#' comment). A line with a tab is our TSV: split on tabs
// only, each field unescaped (io/tsv_field.h), so an id keeps its spaces.
// Any other line is an older whitespace-separated file, split on runs of
// spaces as it always was; there only a leading `\#` (an id starting with
// '#', which would otherwise start a comment) is unescaped.
bool SplitPairLine(absl::string_view line, std::vector<std::string>* fields) {
  const absl::string_view stripped = absl::StripAsciiWhitespace(line);
  if (stripped.empty() || stripped[0] == '#') return false;
  if (line.find('\t') == absl::string_view::npos) {
    for (absl::string_view f : absl::StrSplit(stripped, ' ', absl::SkipEmpty())) {
      if (absl::StartsWith(f, "\\#")) f.remove_prefix(1);
      fields->emplace_back(f);
    }
    return true;
  }
  for (absl::string_view f : absl::StrSplit(line, '\t')) {
    fields->push_back(internal::UnescapeTsvField(std::string_view(f.data(), f.size())));
  }
  // A tab after the last field (an editor's trailing tab) adds no field.
  if (fields->size() > 2 && absl::StripAsciiWhitespace(fields->back()).empty()) {
    fields->pop_back();
  }
  return true;
}

enum class FileShape { kLabelLines, kLabelArray, kPairs };

// Told by the first byte that is not whitespace and not in a '#' comment
// line: '{' starts label JSON lines, '[' a JSON array of label records,
// anything else (or nothing) is a pair file. Looks at most kSniffBytes in.
absl::StatusOr<FileShape> SniffShape(internal::ByteSource* source) {
  constexpr size_t kSniffBytes = size_t{1} << 16;
  STORYSIFT_RETURN_IF_ERROR(source->Peek(kSniffBytes));
  const absl::string_view head(source->data(), source->size());
  bool line_start = true;
  for (size_t i = 0; i < head.size(); ++i) {
    const char c = head[i];
    if (c == '#' && line_start) {
      const size_t nl = head.find('\n', i);
      if (nl == absl::string_view::npos) break;
      i = nl;
      continue;
    }
    if (c == '\n') line_start = true;
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) continue;
    if (c == '{') return FileShape::kLabelLines;
    if (c == '[') return FileShape::kLabelArray;
    return FileShape::kPairs;
  }
  return FileShape::kPairs;
}

absl::StatusOr<Labeling> ReadLabelLines(internal::ByteSource* source,
                                        const LabelFileOptions& options) {
  const std::string& path = source->name();
  internal::LineSource lines(source, /*max_line_bytes=*/0);
  simdjson::dom::parser parser;
  LabelReader reader(path, options);
  std::string_view line;
  bool too_long = false;
  size_t line_bytes = 0;
  while (true) {
    STORYSIFT_ASSIGN_OR_RETURN(const bool more, lines.Next(&line, &too_long, &line_bytes));
    if (!more) break;
    if (absl::StripAsciiWhitespace(absl::string_view(line.data(), line.size())).empty()) {
      continue;
    }
    simdjson::dom::element doc;
    if (auto err = parser.parse(line.data(), line.size()).get(doc);
        err != simdjson::SUCCESS) {
      return LineError(path, lines.line_number(),
                       absl::StrCat("invalid JSON: ", simdjson::error_message(err)));
    }
    STORYSIFT_RETURN_IF_ERROR(reader.AddRecord(doc, Place{lines.line_number(), false}));
  }
  return reader.Take();
}

// A JSON array of label records: gold files are small, so it is parsed whole.
absl::StatusOr<Labeling> ReadLabelArray(internal::ByteSource* source,
                                        const LabelFileOptions& options) {
  const std::string& path = source->name();
  std::string text;
  bool truncated = false;
  STORYSIFT_RETURN_IF_ERROR(internal::ReadAllBytes(source, 0, &text, &truncated));
  simdjson::dom::parser parser;
  simdjson::dom::array records;
  if (auto err = parser.parse(text).get_array().get(records); err != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": not one JSON array of label records: ", simdjson::error_message(err)));
  }
  LabelReader reader(path, options);
  uint64_t number = 0;
  for (simdjson::dom::element record : records) {
    STORYSIFT_RETURN_IF_ERROR(reader.AddRecord(record, Place{++number, true}));
  }
  return reader.Take();
}

absl::StatusOr<Labeling> ReadLabels(internal::ByteSource* source, FileShape shape,
                                    const LabelFileOptions& options) {
  return shape == FileShape::kLabelArray ? ReadLabelArray(source, options)
                                         : ReadLabelLines(source, options);
}

absl::StatusOr<std::vector<ScoredPair>> ReadPairs(internal::ByteSource* source,
                                                  double min_score) {
  const std::string& path = source->name();
  internal::LineSource lines(source, /*max_line_bytes=*/0);
  std::vector<ScoredPair> out;
  std::string_view line;
  bool too_long = false;
  size_t line_bytes = 0;
  bool seen_data = false;
  while (true) {
    STORYSIFT_ASSIGN_OR_RETURN(const bool more, lines.Next(&line, &too_long, &line_bytes));
    if (!more) break;
    const uint64_t line_no = lines.line_number();
    std::vector<std::string> f;
    if (!SplitPairLine(absl::string_view(line.data(), line.size()), &f)) continue;
    if (f.size() < 2 || f.size() > 3) {
      return LineError(path, line_no,
                       absl::StrFormat("expected 'id_a<TAB>id_b[<TAB>score]' (or the three "
                                       "separated by spaces), got %d fields",
                                       f.size()));
    }
    double score = 1.0;
    if (f.size() == 3) {
      const bool number = absl::SimpleAtod(f[2], &score);
      if (!number && !seen_data) {  // A header such as "id_a id_b jaccard".
        seen_data = true;
        continue;
      }
      // Similarities (Jaccard, bit agreement, containment) lie in [0, 1]: a
      // score outside it, or NaN, would be dropped or kept by no rule.
      if (!number || !(score >= 0.0 && score <= 1.0)) {
        return LineError(path, line_no,
                         absl::StrCat("score is not a number in [0, 1]: ", f[2]));
      }
    }
    seen_data = true;
    for (int i = 0; i < 2; ++i) {
      if (f[i].empty()) {
        return LineError(path, line_no, absl::StrCat(i == 0 ? "id_a" : "id_b", " is empty"));
      }
    }
    if (score >= min_score) {
      out.push_back(ScoredPair{std::move(f[0]), std::move(f[1]), score});
    }
  }
  return out;
}

// Opens `path` through the readers' byte source: compressed files are
// decompressed and a byte order mark honoured, as for every input.
absl::StatusOr<std::unique_ptr<internal::ByteSource>> OpenEvalFile(const std::string& path) {
  absl::StatusOr<std::unique_ptr<internal::ByteSource>> source =
      internal::ByteSource::OpenFile(path);
  if (!source.ok() && absl::IsNotFound(source.status())) {
    return absl::NotFoundError(absl::StrCat("cannot open ", source.status().message()));
  }
  return source;
}

}  // namespace

absl::StatusOr<Labeling> ReadLabelsJsonl(const std::string& path,
                                         const LabelFileOptions& options) {
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<internal::ByteSource> source, OpenEvalFile(path));
  STORYSIFT_ASSIGN_OR_RETURN(const FileShape shape, SniffShape(source.get()));
  return ReadLabels(source.get(), shape, options);
}

absl::StatusOr<std::vector<ScoredPair>> ReadPairsTsv(const std::string& path,
                                                     double min_score) {
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<internal::ByteSource> source, OpenEvalFile(path));
  return ReadPairs(source.get(), min_score);
}

absl::StatusOr<LabelsOrPairs> ReadLabelsOrPairs(const std::string& path,
                                                const LabelFileOptions& options,
                                                double min_score) {
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<internal::ByteSource> source, OpenEvalFile(path));
  STORYSIFT_ASSIGN_OR_RETURN(const FileShape shape, SniffShape(source.get()));
  // Each result is made whole where it is returned: a LabelsOrPairs alive
  // across the error returns made GCC 12 warn that destroying its (empty)
  // labels map frees absl's static empty group (-Wfree-nonheap-object).
  if (shape == FileShape::kPairs) {
    STORYSIFT_ASSIGN_OR_RETURN(std::vector<ScoredPair> pairs, ReadPairs(source.get(), min_score));
    return LabelsOrPairs{std::nullopt, std::move(pairs)};
  }
  STORYSIFT_ASSIGN_OR_RETURN(Labeling labels, ReadLabels(source.get(), shape, options));
  return LabelsOrPairs{std::move(labels), {}};
}

}  // namespace storysift
