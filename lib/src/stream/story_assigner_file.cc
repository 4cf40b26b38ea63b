// Save / Load of a StoryAssigner. The section container (magic, version,
// per-section XXH3 checksums) is section_file.h's, with magic "STSFTSTA" and
// four sections (all integers little-endian; f32 as its IEEE bits in a u32):
//
// 1 OPTIONS: u8 markup, u8 drop boilerplate, u8 stem, f64 title weight,
//   u8 sublinear tf, i32 max terms per doc, f64 threshold, i64 window
//   seconds, i32 top terms, i32 label terms, i64 retention seconds,
//   u64 token hash seed; since version 3: f64 name weight, f64 table word
//   weight, f64 idf power (TfidfOptions). A state of an older version did
//   not record them: it loads with those of `expected`, which cannot be
//   checked, or without `expected` with the defaults.
// 2 IDF: u8 has model, then the IdfModel file bytes (idf_model.h) to the end.
// 3 VOCABULARY: u64 documents seen, u64 count, then per term in id order:
//   u64 term hash, u32 df, u32 length, display bytes. Since version 2 the
//   label evidence follows: u64 templated documents, then per term in id
//   order: u32 name df, u32 templated df, u32 length, name form bytes.
//   A version-1 state loads with no evidence (labels then judge a term
//   by its form until documents added since give some).
// 4 STORIES: u32 next story number, u8 has newest, i64 newest (the
//   retention clock), u64 count, then per story in number order: u32 number,
//   u32 member count, then per member in arrival order: u32 id length, id
//   bytes, u8 has published, i64 published, since version 4 i64 seen (the
//   time the retention counts it from: its date, or the clock for one past
//   it; 0 when undated), u32 nnz, nnz x (u32 term id, f32 weight) ids
//   increasing. An older state recorded no seen: its clock was the newest
//   date added, also a lone typo's, so Load takes the clock again by
//   retention_clock.h's rule over the members' dates (never later than the
//   recorded one) and counts each member from its date or that clock.
//
// Centroids and the term index are not stored: Load replays each story's
// members in order, which reproduces the centroids bit for bit.
#include <bit>
#include <algorithm>
#include <cmath>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "io/output_file.h"
#include "state/retention_clock.h"
#include "storysift/date.h"
#include "storysift/status_macros.h"
#include "storysift/story_assigner.h"
#include "stream/bytes.h"
#include "stream/dedup_state.h"
#include "stream/option_fields.h"
#include "stream/section_file.h"
#include "stream/story_assigner_state.h"

namespace storysift {
namespace {

using internal::ByteReader;
using internal::ByteWriter;
using internal::NormalizeDifference;
using internal::OptionMismatch;

const internal::SectionFileKind kStateFile = {"STSFTSTA", kStoryAssignerFormatVersion,
                                              "story assigner state"};

absl::Status Corrupt(std::string_view what) { return internal::CorruptFileError(kStateFile, what); }

// The OPTIONS section's fields in file order (above), for both directions:
// `io` is an OptionsWriter (const options) or an OptionsReader. The token
// hash seed of the build is stored so a state from another build is refused.
template <typename Io, typename Options, typename Seed>
void OptionFields(Io& io, Options& o, Seed& token_seed) {
  io.U8(o.normalize.markup);
  io.U8(o.normalize.drop_boilerplate);
  io.U8(o.normalize.stem);
  io.F64(o.tfidf.title_weight);
  io.U8(o.tfidf.sublinear_tf);
  io.I32(o.tfidf.max_terms_per_doc);
  io.F64(o.story.threshold);
  io.I64(o.story.window_seconds);
  io.I32(o.story.candidates.top_terms);
  io.I32(o.story.label_terms);
  io.I64(o.retention_seconds);
  io.U64(token_seed);
  if (io.Since(3)) {  // The event weighting's options (#15), saved since session 22.
    io.F64(o.tfidf.name_weight);
    io.F64(o.tfidf.table_word_weight);
    io.F64(o.tfidf.idf_power);
  }
}

std::string EncodeOptions(const StoryAssignerOptions& o) {
  std::string out;
  internal::OptionsWriter w(&out);
  const uint64_t token_seed = kTokenHashSeed;
  OptionFields(w, o, token_seed);
  return out;
}

absl::StatusOr<StoryAssignerOptions> DecodeOptions(std::string_view payload, uint32_t version) {
  StoryAssignerOptions o;
  uint64_t token_seed = 0;
  internal::OptionsReader r(payload, version);
  OptionFields(r, o, token_seed);
  if (!r.complete()) return Corrupt("options section has the wrong size");
  if (static_cast<int>(o.normalize.markup) > 2 || r.bad_flag()) {
    return Corrupt("options section holds an unknown enum value");
  }
  // Both are floats written as f64: any other value is damage (and would
  // not survive a save).
  if (r.inexact()) {
    return Corrupt("options section holds a weight or threshold that is not a float");
  }
  if (token_seed != kTokenHashSeed) {
    return absl::FailedPreconditionError(
        absl::StrFormat("state was built with token hash seed %#x; this build uses %#x",
                        token_seed, kTokenHashSeed));
  }
  return o;
}

// Names the first option (that changes verdicts) where a and b differ.
std::string FirstDifference(const StoryAssignerOptions& a, const StoryAssignerOptions& b) {
  if (std::string d = NormalizeDifference(a.normalize, b.normalize); !d.empty()) return d;
  if (a.normalize.stem != b.normalize.stem) return "stemming differs";
  if (a.tfidf.title_weight != b.tfidf.title_weight)
    return OptionMismatch("title weight", a.tfidf.title_weight, b.tfidf.title_weight);
  if (a.tfidf.name_weight != b.tfidf.name_weight)
    return OptionMismatch("name weight", a.tfidf.name_weight, b.tfidf.name_weight);
  if (a.tfidf.table_word_weight != b.tfidf.table_word_weight) {
    return OptionMismatch("table word weight", a.tfidf.table_word_weight,
                          b.tfidf.table_word_weight);
  }
  if (a.tfidf.idf_power != b.tfidf.idf_power)
    return OptionMismatch("idf power", a.tfidf.idf_power, b.tfidf.idf_power);
  if (a.tfidf.sublinear_tf != b.tfidf.sublinear_tf) return "sublinear tf differs";
  if (a.tfidf.max_terms_per_doc != b.tfidf.max_terms_per_doc)
    return OptionMismatch("max terms per doc", a.tfidf.max_terms_per_doc,
                          b.tfidf.max_terms_per_doc);
  if (a.story.threshold != b.story.threshold)
    return OptionMismatch("threshold", a.story.threshold, b.story.threshold);
  if (a.story.window_seconds != b.story.window_seconds)
    return OptionMismatch("window seconds", a.story.window_seconds, b.story.window_seconds);
  if (a.story.candidates.top_terms != b.story.candidates.top_terms)
    return OptionMismatch("top terms", a.story.candidates.top_terms, b.story.candidates.top_terms);
  if (a.story.label_terms != b.story.label_terms)
    return OptionMismatch("label terms", a.story.label_terms, b.story.label_terms);
  return "";
}

// The vocabulary section's label evidence (version 2), after its terms.
absl::Status ReadLabelEvidence(ByteReader& v, internal::StoryAssignerState* st) {
  if (!v.U64(&st->templated_docs) || st->templated_docs > st->docs_seen) {
    return Corrupt("label evidence header");
  }
  for (size_t t = 0; t < st->term_hash.size(); ++t) {
    uint32_t len = 0;
    std::string_view form;
    if (!v.U32(&st->name_df[t]) || !v.U32(&st->templated_df[t]) || !v.U32(&len) ||
        !v.Bytes(len, &form)) {
      return Corrupt(absl::StrFormat("label evidence of term %d", t));
    }
    if (st->name_df[t] > st->df[t] || st->templated_df[t] > st->df[t] ||
        (st->name_df[t] == 0) != form.empty()) {
      return Corrupt(absl::StrFormat("label evidence of term %d exceeds its df", t));
    }
    st->name_form[t] = std::string(form);
  }
  return absl::OkStatus();
}

// A version-4 member's seen against the clock, as Add leaves them: its date
// when the clock has reached it, else a time before it and not after the
// clock.
bool SeenFitsClock(int64_t published, int64_t seen, int64_t clock) {
  return seen <= clock && (published <= clock ? seen == published : seen < published);
}

}  // namespace

std::string StoryAssigner::SaveToString() const {
  std::shared_lock lock(state_->mu);
  const internal::StoryAssignerState& st = *state_;
  std::string idf, vocab, stories;
  ByteWriter wi(&idf);
  wi.U8(idf_.has_value() ? 1 : 0);
  if (idf_.has_value()) wi.Bytes(idf_->Serialize());
  ByteWriter wv(&vocab);
  wv.U64(st.docs_seen);
  wv.U64(st.term_hash.size());
  for (size_t t = 0; t < st.term_hash.size(); ++t) {
    wv.U64(st.term_hash[t]);
    wv.U32(st.df[t]);
    wv.U32(static_cast<uint32_t>(st.display[t].size()));
    wv.Bytes(st.display[t]);
  }
  wv.U64(st.templated_docs);
  for (size_t t = 0; t < st.term_hash.size(); ++t) {
    wv.U32(st.name_df[t]);
    wv.U32(st.templated_df[t]);
    wv.U32(static_cast<uint32_t>(st.name_form[t].size()));
    wv.Bytes(st.name_form[t]);
  }
  ByteWriter ws(&stories);
  ws.U32(st.next_story);
  ws.U8(st.newest.has_value() ? 1 : 0);
  ws.I64(st.newest.value_or(0));
  ws.U64(st.stories.size());
  for (const auto& [number, s] : st.stories) {
    ws.U32(number);
    ws.U32(static_cast<uint32_t>(s.members.size()));
    for (const internal::StoryAssignerState::Member& m : s.members) {
      ws.U32(static_cast<uint32_t>(m.id.size()));
      ws.Bytes(m.id);
      ws.U8(m.published.has_value() ? 1 : 0);
      ws.I64(m.published.value_or(0));
      ws.I64(m.seen);
      ws.U32(static_cast<uint32_t>(m.vector.ids.size()));
      for (size_t k = 0; k < m.vector.ids.size(); ++k) {
        ws.U32(m.vector.ids[k]);
        ws.U32(std::bit_cast<uint32_t>(m.vector.weights[k]));
      }
    }
  }
  return internal::EncodeSectionFile(kStateFile, {EncodeOptions(options_), idf, vocab, stories});
}

absl::Status StoryAssigner::Save(std::string_view path) const {
  return WriteFileAtomically(path, SaveToString());
}

absl::StatusOr<std::unique_ptr<StoryAssigner>> StoryAssigner::Load(
    std::string_view path, const StoryAssignerOptions* expected) {
  STORYSIFT_ASSIGN_OR_RETURN(const std::string bytes, internal::ReadWholeFile(kStateFile, path));
  absl::StatusOr<std::unique_ptr<StoryAssigner>> loaded = LoadFromString(bytes, expected);
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(),
                        absl::StrCat(std::string(path), ": ", loaded.status().message()));
  }
  return loaded;
}

absl::StatusOr<std::unique_ptr<StoryAssigner>> StoryAssigner::LoadFromString(
    std::string_view bytes, const StoryAssignerOptions* expected) {
  STORYSIFT_ASSIGN_OR_RETURN(const std::vector<std::string_view> payloads,
                             internal::DecodeSectionFile(kStateFile, bytes, 4));
  const uint32_t version = internal::SectionFileVersion(bytes);
  STORYSIFT_ASSIGN_OR_RETURN(StoryAssignerOptions options, DecodeOptions(payloads[0], version));
  if (version < 3 && expected != nullptr) {  // Not recorded: the caller's.
    options.tfidf.name_weight = expected->tfidf.name_weight;
    options.tfidf.table_word_weight = expected->tfidf.table_word_weight;
    options.tfidf.idf_power = expected->tfidf.idf_power;
  }
  if (expected != nullptr) {
    const std::string diff = FirstDifference(options, *expected);
    if (!diff.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("state was built with other options: ", diff));
    }
    if (expected->retention_seconds != kKeepSavedRetention) {
      options.retention_seconds = expected->retention_seconds;
    }
    options.clock_seconds = expected->clock_seconds;
  }
  if (payloads[1].empty() || static_cast<uint8_t>(payloads[1][0]) > 1 ||
      (payloads[1][0] == 0 && payloads[1].size() != 1)) {
    return Corrupt("IDF section");
  }
  std::optional<IdfModel> model;
  if (payloads[1][0] == 1) {
    absl::StatusOr<IdfModel> parsed = IdfModel::Parse(payloads[1].substr(1));
    if (!parsed.ok()) return Corrupt(absl::StrCat("IDF model: ", parsed.status().message()));
    model = *std::move(parsed);
    // A state saved before models recorded their term options may hold one
    // of other terms: refused as such, not as damage.
    if (absl::Status fits = model->CheckTermOptions(options.normalize); !fits.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("state holds an IDF model that does not fit it: ", fits.message()));
    }
  }
  absl::StatusOr<std::unique_ptr<StoryAssigner>> created =
      Create(options, model.has_value() ? &*model : nullptr);
  if (!created.ok()) {
    return absl::DataLossError(
        absl::StrCat("state file holds invalid options: ", created.status().message()));
  }
  std::unique_ptr<StoryAssigner> assigner = *std::move(created);
  internal::StoryAssignerState& st = *assigner->state_;

  ByteReader v(payloads[2]);
  uint64_t num_terms = 0;
  if (!v.U64(&st.docs_seen) || !v.U64(&num_terms)) return Corrupt("vocabulary header");
  if (num_terms > v.remaining() / 16) return Corrupt("vocabulary count exceeds the section");
  for (uint64_t t = 0; t < num_terms; ++t) {
    uint64_t hash = 0;
    uint32_t df = 0, len = 0;
    std::string_view display;
    if (!v.U64(&hash) || !v.U32(&df) || !v.U32(&len) || !v.Bytes(len, &display)) {
      return Corrupt(absl::StrFormat("vocabulary term %d", t));
    }
    if (st.term_id.contains(hash) || df > st.docs_seen) {
      return Corrupt(absl::StrFormat("vocabulary term %d repeats or has df > N", t));
    }
    st.Intern(hash, display);
    st.df.back() = df;
  }
  if (version >= 2) {
    STORYSIFT_RETURN_IF_ERROR(ReadLabelEvidence(v, &st));
  }
  if (v.remaining() != 0) return Corrupt("trailing bytes in the vocabulary section");

  ByteReader d(payloads[3]);
  uint8_t has_newest = 0;
  int64_t newest = 0;
  uint64_t num_stories = 0;
  if (!d.U32(&st.next_story) || !d.U8(&has_newest) || !d.I64(&newest) || !d.U64(&num_stories) ||
      has_newest > 1 || (has_newest == 0 && newest != 0) || st.next_story == 0 ||
      st.next_story == UINT32_MAX) {
    return Corrupt("stories header");
  }
  if (has_newest) st.newest = newest;
  if (num_stories > d.remaining() / 8) return Corrupt("story count exceeds the section");
  uint32_t last_number = 0;
  std::vector<uint32_t> top;
  for (uint64_t i = 0; i < num_stories; ++i) {
    uint32_t number = 0, num_members = 0;
    if (!d.U32(&number) || !d.U32(&num_members)) return Corrupt(absl::StrFormat("story %d", i));
    if (number <= last_number || number >= st.next_story || num_members == 0 ||
        num_members > d.remaining() / 17) {
      return Corrupt(absl::StrFormat("story %d has a bad number or member count", i));
    }
    last_number = number;
    for (uint32_t k = 0; k < num_members; ++k) {
      internal::StoryAssignerState::Member m;
      uint32_t id_len = 0, nnz = 0;
      std::string_view id;
      uint8_t has_published = 0;
      int64_t published = 0;
      int64_t seen = 0;
      if (!d.U32(&id_len) || !d.Bytes(id_len, &id) || !d.U8(&has_published) ||
          !d.I64(&published) || (version >= 4 && !d.I64(&seen)) || !d.U32(&nnz) ||
          nnz > d.remaining() / 8) {
        return Corrupt(absl::StrFormat("story %d member %d", i, k));
      }
      if (id.empty() || st.story_of.contains(AbslView(id)) || has_published > 1 ||
          (has_published == 0 && (published != 0 || seen != 0)) ||
          (version >= 4 && has_published == 1 &&
           (!has_newest || !SeenFitsClock(published, seen, newest)))) {
        return Corrupt(absl::StrFormat("story %d member %d has a bad id or date", i, k));
      }
      m.id = std::string(id);
      if (has_published) m.published = published;
      m.seen = version >= 4 ? seen : published;  // Older states: see RecountFromClock below.
      m.vector.ids.resize(nnz);
      m.vector.weights.resize(nnz);
      for (uint32_t e = 0; e < nnz; ++e) {
        uint32_t bits = 0;
        if (!d.U32(&m.vector.ids[e]) || !d.U32(&bits)) return Corrupt("member vector");
        m.vector.weights[e] = std::bit_cast<float>(bits);
        if (m.vector.ids[e] >= num_terms || (e > 0 && m.vector.ids[e] <= m.vector.ids[e - 1]) ||
            !std::isfinite(m.vector.weights[e])) {
          return Corrupt(absl::StrFormat("story %d member %d has a bad vector", i, k));
        }
      }
      // Replays the incremental assignment: the same floats as the run that
      // wrote the file.
      internal::TopTerms(m.vector.view(), options.story.candidates.top_terms, &top);
      const double dot = st.stories[number].centroid.Dot(m.vector.view());
      st.Append(number, std::move(m), dot, top);
    }
  }
  if (d.remaining() != 0) return Corrupt("trailing bytes in the stories section");
  if (version < 4 && !st.dates.empty()) {
    // The clock such a state recorded was the newest date added, a lone
    // typo's too (which had evicted every story once): it is taken again by
    // the rule Add follows, over the members' dates, never later than it was.
    const int64_t credible = internal::LatestCredibleDate(
        st.dates.rbegin(), st.dates.rend(), assigner->options_.retention_seconds, assigner->Now());
    st.RecountFromClock(std::min(st.newest.value_or(credible), credible));
  }
  return assigner;
}

}  // namespace storysift
