// Copy kind names, base-article reading and paragraph splitting, and the
// exact shingle Jaccard used for the gold pair file.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "corpus_gen.h"
#include "simdjson.h"
#include "xxhash.h"

namespace storysift::corpusgen {
namespace {

constexpr std::string_view kKindNames[kNumCopyKinds] = {
    "exact",     "header_footer", "word_edits",   "truncated",
    "dropped_sentences", "wire_style", "html_wrapped", "ocr_noise", "edits_footer", "heavy_edits"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Appends `line` to `para` with whitespace runs collapsed to one space.
void AppendCollapsed(std::string_view line, std::string* para) {
  for (char c : line) {
    if (IsSpace(c)) {
      if (!para->empty() && para->back() != ' ') para->push_back(' ');
    } else {
      para->push_back(c);
    }
  }
  if (!para->empty() && para->back() != ' ') para->push_back(' ');
}

void Flush(std::string* para, std::vector<std::string>* out) {
  while (!para->empty() && para->back() == ' ') para->pop_back();
  if (!para->empty()) out->push_back(std::move(*para));
  para->clear();
}

// A string, integer, or first element of an array, as text; "" otherwise.
std::string FieldText(simdjson::dom::object obj, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    simdjson::dom::element e;
    if (obj.at_key(name).get(e) != simdjson::SUCCESS) continue;
    if (e.is_array()) {
      simdjson::dom::array a = e.get_array().value();
      if (a.size() == 0) return "";
      e = a.at(0).value();
    }
    if (e.is_string()) return std::string(e.get_string().value());
    if (e.is_int64()) return absl::StrCat(e.get_int64().value());
    if (e.is_uint64()) return absl::StrCat(e.get_uint64().value());
    return "";
  }
  return "";
}

}  // namespace

std::string_view CopyKindName(CopyKind kind) {
  return kKindNames[static_cast<int>(kind)];
}

std::vector<CopyKind> AllCopyKinds() {
  std::vector<CopyKind> all;
  for (int i = 0; i < kNumClassicCopyKinds; ++i) all.push_back(static_cast<CopyKind>(i));
  return all;
}

absl::StatusOr<std::vector<CopyKind>> ParseCopyKinds(std::string_view list) {
  absl::string_view l(list.data(), list.size());
  if (absl::StripAsciiWhitespace(l).empty() || l == "all") return AllCopyKinds();
  std::vector<CopyKind> out;
  if (l == "all10") {
    for (int i = 0; i < kNumCopyKinds; ++i) out.push_back(static_cast<CopyKind>(i));
    return out;
  }
  for (absl::string_view name : absl::StrSplit(l, ',', absl::SkipWhitespace())) {
    name = absl::StripAsciiWhitespace(name);
    auto it = std::find(std::begin(kKindNames), std::end(kKindNames),
                        std::string_view(name.data(), name.size()));
    if (it == std::end(kKindNames)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown copy kind \"", name,
          "\" (known: exact, header_footer, word_edits, truncated, "
          "dropped_sentences, wire_style, html_wrapped, ocr_noise, edits_footer, "
          "heavy_edits)"));
    }
    out.push_back(static_cast<CopyKind>(it - std::begin(kKindNames)));
  }
  return out;
}

std::vector<std::string> SplitParagraphs(std::string_view text) {
  std::vector<std::string> lines = absl::StrSplit(
      absl::string_view(text.data(), text.size()), '\n');
  bool any_break = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    bool blank = std::all_of(l.begin(), l.end(), IsSpace);
    if (blank || (!l.empty() && IsSpace(l[0]))) any_break = true;
  }
  std::vector<std::string> out;
  std::string para;
  for (const std::string& l : lines) {
    bool blank = std::all_of(l.begin(), l.end(), IsSpace);
    // Without blank/indented lines, each line is a unit (ECB+ sentences).
    if (blank || !any_break || IsSpace(l[0])) Flush(&para, &out);
    AppendCollapsed(l, &para);
  }
  Flush(&para, &out);
  return out;
}

absl::StatusOr<std::vector<BaseArticle>> ReadBaseArticles(
    const std::string& path, const std::string& label_field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  simdjson::dom::parser parser;
  std::vector<BaseArticle> out;
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    simdjson::dom::object obj;
    if (parser.parse(line).get_object().get(obj) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s:%d: not a JSON object", path, line_no));
    }
    BaseArticle a;
    a.id = FieldText(obj, {"id", "doc_id"});
    a.title = FieldText(obj, {"title", "headline"});
    a.date = FieldText(obj, {"date", "published"});
    if (!label_field.empty()) a.label = FieldText(obj, {label_field.c_str()});
    a.paragraphs = SplitParagraphs(FieldText(obj, {"text", "body", "content"}));
    // Drop sign-offs such as Reuters' "Reuter" line: repeated in every
    // original, they would only add shared noise.
    if (a.paragraphs.size() > 1) {
      std::erase_if(a.paragraphs, [](const std::string& p) {
        return std::count(p.begin(), p.end(), ' ') < 2;
      });
    }
    if (a.id.empty()) a.id = absl::StrCat("line", line_no);
    if (!a.paragraphs.empty()) out.push_back(std::move(a));
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("no article with text in ", path));
  }
  return out;
}

namespace {

// Words are hashed once; a shingle hashes its five word hashes.
std::vector<uint64_t> ShingleSet(std::string_view text) {
  std::vector<uint64_t> words;
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    words.push_back(XXH3_64bits_withSeed(cur.data(), cur.size(), 0x5eed));
    cur.clear();
  };
  for (char ch : text) {
    const unsigned char c = ch;
    if (c >= 0x80 || absl::ascii_isalnum(c) || c == '_') {
      cur.push_back(static_cast<char>(absl::ascii_tolower(c)));
    } else {
      flush();
    }
  }
  flush();
  const size_t k = 5;
  std::vector<uint64_t> out;
  if (words.empty()) return out;
  const size_t n = words.size() < k ? 1 : words.size() - k + 1;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t len = std::min(k, words.size() - i);
    out.push_back(XXH3_64bits_withSeed(&words[i], len * sizeof(uint64_t), 0x5eed));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

double WordShingleJaccard(std::string_view a, std::string_view b) {
  std::vector<uint64_t> x = ShingleSet(a), y = ShingleSet(b);
  if (x.empty() && y.empty()) return 1.0;
  size_t common = 0, i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] < y[j]) ++i;
    else if (y[j] < x[i]) ++j;
    else { ++common; ++i; ++j; }
  }
  return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common);
}

}  // namespace storysift::corpusgen
