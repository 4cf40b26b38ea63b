#include "storysift/deduplicator.h"

#include <algorithm>
#include <cassert>
#include <ctime>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storysift/bbit_minhash.h"
#include "storysift/date.h"
#include "storysift/status_macros.h"
#include "cluster/nearest_representative.h"
#include "state/retention_clock.h"
#include "storysift/story_state.h"
#include "stream/dedup_state.h"

namespace storysift {

// ---- State ----

SketchView Deduplicator::State::view(uint32_t s) const {
  SketchView v;
  if (num_perm() > 0) {
    v.verify = absl::MakeConstSpan(verify).subspan(s * row_bytes(), row_bytes());
    v.verify_bits = verify_bits();
    v.band_keys = absl::MakeConstSpan(band_keys).subspan(s * num_bands(), num_bands());
    v.empty_set = IsEmptyVerifyRow(v.verify);
  } else {
    v.simhash = simhash[s];
  }
  return v;
}

void Deduplicator::State::Encode(const DocumentSketch& sketch, Encoded* out) const {
  out->set_size = sketch.set_size;
  out->view = SketchView();
  out->view.simhash = sketch.simhash;
  if (num_perm() == 0) return;
  out->row.resize(row_bytes());
  out->keys.resize(num_bands());
  verifier.Encode(sketch.minhash, absl::MakeSpan(out->row), absl::MakeSpan(out->keys));
  out->view.verify = out->row;
  out->view.verify_bits = verify_bits();
  out->view.band_keys = out->keys;
  out->view.empty_set = IsEmptySignature(sketch.minhash);
}

uint32_t Deduplicator::State::Store(const Record& record, const SketchView& sketch) {
  uint32_t s;
  if (!free_slots.empty()) {
    s = free_slots.back();
    free_slots.pop_back();
  } else {
    s = static_cast<uint32_t>(seq.size());
    ids.emplace_back();
    seq.push_back(kFreeSeq);
    published.emplace_back();
    seen.push_back(0);
    content_hash.push_back(0);
    rep.push_back(kNone);
    similarity.push_back(0);
    next_copy.push_back(kNone);
    set_size.push_back(0);
    if (num_perm() > 0) {
      verify.resize(verify.size() + row_bytes());
      band_keys.resize(band_keys.size() + num_bands());
    } else {
      simhash.push_back(0);
    }
  }
  ids[s] = std::string(record.id);
  seq[s] = record.seq;
  published[s] = record.published;
  seen[s] = record.published.has_value() ? record.seen : 0;
  content_hash[s] = record.content_hash;
  if (record.published.has_value()) dates.insert(*record.published);
  rep[s] = s;
  similarity[s] = 0;
  next_copy[s] = kNone;
  set_size[s] = record.set_size;
  if (num_perm() > 0) {
    assert(sketch.verify.size() == row_bytes() && sketch.band_keys.size() == num_bands());
    std::copy(sketch.verify.begin(), sketch.verify.end(), verify.begin() + s * row_bytes());
    std::copy(sketch.band_keys.begin(), sketch.band_keys.end(),
              band_keys.begin() + s * num_bands());
  } else {
    simhash[s] = sketch.simhash;
  }
  slot_of.emplace(ids[s], s);
  ++num_docs;
  return s;
}

void Deduplicator::State::LinkCopy(uint32_t s, uint32_t r, double sim) {
  rep[s] = r;
  similarity[s] = sim;
  next_copy[s] = next_copy[r];
  next_copy[r] = s;
}

absl::Status Deduplicator::State::IndexRep(uint32_t s) {
  STORYSIFT_RETURN_IF_ERROR(index->Add(s, view(s)));
  if (published[s].has_value()) {
    dated_reps.emplace(seen[s], s);
    if (seen[s] < *published[s]) future_reps.emplace(*published[s], s);
  }
  ++num_reps;
  return absl::OkStatus();
}

void Deduplicator::State::FreeSlot(uint32_t s) {
  slot_of.erase(ids[s]);
  if (published[s].has_value()) dates.erase(dates.find(*published[s]));
  std::string().swap(ids[s]);
  seq[s] = kFreeSeq;
  rep[s] = kNone;
  next_copy[s] = kNone;
  free_slots.push_back(s);
  --num_docs;
}

size_t Deduplicator::State::RemoveSlot(uint32_t s) {
  assert(live(s));
  const uint32_t r = rep[s];
  if (r != s) {  // A copy: unlink it from its representative's list.
    uint32_t* link = &next_copy[r];
    while (*link != s) link = &next_copy[*link];
    *link = next_copy[s];
    FreeSlot(s);
    return 1;
  }
  const absl::Status removed = index->Remove(s, view(s));
  assert(removed.ok());
  (void)removed;
  if (published[s].has_value()) {
    dated_reps.erase({seen[s], s});
    future_reps.erase({*published[s], s});
  }
  --num_reps;
  size_t count = 1;
  for (uint32_t c = next_copy[s]; c != kNone;) {
    const uint32_t next = next_copy[c];
    FreeSlot(c);
    ++count;
    c = next;
  }
  FreeSlot(s);
  return count;
}

int64_t Deduplicator::State::ClockIn(int64_t date, int64_t retention_seconds, int64_t now,
                                     bool* future_dated) {
  // The clock goes as far as the credible dates of the stored documents and
  // this one allow, never back: a lone typo moves nothing.
  auto inserted = dates.insert(date);
  int64_t limit =
      internal::LatestCredibleDate(dates.rbegin(), dates.rend(), retention_seconds, now);
  dates.erase(inserted);  // Store adds it if the document is kept.
  if (newest.has_value()) limit = std::max(limit, *newest);
  *future_dated = date > limit;
  const int64_t seen_at = std::min(date, limit);
  AdvanceClock(seen_at);
  return seen_at;
}

void Deduplicator::State::AdvanceClock(int64_t clock) {
  if (newest.has_value() && *newest >= clock) return;
  newest = clock;
  while (!future_reps.empty() && future_reps.begin()->first <= clock) {
    const auto [date, s] = *future_reps.begin();
    future_reps.erase(future_reps.begin());
    dated_reps.erase({seen[s], s});
    seen[s] = date;
    dated_reps.emplace(date, s);
  }
}

size_t Deduplicator::State::EvictBefore(int64_t cutoff) {
  size_t count = 0;
  while (!dated_reps.empty() && dated_reps.begin()->first < cutoff) {
    count += RemoveSlot(dated_reps.begin()->second);
  }
  return count;
}

std::vector<uint32_t> Deduplicator::State::SlotsBySeq() const {
  std::vector<uint32_t> slots;
  slots.reserve(num_docs);
  for (uint32_t s = 0; s < num_slots(); ++s) {
    if (live(s)) slots.push_back(s);
  }
  std::sort(slots.begin(), slots.end(), [this](uint32_t a, uint32_t b) { return seq[a] < seq[b]; });
  return slots;
}

// ---- Deduplicator ----

Deduplicator::Deduplicator(const DeduplicatorOptions& options, Normalizer normalizer,
                           Sketcher sketcher, std::unique_ptr<State> state)
    : options_(options),
      normalizer_(std::move(normalizer)),
      sketcher_(std::move(sketcher)),
      state_(std::move(state)),
      loaded_format_version_(kIndexFormatVersion) {}

Deduplicator::~Deduplicator() = default;

absl::StatusOr<std::unique_ptr<Deduplicator>> Deduplicator::Create(
    const DeduplicatorOptions& given) {
  DeduplicatorOptions options = given;
  STORYSIFT_RETURN_IF_ERROR(CheckRetentionSeconds(options.retention_seconds));
  // The stream is first-come, non-chaining; record that in the options.
  options.grouper.keep = KeepPolicy::kFirst;
  options.grouper.mode = GroupingMode::kNonChaining;
  NormalizeOptions normalize = options.normalize;
  normalize.terms = false;  // Sketches read token hashes only.
  normalize.token_hash = SketchTokenHash(options.sketch);  // The hashes they read.
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(normalize));
  STORYSIFT_ASSIGN_OR_RETURN(Sketcher sketcher, Sketcher::Create(options.sketch));
  STORYSIFT_ASSIGN_OR_RETURN(Verifier verifier, Verifier::Create(options.grouper, options.sketch));
  // Files record the real (b, r), so a later default cannot change them.
  if (verifier.kind() == SketchKind::kMinHash) options.grouper.lsh = verifier.bands();
  // MinHash: 32-bit band keys, so each document's keys can be kept (4 bytes
  // a band) in place of its full signature.
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<CandidateIndex> index,
                             verifier.NewIndex(/*short_keys=*/true));
  auto state = std::make_unique<State>(std::move(verifier), std::move(index));
  return std::unique_ptr<Deduplicator>(
      new Deduplicator(options, std::move(normalizer), std::move(sketcher), std::move(state)));
}

DocumentSketch Deduplicator::Sketch(const Document& doc) const {
  NormalizedText text;
  normalizer_.Normalize(doc.text, &text);
  DocumentSketch sketch = SketchText(text);
  sketch.content_hash = DocumentContentHash(doc);
  return sketch;
}

DocumentSketch Deduplicator::SketchText(const NormalizedText& text) const {
  DocumentSketch sketch;
  sketch.minhash.resize(sketcher_.num_perm());
  Sketcher::Scratch scratch;
  sketcher_.Compute(text, absl::MakeSpan(sketch.minhash), &sketch.simhash, &scratch);
  if (sketcher_.num_perm() > 0) sketch.set_size = scratch.set_size;
  return sketch;
}

namespace {

absl::Status CheckSketch(const DocumentSketch& sketch, int num_perm) {
  if (sketch.minhash.size() != static_cast<size_t>(num_perm)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "sketch has %d MinHash slots, the index expects %d", sketch.minhash.size(), num_perm));
  }
  return absl::OkStatus();
}

}  // namespace

// Verification by Verifier::Compare, as batch CompareDocs (candidate
// first); ties go to the earlier arrival, as batch kFirst breaks them by
// ordinal.
absl::StatusOr<DedupVerdict> Deduplicator::State::Judge(const Encoded& sketch,
                                                        uint32_t* rep_slot) const {
  const SketchView& q = sketch.view;
  std::vector<DocOrdinal> candidates;
  STORYSIFT_RETURN_IF_ERROR(index->Query(q, &candidates));
  internal::NearestRepresentative nearest;
  for (DocOrdinal c : candidates) {
    const Similarity s = verifier.Compare(view(c), set_size[c], q, sketch.set_size);
    if (s.passes) nearest.Offer(c, s.value, seq[c]);
  }
  DedupVerdict verdict;
  *rep_slot = kNone;
  if (nearest.found()) {
    verdict.is_new = false;
    verdict.duplicate_of = ids[nearest.rep()];
    verdict.similarity = nearest.similarity();
    *rep_slot = nearest.rep();
  }
  return verdict;
}

absl::StatusOr<DedupVerdict> Deduplicator::Add(const Document& doc) {
  return AddSketch(doc.id, doc.published, Sketch(doc));
}

absl::StatusOr<DedupVerdict> Deduplicator::AddSketch(std::string_view id,
                                                     std::optional<int64_t> published,
                                                     const DocumentSketch& sketch) {
  if (id.empty()) return absl::InvalidArgumentError("document id is empty");
  STORYSIFT_RETURN_IF_ERROR(CheckSketch(sketch, state_->num_perm()));
  State::Encoded encoded;
  state_->Encode(sketch, &encoded);  // Reads only immutable state.
  const int64_t now = options_.clock_seconds != 0 ? options_.clock_seconds : std::time(nullptr);
  std::unique_lock lock(state_->mu);
  State& st = *state_;
  if (st.slot_of.contains(AbslView(id))) {
    return absl::AlreadyExistsError(
        absl::StrCat("document id '", std::string(id), "' is already in the index"));
  }
  if (st.num_slots() >= State::kNone - 1 && st.free_slots.empty()) {
    return absl::ResourceExhaustedError("the index holds 2^32 - 2 documents");
  }
  State::Record record{id, published, 0, 0, sketch.set_size, sketch.content_hash};
  bool future_dated = false;
  if (published.has_value()) {
    record.seen = st.ClockIn(*published, options_.retention_seconds, now, &future_dated);
  }
  size_t evicted = 0;
  bool inside_window = true;
  if (options_.retention_seconds > 0 && st.newest.has_value()) {
    const int64_t cutoff = SecondsBefore(*st.newest, options_.retention_seconds);
    evicted = st.EvictBefore(cutoff);
    inside_window = !published.has_value() || record.seen >= cutoff;
  }
  uint32_t rep_slot;
  STORYSIFT_ASSIGN_OR_RETURN(DedupVerdict verdict, st.Judge(encoded, &rep_slot));
  verdict.future_dated = future_dated;
  verdict.evicted = evicted;
  if (!inside_window) {  // Judged, not kept: the window has passed it.
    verdict.stored = false;
    return verdict;
  }
  record.seq = st.next_seq++;
  const uint32_t s = st.Store(record, encoded.view);
  if (verdict.is_new) {
    STORYSIFT_RETURN_IF_ERROR(st.IndexRep(s));
  } else {
    st.LinkCopy(s, rep_slot, verdict.similarity);
  }
  return verdict;
}

absl::StatusOr<DedupVerdict> Deduplicator::Query(const Document& doc) const {
  return QuerySketch(Sketch(doc));
}

absl::StatusOr<DedupVerdict> Deduplicator::QuerySketch(const DocumentSketch& sketch) const {
  STORYSIFT_RETURN_IF_ERROR(CheckSketch(sketch, state_->num_perm()));
  State::Encoded encoded;
  state_->Encode(sketch, &encoded);
  std::shared_lock lock(state_->mu);
  uint32_t unused;
  return state_->Judge(encoded, &unused);
}

absl::StatusOr<size_t> Deduplicator::Remove(std::string_view id) {
  std::unique_lock lock(state_->mu);
  auto it = state_->slot_of.find(AbslView(id));
  if (it == state_->slot_of.end()) {
    return absl::NotFoundError(
        absl::StrCat("document id '", std::string(id), "' is not in the index"));
  }
  return state_->RemoveSlot(it->second);
}

size_t Deduplicator::EvictOlderThan(int64_t utc_seconds) {
  std::unique_lock lock(state_->mu);
  return state_->EvictBefore(utc_seconds);
}

bool Deduplicator::Contains(std::string_view id) const {
  std::shared_lock lock(state_->mu);
  return state_->slot_of.contains(AbslView(id));
}

std::optional<int64_t> Deduplicator::RetentionClock() const {
  std::shared_lock lock(state_->mu);
  return state_->newest;
}

StoredContent Deduplicator::CompareStored(std::string_view id, uint64_t content_hash) const {
  std::shared_lock lock(state_->mu);
  auto it = state_->slot_of.find(AbslView(id));
  if (it == state_->slot_of.end()) return StoredContent::kAbsent;
  const uint64_t stored = state_->content_hash[it->second];
  if (stored == 0 || content_hash == 0) return StoredContent::kUnknown;
  return stored == content_hash ? StoredContent::kSame : StoredContent::kChanged;
}

size_t Deduplicator::Size() const {
  std::shared_lock lock(state_->mu);
  return state_->num_docs;
}

size_t Deduplicator::NumRepresentatives() const {
  std::shared_lock lock(state_->mu);
  return state_->num_reps;
}

size_t Deduplicator::MemoryUsage() const {
  std::shared_lock lock(state_->mu);
  const State& st = *state_;
  size_t bytes = st.index->MemoryUsage();
  bytes += st.ids.capacity() * sizeof(std::string);
  for (const std::string& id : st.ids) {
    if (id.capacity() > 15) bytes += id.capacity() + 1;  // Beyond the SSO buffer.
  }
  bytes += (st.seq.capacity() + st.content_hash.capacity()) * sizeof(uint64_t);
  bytes += st.seen.capacity() * sizeof(int64_t);
  bytes += st.published.capacity() * sizeof(std::optional<int64_t>);
  bytes += (st.rep.capacity() + st.next_copy.capacity() + st.free_slots.capacity() +
            st.band_keys.capacity() + st.set_size.capacity()) *
               sizeof(uint32_t) +
           st.verify.capacity();
  bytes += st.similarity.capacity() * sizeof(double);
  bytes += st.simhash.capacity() * sizeof(uint64_t);
  // flat_hash_map: one control byte plus one slot per bucket (keys' heap
  // buffers are copies of the ids above; counted once more).
  bytes += st.slot_of.capacity() * (1 + sizeof(std::pair<std::string, uint32_t>));
  for (const std::string& id : st.ids) {
    if (id.capacity() > 15) bytes += id.capacity() + 1;
  }
  // std::set node: three pointers, a colour word and the value.
  bytes += (st.dated_reps.size() + st.future_reps.size()) *
           (4 * sizeof(void*) + sizeof(std::pair<int64_t, uint32_t>));
  // B-tree leaves hold about 30 dates in 256 bytes, mostly full.
  bytes += st.dates.size() * 12;
  return bytes;
}

}  // namespace storysift
