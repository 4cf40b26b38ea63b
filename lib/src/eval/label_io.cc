// Readers for gold/predicted label files (JSON lines, via the simdjson DOM
// API) and pair files (TSV).
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
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

// First field of `names` present in `obj`; nullptr-like empty optional if none.
std::optional<simdjson::dom::element> FindField(
    simdjson::dom::object obj, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    simdjson::dom::element e;
    if (obj.at_key(name).get(e) == simdjson::SUCCESS) return e;
  }
  return std::nullopt;
}

class LabelCollector {
 public:
  explicit LabelCollector(const std::string& path) : path_(path) {}

  absl::Status Add(const std::string& id, std::optional<std::string> label,
                   uint64_t line) {
    auto [it, inserted] = lines_.try_emplace(id, line);
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s:%d: id \"%s\" already labelled at line %d",
                          path_, line, id, it->second));
    }
    labels_.emplace(id, label ? *std::move(label) : SingletonLabel(id));
    return absl::OkStatus();
  }
  Labeling Take() { return std::move(labels_); }

 private:
  std::string path_;
  Labeling labels_;
  absl::flat_hash_map<std::string, uint64_t> lines_;
};

absl::Status LineError(const std::string& path, uint64_t line,
                       std::string_view what) {
  return absl::InvalidArgumentError(absl::StrFormat("%s:%d: %s", path, line, what));
}

// Splits a pair file's line into *fields; false for a line that holds none
// (blank, or a '#' comment). A line with a tab is our TSV: split on tabs
// only, each field unescaped (io/tsv_field.h), so an id keeps its spaces.
// Any other line is an older whitespace-separated file, split on runs of
// spaces as it always was; there only a leading `\#` (an id starting with
// '#', which would otherwise start a comment) is unescaped.
bool SplitPairLine(absl::string_view line, std::vector<std::string>* fields) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF.
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

}  // namespace

absl::StatusOr<Labeling> ReadLabelsJsonl(const std::string& path,
                                         const LabelFileOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  simdjson::dom::parser parser;
  LabelCollector collector(path);
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    simdjson::dom::element doc;
    if (auto err = parser.parse(line).get(doc); err != simdjson::SUCCESS) {
      return LineError(path, line_no,
                       absl::StrCat("invalid JSON: ", simdjson::error_message(err)));
    }
    simdjson::dom::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
      return LineError(path, line_no, "record is not a JSON object");
    }
    std::optional<simdjson::dom::element> label_el =
        FindField(obj, options.label_fields);
    std::optional<std::string> label;
    if (label_el) {
      auto text = ScalarText(*label_el);
      if (!text.ok()) return LineError(path, line_no, std::string(text.status().message()));
      label = *std::move(text);
    }
    simdjson::dom::array members;
    if (!options.members_field.empty() &&
        obj.at_key(options.members_field).get_array().get(members) ==
            simdjson::SUCCESS) {
      if (!label) {
        return LineError(path, line_no, "record with members has no label");
      }
      for (simdjson::dom::element m : members) {
        simdjson::dom::object mo;
        std::optional<simdjson::dom::element> id_el;
        if (m.get_object().get(mo) == simdjson::SUCCESS) {
          id_el = FindField(mo, options.id_fields);
        } else if (m.is_string() || m.is_int64() || m.is_uint64()) {
          id_el = m;  // Tolerate a plain list of ids.
        }
        if (!id_el) return LineError(path, line_no, "member without an id");
        auto id = ScalarText(*id_el);
        if (!id.ok() || !id->has_value()) {
          return LineError(path, line_no, "member id is not a string or integer");
        }
        STORYSIFT_RETURN_IF_ERROR(collector.Add(**id, label, line_no));
      }
      continue;
    }
    // `cluster --state` writes a merged story as a pointer with no members:
    // its articles are labelled under the story that absorbed it.
    if (!options.members_field.empty() && internal::IsMergedStoryLine(obj)) continue;
    std::optional<simdjson::dom::element> id_el = FindField(obj, options.id_fields);
    if (!id_el) return LineError(path, line_no, "record without an id field");
    // A null id is a record the producer could not read (dedup's "skipped"
    // lines): there is nothing to label.
    if (id_el->is_null()) continue;
    auto id = ScalarText(*id_el);
    if (!id.ok() || !id->has_value()) {
      return LineError(path, line_no, "id is not a string or integer");
    }
    if (!label_el) return LineError(path, line_no, "record without a label field");
    STORYSIFT_RETURN_IF_ERROR(collector.Add(**id, label, line_no));
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", path));
  return collector.Take();
}

absl::StatusOr<std::vector<ScoredPair>> ReadPairsTsv(const std::string& path,
                                                     double min_score) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<ScoredPair> out;
  std::string line;
  uint64_t line_no = 0;
  bool seen_data = false;
  while (std::getline(in, line)) {
    ++line_no;
    std::vector<std::string> f;
    if (!SplitPairLine(line, &f)) continue;
    if (f.size() < 2 || f.size() > 3) {
      return LineError(path, line_no,
                       absl::StrFormat("expected 'id_a<TAB>id_b[<TAB>score]' (or the three "
                                       "separated by spaces), got %d fields",
                                       f.size()));
    }
    double score = 1.0;
    if (f.size() == 3 && !absl::SimpleAtod(f[2], &score)) {
      if (!seen_data) {  // A header such as "id_a id_b jaccard".
        seen_data = true;
        continue;
      }
      return LineError(path, line_no, absl::StrCat("score is not a number: ", f[2]));
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
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", path));
  return out;
}

}  // namespace storysift
