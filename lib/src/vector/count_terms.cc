// TfidfVectorizer::CountTerms: a document's weighted term uses (names,
// layout words, title terms), counted per term, with the name uses and the
// templated flag that labels use.
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "storysift/tfidf.h"
#include "vector/event_terms.h"
#include "vector/term_counter.h"

namespace storysift {

using internal::IsAcronym;
using internal::IsCapitalisedInSentence;
using internal::IsLayoutLine;
using internal::IsMixedCase;
using internal::IsMixedCaseCounts;
using internal::IsNumberToken;
using internal::IsTemplatedText;
using internal::IsTicker;
using internal::LayoutLine;
using internal::TermCounter;

namespace {

// Room past the last form, so a short form is copied by fixed-size stores.
constexpr size_t kFormSlack = 16;

// Copies `length` bytes; `out` has kFormSlack bytes to spare. Words are
// short: two overlapping fixed-size moves instead of a memcpy call each.
inline void CopyForm(const char* src, size_t length, char* out) {
  if (length >= 8 && length <= 16) {
    uint64_t head, tail;
    std::memcpy(&head, src, 8);
    std::memcpy(&tail, src + length - 8, 8);
    std::memcpy(out, &head, 8);
    std::memcpy(out + length - 8, &tail, 8);
  } else if (length >= 4 && length < 8) {
    uint32_t head, tail;
    std::memcpy(&head, src, 4);
    std::memcpy(&tail, src + length - 4, 4);
    std::memcpy(out, &head, 4);
    std::memcpy(out + length - 4, &tail, 4);
  } else if (length > 0 && length < 4) {
    out[0] = src[0];
    out[length / 2] = src[length / 2];
    out[length - 1] = src[length - 1];
  } else {
    std::memcpy(out, src, length);
  }
}

// The forms TermCounts carries, made here, where the texts are still in the
// worker's cache: the vocabulary needs them only for new terms, but keeping
// every text until then cost the loader more (a batch of kept bodies is tens
// of MB). The folded texts are copied whole and each term's form is a range
// of them, found from its first use's token: copying each form instead cost
// twice as much (a short copy and its branches per term). First-use order
// reads the tokens forward. Names (a few) are copied one by one after.
void CopyForms(const NormalizedText& body, const NormalizedText* title,
               const TermCounter& counter, TermCounts* out) {
  const size_t title_tokens = title == nullptr ? 0 : title->tokens.size();
  const size_t title_bytes = title == nullptr ? 0 : title->folded.size();
  const size_t folded_bytes = title_bytes + body.folded.size();
  // The buffer keeps its size (only the growth is zeroed): sized once per
  // slot, not per document, to the folded texts and the names' forms (a
  // bound by the clean texts, as before, kept twice the bytes resident).
  size_t name_bytes = 0;
  for (const TermCounts::NameUse& name : out->names) {
    const uint32_t p = name.position;
    name_bytes += p < title_tokens ? title->tokens[p].length
                                   : body.tokens[p - title_tokens].length;
  }
  const size_t bound = folded_bytes + name_bytes + kFormSlack;
  if (out->forms.size() < bound) out->forms.resize(bound);
  char* const forms = out->forms.data();
  if (title != nullptr) std::memcpy(forms, title->folded.data(), title_bytes);
  std::memcpy(forms + title_bytes, body.folded.data(), body.folded.size());
  const uint32_t terms = counter.size();
  const size_t all = terms + out->names.size();
  out->form_begin.resize(all);
  out->form_end.resize(all);
  uint32_t* const begin = out->form_begin.data();
  uint32_t* const end = out->form_end.data();
  // First positions increase with the rank: the title's terms come first,
  // so each text's loop has no test for which text a token is in.
  uint32_t r = 0;
  for (; r < terms && counter.first_position(r) < title_tokens; ++r) {
    const Token& t = title->tokens[counter.first_position(r)];
    begin[r] = t.folded_begin;
    end[r] = t.folded_begin + t.folded_length;
  }
  for (; r < terms; ++r) {
    const Token& t = body.tokens[counter.first_position(r) - title_tokens];
    const auto b = static_cast<uint32_t>(t.folded_begin + title_bytes);
    begin[r] = b;
    end[r] = b + t.folded_length;
  }
  auto total = static_cast<uint32_t>(folded_bytes);
  for (size_t k = 0; k < out->names.size(); ++k) {
    const uint32_t p = out->names[k].position;
    const NormalizedText& text = p < title_tokens ? *title : body;
    const Token& t = text.tokens[p < title_tokens ? p : p - title_tokens];
    CopyForm(text.clean.data() + t.begin, t.length, forms + total);
    begin[terms + k] = total;
    total += t.length;
    end[terms + k] = total;
  }
}

// By value and out of line (a line ends every few dozen tokens), so that
// the weighing loop's current line is never address-taken and stays in
// registers.
[[gnu::noinline]] void AppendLine(std::vector<LayoutLine>* lines, LayoutLine line) {
  lines->push_back(line);
}

// By a word's first byte: 1 << 32 for an ASCII capital, 1 for a lowercase
// letter (the casing counts, summed in one register), and whether it is a
// digit. Table loads: the range tests and their flag-to-integer moves were a
// third of the first pass's instructions.
constexpr std::array<uint64_t, 256> kFirstByteCase = [] {
  std::array<uint64_t, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = uint64_t{1} << 32;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = 1;
  return t;
}();
constexpr std::array<uint8_t, 256> kFirstByteDigit = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = 1;
  return t;
}();

// What CountTerms' first pass over the body found.
struct BodyPass {
  uint32_t uses = 0;        // Written to body_uses.
  uint32_t candidates = 0;  // Written to maybe_names.
  size_t upper = 0;         // Words with an ASCII capital first.
  size_t lower = 0;         // Words with an ASCII lowercase letter first.
};

// The first pass (see CountTerms): every token with a term gets a plain
// word's use, the tokens that may be names are listed, the casing counted
// and the lines split for the layout rule. Its own function with the state
// in locals: inside CountTerms the loop kept its counters and the token and
// list pointers on the stack (reloaded at every token, ~65 instructions a
// token).
BodyPass WeighBody(const NormalizedText& body, uint32_t first_position,
                   TermCounter::Use* body_uses, uint32_t* maybe_names,
                   std::vector<LayoutLine>* lines) {
  lines->clear();
  const Token* const tokens = body.tokens.data();
  const auto n = static_cast<uint32_t>(body.tokens.size());
  const char* const clean = body.clean.data();
  // Line breaks are found by one memchr per line, ahead of the tokens (a
  // memchr per gap between tokens, mostly one space, cost more than the rest).
  const std::string_view clean_text = body.clean;
  const auto newline_from = [clean_text](size_t from) {
    const size_t at = clean_text.find('\n', from);
    return at == std::string_view::npos ? clean_text.size() : at;
  };
  // The first '\n' after the last token read (tokens hold none): a token
  // past it starts a line.
  size_t next_newline = n == 0 ? 0 : newline_from(tokens[0].begin);
  LayoutLine line;
  uint32_t m = 0, candidates = 0;
  // Capitalised words << 32 | lowercase words (tokens are fewer than 2^32:
  // their offsets are 32-bit).
  uint64_t cases = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const Token& t = tokens[i];
    if (next_newline < t.begin) {
      line.end = i;
      line.end_use = m;
      AppendLine(lines, line);
      line = {i, i, 0, m, m};
      next_newline = newline_from(t.begin);
    }
    // The byte before the token ('<' of a ticker), read without a branch:
    // at the text's start the token's own byte is read and discarded.
    const bool inside = t.begin > 0;
    const bool after_lt = inside & (clean[t.begin - inside] == '<');
    const auto first = static_cast<unsigned char>(clean[t.begin]);
    const bool word = t.length != 0;
    const uint64_t first_case = kFirstByteCase[first];
    cases += first_case & (uint64_t{0} - word);
    line.numbers += word & kFirstByteDigit[first];
    const bool has_term = t.term != 0;
    body_uses[m] = {t.term, 1.0f, first_position + i};
    maybe_names[candidates] = m;
    // Capitals are listed before the casing is known; the checks after
    // leave those of a text that is not mixed-case plain words.
    candidates += has_term & (after_lt | static_cast<bool>(first_case >> 32));
    m += has_term;
  }
  if (n > 0) {
    line.end = n;
    line.end_use = m;
    lines->push_back(line);
  }
  return {m, candidates, static_cast<size_t>(cases >> 32),
          static_cast<size_t>(cases & 0xFFFFFFFFu)};
}

// Marks (*in_table)[i] for each word (not number) token of `body` on a
// layout line and gives its uses the layout weight (when it is not 1).
// Returns whether the text is templated; *any: whether any line is layout
// (else *in_table is left as it was: most texts have none).
bool MarkLayout(const TfidfOptions& options, const NormalizedText& body,
                absl::Span<const LayoutLine> lines, size_t title_tokens,
                TermCounter::Use* body_uses, std::vector<char>* in_table, bool* any) {
  const bool templated = IsTemplatedText(lines);
  const bool damp_tables = options.table_word_weight != 1.0f;
  *any = false;
  for (const LayoutLine& l : lines) {
    if (!IsLayoutLine(l, templated)) continue;
    if (!*any) in_table->assign(body.tokens.size(), 0);
    *any = true;
    for (uint32_t k = l.begin; k < l.end; ++k) {
      (*in_table)[k] = !IsNumberToken(body, body.tokens[k]);
    }
    if (!damp_tables) continue;
    for (uint32_t u = l.first_use; u < l.end_use; ++u) {
      if ((*in_table)[body_uses[u].position - title_tokens]) {
        body_uses[u].tf = options.table_word_weight;
      }
    }
  }
  return templated;
}

}  // namespace

void TfidfVectorizer::CountTerms(const TfidfOptions& options, const NormalizedText& body,
                                 const NormalizedText* title, TermCounts* out) {
  const size_t title_tokens = title == nullptr ? 0 : title->tokens.size();
  // Per thread: hot in cache, unlike one per document.
  thread_local TermCounter counter;
  thread_local std::vector<TermCounter::Use> uses;  // Only grows: resize() zeroed the growth.
  const size_t all_tokens = title_tokens + body.tokens.size();
  if (uses.size() < all_tokens) uses.resize(all_tokens);
  size_t n = 0;
  // The uses written as names, in position order (title, then body).
  thread_local std::vector<TermCounter::NameUse> name_uses;
  name_uses.clear();
  // Names weigh name_weight times as much, in the title as in the body.
  auto is_name = [&](const NormalizedText& text, bool cased, size_t i) {
    const Token& t = text.tokens[i];
    // Most tokens can be neither (no '<' before, no capital first): one byte
    // test each before the calls of the full checks.
    const char before = t.begin > 0 ? text.clean[t.begin - 1] : ' ';
    const char first = text.clean[t.begin];
    if (before != '<' && !(cased && first >= 'A' && first <= 'Z')) return false;
    return IsTicker(text, t) || (cased && IsCapitalisedInSentence(text, t));
  };
  const float name_weight = options.name_weight;
  const bool title_cased = title_tokens > 0 && IsMixedCase(*title);
  for (size_t i = 0; i < title_tokens; ++i) {
    if (title->tokens[i].term != 0) {
      const bool name = is_name(*title, title_cased, i);
      const auto position = static_cast<uint32_t>(i);
      uses[n++] = {title->tokens[i].term, options.title_weight * (name ? name_weight : 1.0f),
                   position};
      if (name || (title_cased && IsAcronym(*title, title->tokens[i]))) {
        name_uses.push_back({title->tokens[i].term, position});
      }
    }
  }
  // Names and layout are found whatever their weights: labels use them.
  // Two passes over the body, so that the common token takes no branch.
  // First every token with a term gets the weight of a plain word (about
  // half the tokens are stop words, term 0: written but not counted), and
  // the body is split into lines for the layout rule; the few words on
  // layout lines get their weight after. Tokens that may be names or
  // acronyms (a '<' before, a capital first: about one in six, which made a
  // branch on it a mispredict each) are listed for the second pass, which
  // applies the full checks. The first pass also counts the capitalised and
  // lowercase words that decide whether the text is mixed-case (IsMixedCase,
  // without its own pass).
  TermCounter::Use* const body_uses = uses.data() + n;
  thread_local std::vector<uint32_t> maybe_names;  // Indices into body_uses; only grows.
  if (maybe_names.size() < body.tokens.size()) maybe_names.resize(body.tokens.size());
  thread_local std::vector<LayoutLine> lines;
  const BodyPass pass = WeighBody(body, static_cast<uint32_t>(title_tokens), body_uses,
                                  maybe_names.data(), &lines);
  const uint32_t m = pass.uses;
  const size_t candidates = pass.candidates;
  thread_local std::vector<char> in_table;
  bool any_layout = false;
  out->templated =
      MarkLayout(options, body, lines, title_tokens, body_uses, &in_table, &any_layout);
  const bool damp_tables = options.table_word_weight != 1.0f;
  const bool body_cased = IsMixedCaseCounts(pass.upper, pass.lower);
  for (size_t c = 0; c < candidates; ++c) {
    TermCounter::Use& u = body_uses[maybe_names[c]];
    const size_t i = u.position - title_tokens;
    const bool layout = any_layout && in_table[i];
    // A layout line's capitalised first word ("Net 15.4 mln") is a row
    // label, not a name.
    const bool name = !layout && is_name(body, body_cased, i);
    float w = 1.0f;
    if (damp_tables && layout) {
      w = options.table_word_weight;
    } else if (layout ? is_name(body, body_cased, i) : name) {
      w = name_weight;  // Undamped layout words keep their weight as names.
    }
    u.tf = w;
    // For labels, an acronym is a name even where it opens a sentence.
    if (name || (body_cased && !layout && IsAcronym(body, body.tokens[i]))) {
      name_uses.push_back({u.term, u.position});
    }
  }
  counter.Count(absl::MakeConstSpan(uses.data(), n + m), name_uses);
  counter.Gather(&out->entries, &out->entry_form_index);
  counter.GatherNames(&out->names);
  CopyForms(body, title, counter, out);
}

}  // namespace storysift
