// Streaming story assignment of whole documents: TF-IDF weighting against a
// growing vocabulary, then centroid assignment shared with StoryTracker
// (first-story detection: Petrovic, Osborne and Lavrenko 2010; Allan, Papka
// and Lavrenko 1998).
#include "storysift/story_assigner.h"

#include <algorithm>
#include <cassert>
#include <ctime>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "state/retention_clock.h"
#include "storysift/date.h"
#include "storysift/status_macros.h"
#include "storysift/story_state.h"
#include "stream/dedup_state.h"
#include "stream/story_assigner_state.h"
#include "vector/label_terms.h"
#include "vector/tfidf_weighting.h"

namespace storysift {

namespace {

using State = internal::StoryAssignerState;

// The document's unit TF-IDF vector; terms not in the vocabulary get the ids
// Add would give them (after the known ones, in term hash order), so Query
// and Add see the same vector. The document counts in its own terms' df.
SparseVector Weigh(const TfidfOptions& options, const IdfModel* idf, const State& st,
                   const TermCounts& counts) {
  const double n_docs = idf != nullptr ? static_cast<double>(idf->num_docs())
                                       : static_cast<double>(st.docs_seen + 1);
  std::vector<std::pair<uint32_t, float>> terms;
  terms.reserve(counts.entries.size());
  uint32_t next_new = static_cast<uint32_t>(st.term_hash.size());
  for (const TermCounts::Entry& e : counts.entries) {
    auto it = st.term_id.find(e.term);
    const bool known = it != st.term_id.end();
    const uint32_t id = known ? it->second : next_new++;
    const double df = idf != nullptr ? idf->df(e.term) : (known ? st.df[id] : 0) + 1.0;
    terms.emplace_back(id, internal::TermWeight(options, e.tf,
                                                internal::IdfWeight(options, n_docs, df)));
  }
  std::sort(terms.begin(), terms.end());
  SparseVector v;
  v.ids.reserve(terms.size());
  v.weights.reserve(terms.size());
  for (const auto& [id, w] : terms) {
    v.ids.push_back(id);
    v.weights.push_back(w);
  }
  std::vector<uint32_t> order;
  const size_t n = internal::FinishRow(options, v.ids.data(), v.weights.data(), v.ids.size(), &order);
  v.ids.resize(n);
  v.weights.resize(n);
  return v;
}

// The label of a story's terms (id, weight): each term judged by the
// state's corpus evidence with `joining` counted in, as if added (its df
// counts in Weigh too), or as held when `joining` is null. Ids from
// `known_terms` on are the joining document's new terms, entry
// new_entry[id - known_terms] of its counts.
std::vector<std::string> LabelOf(const State& st, const internal::CountedDocument* joining,
                                 size_t known_terms, const std::vector<uint32_t>& new_entry,
                                 std::vector<std::pair<uint32_t, float>> terms, int label_terms) {
  static const TermCounts kNoDocument;
  const TermCounts& counts = joining != nullptr ? joining->counts : kNoDocument;
  const auto term_hash = [&](uint32_t id) {
    return id < known_terms ? st.term_hash[id] : counts.entries[new_entry[id - known_terms]].term;
  };
  const uint64_t docs = st.docs_seen + (joining != nullptr ? 1 : 0);
  const internal::LabelCorpus corpus{
      static_cast<uint32_t>(std::min<uint64_t>(docs, UINT32_MAX)),
      static_cast<uint32_t>(std::min<uint64_t>(st.templated_docs + counts.templated, UINT32_MAX))};
  absl::flat_hash_map<uint64_t, std::string_view> doc_name_form;
  for (size_t k = 0; k < counts.names.size(); ++k) {
    doc_name_form.emplace(counts.names[k].term, counts.name_form(k));
  }
  // Each term judged once: LabelOf asks for a term's kind several times.
  struct Judged {
    LabelTermKind kind;
    std::string_view display;
  };
  absl::flat_hash_map<uint32_t, Judged> judged;
  judged.reserve(terms.size());
  for (const auto& [id, weight] : terms) {
    const uint64_t hash = term_hash(id);
    const bool known = id < known_terms;
    const auto entry = std::lower_bound(
        counts.entries.begin(), counts.entries.end(), hash,
        [](const TermCounts::Entry& e, uint64_t h) { return e.term < h; });
    const bool held = entry != counts.entries.end() && entry->term == hash;
    const auto named = doc_name_form.find(hash);
    const bool is_named = named != doc_name_form.end();
    internal::LabelTermEvidence e;
    e.folded = known ? std::string_view(st.display[id])
                     : counts.entry_form(new_entry[id - known_terms]);
    e.name_form = known ? std::string_view(st.name_form[id]) : std::string_view();
    if (e.name_form.empty() && is_named) e.name_form = named->second;
    e.df = (known ? st.df[id] : 0) + held;
    e.name_df = (known ? st.name_df[id] : 0) + is_named;
    e.templated_df = (known ? st.templated_df[id] : 0) + (held && counts.templated);
    const LabelTermKind kind = internal::ClassifyLabelTerm(e, corpus);
    judged[id] = {kind, kind == LabelTermKind::kName && !e.name_form.empty() ? e.name_form
                                                                              : e.folded};
  }
  return internal::LabelOf(
      std::move(terms), term_hash, [&](uint32_t id) { return judged.at(id).kind; },
      [&](uint32_t id) { return judged.at(id).display; }, label_terms);
}

// Where Query stands: the clock Add would move to, and the cutoff of the
// stories Add would evict first.
struct Horizon {
  int64_t clock = 0;
  int64_t cutoff = 0;
};

// The label of held story `number` as it stands (no document joins it).
std::vector<std::string> HeldLabel(const State& st, uint32_t number, int label_terms) {
  const auto& weights = st.stories.at(number).centroid.weights;
  std::vector<std::pair<uint32_t, float>> terms(weights.begin(), weights.end());
  std::sort(terms.begin(), terms.end());
  return LabelOf(st, nullptr, st.term_hash.size(), {}, std::move(terms), label_terms);
}

// The label of the story `doc` (vector v, ids given against known_terms)
// joins, held story `joined` or a new one (null), once it has joined.
std::vector<std::string> JoinedLabel(const State& st, const internal::CountedDocument& doc,
                                     const SparseVectorView& v, size_t known_terms,
                                     const State::StoryRec* joined, int label_terms) {
  // Centroid after the document joins: the label's terms.
  std::vector<std::pair<uint32_t, float>> terms;
  if (joined != nullptr) {
    terms.assign(joined->centroid.weights.begin(), joined->centroid.weights.end());
    std::sort(terms.begin(), terms.end());
    const size_t held = terms.size();
    for (size_t k = 0; k < v.size(); ++k) {
      auto pos = std::lower_bound(
          terms.begin(), terms.begin() + held, v.ids[k],
          [](const std::pair<uint32_t, float>& t, uint32_t id) { return t.first < id; });
      if (pos != terms.begin() + held && pos->first == v.ids[k]) {
        pos->second += v.weights[k];  // The float sum Centroid::Add makes.
      } else {
        terms.emplace_back(v.ids[k], v.weights[k]);
      }
    }
  } else {
    for (size_t k = 0; k < v.size(); ++k) terms.emplace_back(v.ids[k], v.weights[k]);
  }
  // New terms' hashes and surfaces come from the document (hash order).
  std::vector<uint32_t> new_entry;  // Id - known_terms -> counts entry.
  for (size_t e = 0; e < doc.counts.entries.size(); ++e) {
    if (!st.term_id.contains(doc.counts.entries[e].term)) new_entry.push_back(e);
  }
  return LabelOf(st, &doc, known_terms, new_entry, std::move(terms), label_terms);
}

// Judges a vectorized document against the held stories, skipping those
// Add would evict first (counted before horizon->cutoff). A document that
// is not `kept` (older than the retention window) joins nothing and starts
// nothing: the verdict names the held story it matches, with that story's
// label as it stands, or no story.
State::Judgement Judge(const StoryAssignerOptions& options, const IdfModel* idf, const State& st,
                       const internal::CountedDocument& doc, std::optional<int64_t> published,
                       std::optional<Horizon> horizon, bool kept) {
  State::Judgement j;
  j.known_terms = st.term_hash.size();
  j.vector = Weigh(options.tfidf, idf, st, doc.counts);
  const SparseVectorView v = j.vector.view();
  internal::TopTerms(v, options.story.candidates.top_terms, &j.top);
  std::vector<uint32_t> candidates;
  st.index.Candidates(j.top, &candidates);
  if (horizon.has_value()) {
    std::erase_if(candidates, [&](uint32_t c) {
      const std::optional<int64_t> last = st.LastSeenAt(st.stories.at(c), horizon->clock);
      return last.has_value() && *last < horizon->cutoff;
    });
  }
  const internal::BestStory best = internal::FindBestStory(
      candidates, v, published, options.story.window_seconds, [&](uint32_t c) {
        const State::StoryRec& s = st.stories.at(c);
        return std::make_pair(&s.centroid, s.last_published);
      });
  const bool matched = best.story != UINT32_MAX && best.similarity >= options.story.threshold;
  j.verdict.stored = kept;
  if (matched) {
    j.story = best.story;
    j.dot = best.dot;
    j.verdict.is_new_story = false;
    j.verdict.similarity = best.similarity;
    j.verdict.story_id = FormatStoryId(best.story);
  } else {
    j.verdict.is_new_story = kept;
    // A new story's number, taken only when the document is kept.
    if (kept) j.verdict.story_id = FormatStoryId(st.next_story);
  }
  if (!kept) {
    if (matched) j.verdict.label = HeldLabel(st, j.story, options.story.label_terms);
    return j;
  }
  j.verdict.label = JoinedLabel(st, doc, v, j.known_terms,
                                matched ? &st.stories.at(j.story) : nullptr,
                                options.story.label_terms);
  return j;
}

}  // namespace

// ---- StoryAssigner ----

StoryAssigner::StoryAssigner(const StoryAssignerOptions& options, Normalizer normalizer,
                             std::optional<IdfModel> idf)
    : options_(options),
      normalizer_(std::move(normalizer)),
      idf_(std::move(idf)),
      state_(std::make_unique<State>()) {}

StoryAssigner::~StoryAssigner() = default;

absl::StatusOr<std::unique_ptr<StoryAssigner>> StoryAssigner::Create(
    const StoryAssignerOptions& options, const IdfModel* idf) {
  STORYSIFT_RETURN_IF_ERROR(CheckRetentionSeconds(options.retention_seconds));
  STORYSIFT_RETURN_IF_ERROR(internal::ValidateStoryOptions(options.story));
  // The vectorizer validates the tfidf options.
  STORYSIFT_RETURN_IF_ERROR(TfidfVectorizer::Create(options.tfidf).status());
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(options.normalize));
  std::optional<IdfModel> model;
  if (idf != nullptr) {
    STORYSIFT_RETURN_IF_ERROR(idf->CheckTermOptions(options.normalize));
    model = *idf;
  }
  return std::unique_ptr<StoryAssigner>(
      new StoryAssigner(options, std::move(normalizer), std::move(model)));
}

internal::CountedDocument StoryAssigner::Count(const Document& doc) const {
  NormalizedText body, title;
  normalizer_.Normalize(doc.text, &body);
  normalizer_.Normalize(doc.title, &title);
  internal::CountedDocument out;
  TfidfVectorizer::CountTerms(options_.tfidf, body, &title, &out.counts);
  return out;
}

int64_t StoryAssigner::Now() const {
  return options_.clock_seconds != 0 ? options_.clock_seconds : std::time(nullptr);
}

absl::StatusOr<StoryVerdict> StoryAssigner::Add(const Document& doc) {
  if (doc.id.empty()) return absl::InvalidArgumentError("document id is empty");
  const internal::CountedDocument counted = Count(doc);
  const int64_t now = Now();
  std::unique_lock lock(state_->mu);
  State& st = *state_;
  if (st.story_of.contains(AbslView(doc.id))) {
    return absl::AlreadyExistsError(absl::StrCat("document id '", doc.id, "' is already held"));
  }
  if (st.next_story == UINT32_MAX ||
      st.term_hash.size() + counted.counts.entries.size() >= UINT32_MAX) {
    return absl::ResourceExhaustedError("the story assigner holds 2^32 - 2 stories or terms");
  }
  bool future_dated = false;
  int64_t seen = 0;
  if (doc.published.has_value()) {
    seen = st.CountedTime(*doc.published, options_.retention_seconds, now, &future_dated);
    st.AdvanceClock(seen);
  }
  size_t evicted = 0;
  bool inside_window = true;
  if (options_.retention_seconds > 0 && st.newest.has_value()) {
    const int64_t cutoff = SecondsBefore(*st.newest, options_.retention_seconds);
    evicted = st.EvictBefore(cutoff);
    inside_window = !doc.published.has_value() || seen >= cutoff;
  }
  const IdfModel* idf = idf_.has_value() ? &*idf_ : nullptr;
  // The time decay reads the document's own date, as batch clustering does:
  // only the retention counts it at the clock.
  State::Judgement j =
      Judge(options_, idf, st, counted, doc.published, std::nullopt, inside_window);
  j.verdict.future_dated = future_dated;
  j.verdict.evicted = evicted;
  // Judged, not kept: the window has passed it (the next Add would evict
  // it), so it changes no story and no document frequency.
  if (!inside_window) return std::move(j.verdict);
  st.CountDocument(counted);
  const uint32_t number = j.verdict.is_new_story ? st.next_story++ : j.story;
  State::Member member{doc.id, doc.published, seen, std::move(j.vector)};
  st.Append(number, std::move(member), j.dot, j.top);
  return std::move(j.verdict);
}

absl::StatusOr<StoryVerdict> StoryAssigner::Query(const Document& doc) const {
  // No id needed: nothing is kept (as Deduplicator::Query).
  const internal::CountedDocument counted = Count(doc);
  const int64_t now = Now();
  std::shared_lock lock(state_->mu);
  const State& st = *state_;
  std::optional<int64_t> clock = st.newest;
  std::optional<int64_t> seen;
  if (doc.published.has_value()) {
    bool ahead = false;
    seen = st.CountedTime(*doc.published, options_.retention_seconds, now, &ahead);
    clock = std::max(clock.value_or(*seen), *seen);
  }
  std::optional<Horizon> horizon;
  if (options_.retention_seconds > 0 && clock.has_value()) {
    horizon = Horizon{*clock, SecondsBefore(*clock, options_.retention_seconds)};
  }
  // Add's rule: a document older than the window would not be kept.
  const bool kept = !horizon.has_value() || !seen.has_value() || *seen >= horizon->cutoff;
  const IdfModel* idf = idf_.has_value() ? &*idf_ : nullptr;
  return Judge(options_, idf, st, counted, doc.published, horizon, kept).verdict;
}

absl::Status StoryAssigner::Remove(std::string_view id) {
  std::unique_lock lock(state_->mu);
  State& st = *state_;
  auto it = st.story_of.find(AbslView(id));
  if (it == st.story_of.end()) {
    return absl::NotFoundError(absl::StrCat("document id '", std::string(id), "' is not held"));
  }
  const uint32_t number = it->second;
  if (st.stories.at(number).members.size() == 1) {
    st.FreeStory(number);
  } else {
    st.RemoveMember(number, id, options_.story.candidates.top_terms);
  }
  return absl::OkStatus();
}

size_t StoryAssigner::EvictOlderThan(int64_t utc_seconds) {
  std::unique_lock lock(state_->mu);
  return state_->EvictBefore(utc_seconds);
}

std::optional<int64_t> StoryAssigner::RetentionClock() const {
  std::shared_lock lock(state_->mu);
  return state_->newest;
}

bool StoryAssigner::Contains(std::string_view id) const {
  std::shared_lock lock(state_->mu);
  return state_->story_of.contains(AbslView(id));
}

std::optional<std::string> StoryAssigner::StoryOf(std::string_view id) const {
  std::shared_lock lock(state_->mu);
  auto it = state_->story_of.find(AbslView(id));
  if (it == state_->story_of.end()) return std::nullopt;
  return FormatStoryId(it->second);
}

size_t StoryAssigner::Size() const {
  std::shared_lock lock(state_->mu);
  return state_->story_of.size();
}

size_t StoryAssigner::NumStories() const {
  std::shared_lock lock(state_->mu);
  return state_->stories.size();
}

size_t StoryAssigner::MemoryUsage() const {
  std::shared_lock lock(state_->mu);
  const State& st = *state_;
  auto heap = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  size_t bytes = st.index.MemoryUsage();
  bytes += st.term_id.capacity() * (1 + sizeof(std::pair<uint64_t, uint32_t>));
  bytes += st.term_hash.capacity() * sizeof(uint64_t) + st.df.capacity() * sizeof(uint32_t);
  bytes += (st.name_df.capacity() + st.templated_df.capacity()) * sizeof(uint32_t);
  bytes += (st.display.capacity() + st.name_form.capacity()) * sizeof(std::string);
  for (const std::string& d : st.display) bytes += heap(d);
  for (const std::string& f : st.name_form) bytes += heap(f);
  bytes += st.story_of.capacity() * (1 + sizeof(std::pair<std::string, uint32_t>));
  // Tree nodes (map, set): three pointers and a colour word plus the value.
  bytes += st.dated.size() * (4 * sizeof(void*) + sizeof(std::pair<int64_t, uint32_t>));
  for (const auto& [number, s] : st.stories) {
    bytes += 4 * sizeof(void*) + sizeof(std::pair<const uint32_t, State::StoryRec>);
    bytes += s.centroid.weights.capacity() * (1 + sizeof(std::pair<uint32_t, float>));
    bytes += s.centroid.index_terms.capacity() * sizeof(uint32_t);
    bytes += s.members.capacity() * sizeof(State::Member);
    for (const State::Member& m : s.members) {
      bytes += 2 * heap(m.id);  // Also the key in story_of.
      bytes += m.vector.ids.capacity() * sizeof(uint32_t) +
               m.vector.weights.capacity() * sizeof(float);
    }
  }
  return bytes;
}

}  // namespace storysift
