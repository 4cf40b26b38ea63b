// The steps of storysift.dask.dedup (sharded_dedup.h): a shard sketched into
// numpy arrays (moved, not copied, out of the Corpus), its band postings,
// the shuffle's bucket of each key, the candidate pairs of a bucket, their
// verification from two shards' compact rows, and the last step: the
// grouping over every verified pair and the `storysift dedup` lines.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "errors.h"
#include "module.h"
#include "options.h"
#include "records.h"
#include "storysift/bbit_minhash.h"
#include "pipeline/corpus.h"
#include "io/dedup_writer.h"
#include "storysift/input_stream.h"
#include "storysift/record_fields.h"
#include "storysift/sharded_dedup.h"
#include "storysift/status_macros.h"

namespace py = pybind11;

namespace storysift::python {
namespace {

template <typename T>
using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;

// Hands a vector's buffer to numpy without copying it.
template <typename T>
py::array_t<T> Adopt(std::vector<T>&& v, std::vector<py::ssize_t> shape) {
  auto* owned = new std::vector<T>(std::move(v));
  py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(shape, owned->data(), free_when_done);
}

template <typename T>
absl::Span<const T> View(const Array<T>& a) {
  return absl::Span<const T>(a.data(), static_cast<size_t>(a.size()));
}

void CheckDistributable(const JobOptions& options) {
  if (options.dedup.sketch.kind != SketchKind::kMinHash || options.dedup.exact_verify ||
      options.dedup.grouper.mode != GroupingMode::kNonChaining) {
    ThrowIfError(absl::InvalidArgumentError(
        "the distributed dedup supports method=minhash with estimated verification (no "
        "exact_verify) and grouping=nonchaining"));
  }
}

// A shard: everything later steps need, as numpy arrays and lists.
py::dict ShardToPython(Corpus corpus) {
  const auto n = static_cast<py::ssize_t>(corpus.num_docs());
  const auto row_bytes = static_cast<py::ssize_t>(
      VerifyRowBytes(corpus.verify_bits, corpus.num_perm));
  const auto bands = static_cast<py::ssize_t>(corpus.band_params.num_bands);
  std::vector<int64_t> published(n, 0);
  std::vector<uint8_t> dated(n, 0);
  std::vector<uint32_t> tokens(n, 0);
  for (py::ssize_t d = 0; d < n; ++d) {
    published[d] = corpus.meta[d].published.value_or(0);
    dated[d] = corpus.meta[d].published.has_value();
    tokens[d] = corpus.meta[d].num_tokens;
  }
  // Each input record: a document's shard ordinal, or -(skip index + 1).
  std::vector<int64_t> entries;
  entries.reserve(corpus.input_order.size());
  for (const InputEntry& e : corpus.input_order) {
    entries.push_back(e.skipped ? -static_cast<int64_t>(e.index) - 1 : int64_t{e.index});
  }
  py::list skips;
  for (size_t i = 0; i < static_cast<size_t>(corpus.report.skipped()); ++i) {
    const Origin origin = corpus.report.skipped_origin(i);
    skips.append(py::make_tuple(origin.file, origin.line, corpus.report.skipped_reason(i)));
  }
  py::dict out;
  out["n"] = n;
  out["ids"] = corpus.ids;
  out["verify"] = Adopt(std::move(corpus.verify), {n, row_bytes});
  out["set_sizes"] = Adopt(std::move(corpus.set_sizes), {n});
  out["band_keys"] = Adopt(std::move(corpus.band_keys), {n, bands});
  out["published"] = Adopt(std::move(published), {n});
  out["dated"] = Adopt(std::move(dated), {n});
  out["num_tokens"] = Adopt(std::move(tokens), {n});
  out["entries"] = Adopt(std::move(entries), {static_cast<py::ssize_t>(entries.size())});
  out["skips"] = skips;
  // The first skips of each reason with their messages (the run's checks
  // name them), and what each input gave.
  py::list examples;
  for (const SkippedRecord& e : corpus.report.skip_examples()) {
    examples.append(py::make_tuple(e.origin.file, e.origin.line, e.reason, e.message));
  }
  out["skip_examples"] = examples;
  py::list inputs;
  for (const InputSummary& input : corpus.report.inputs()) {
    py::dict by_reason;
    for (const auto& [reason, count] : input.skipped_by_reason) by_reason[py::str(reason)] = count;
    inputs.append(py::make_tuple(input.path, input.documents, by_reason));
  }
  out["inputs"] = inputs;
  // The shard's warnings (duplicate ids within it, dates not understood,
  // text repaired or truncated): their count and the first one.
  out["warning_count"] = corpus.report.warning_count();
  if (!corpus.report.warnings().empty()) {
    const SkippedRecord& w = corpus.report.warnings().front();
    out["first_warning"] = absl::StrCat(w.origin.ToString(), ": ", w.message);
  } else {
    out["first_warning"] = py::none();
  }
  return out;
}

py::dict SketchStream(InputStream stream, const JobOptions& options) {
  absl::StatusOr<Corpus> corpus;
  {
    py::gil_scoped_release release;
    absl::StatusOr<Normalizer> normalizer = Normalizer::Create(options.normalize);
    if (!normalizer.ok()) {
      corpus = normalizer.status();
    } else {
      // Compact, as the CLI loads it: b-bit rows and the verifier's band keys.
      CorpusOptions compact;
      compact.sketch = options.dedup.sketch;
      compact.verifier = options.verifier;
      corpus = LoadCorpus(stream, *normalizer, compact, Context(options));
    }
  }
  return ShardToPython(ValueOrThrow(std::move(corpus)));
}

// A partition of records, read without the *_field check (CheckFields
// makes it over all partitions): the shard has "fields", its FieldPresence
// as (required_found, seen, records).
py::dict SketchRecords(const py::handle& records, const py::dict& kwargs,
                       const std::string& origin_name) {
  const JobOptions options = ParseOptions(kwargs, OptionSet::kDedup);
  CheckDistributable(options);
  ConvertedRecords converted = ConvertRecords(records, options.reader, origin_name);
  const FieldPresence& fields = converted.fields;
  py::list found;
  for (const bool f : fields.required_found) found.append(f);
  py::tuple presence = py::make_tuple(found, fields.seen, fields.records);
  py::dict shard = SketchStream(
      InputStream::FromRecords(std::move(converted.records), {std::move(converted.summary)}),
      options);
  shard["fields"] = presence;
  return shard;
}

// ValueError unless each field named by a *_field option is in some record
// of the whole collection: the check storysift.dedup makes of its records,
// with its message. `parts`: the shards' "fields".
void CheckFields(const py::list& parts, const py::dict& kwargs) {
  const JobOptions options = ParseOptions(kwargs, OptionSet::kDedup);
  FieldPresence all;
  for (py::handle part : parts) {
    const py::tuple t = py::reinterpret_borrow<py::tuple>(part);
    FieldPresence p;
    for (py::handle f : t[0]) p.required_found.push_back(f.cast<bool>());
    for (py::handle f : t[1]) p.seen.insert(f.cast<std::string>());
    p.records = t[2].cast<size_t>();
    all.Merge(p);
  }
  CheckRequiredFields(all, options.reader, "records");
}

py::dict SketchFiles(const std::vector<std::string>& paths, const py::dict& kwargs) {
  const JobOptions options = ParseOptions(kwargs, OptionSet::kDedupFiles);
  CheckDistributable(options);
  return SketchStream(ValueOrThrow(InputStream::Open(paths, options.reader)), options);
}

// A shard's compact table: b-bit rows, set sizes, band keys.
SketchTable ShardTable(const JobOptions& options, const Array<uint8_t>& verify,
                       const Array<uint32_t>& set_sizes, const Array<uint32_t>& band_keys) {
  SketchTable t;
  t.num_docs = static_cast<size_t>(set_sizes.size());
  t.num_perm = options.dedup.sketch.minhash.num_perm;
  t.verify_bits = options.dedup.sketch.verify_bits;
  t.verify = View(verify);
  t.set_sizes = View(set_sizes);
  t.band_keys = View(band_keys);
  t.band_params = options.verifier->bands();
  const size_t row_bytes = VerifyRowBytes(t.verify_bits, t.num_perm);
  if (t.verify.size() != t.num_docs * row_bytes ||
      (!t.band_keys.empty() &&
       t.band_keys.size() != t.num_docs * static_cast<size_t>(t.band_params.num_bands))) {
    throw py::value_error("shard arrays do not match the options (num_perm, verify_bits, bands)");
  }
  return t;
}

py::tuple BandPostings(const Array<uint8_t>& verify, const Array<uint32_t>& set_sizes,
                       const Array<uint32_t>& band_keys, uint64_t first_ordinal,
                       const py::dict& kwargs) {
  const JobOptions options = ParseOptions(kwargs, OptionSet::kDedupFiles);
  const SketchTable t = ShardTable(options, verify, set_sizes, band_keys);
  std::vector<uint64_t> keys, ordinals;
  {
    py::gil_scoped_release release;
    ShardBandPostings(t, first_ordinal, &keys, &ordinals);
  }
  const auto n = static_cast<py::ssize_t>(keys.size());
  return py::make_tuple(Adopt(std::move(keys), {n}), Adopt(std::move(ordinals), {n}));
}

py::array_t<uint32_t> Buckets(const Array<uint64_t>& keys, uint32_t num_buckets) {
  if (num_buckets == 0) throw py::value_error("num_buckets must be > 0");
  py::array_t<uint32_t> out(keys.size());
  BandKeyBuckets(View(keys), num_buckets,
                 absl::MakeSpan(out.mutable_data(), static_cast<size_t>(keys.size())));
  return out;
}

py::tuple Pairs(const Array<uint64_t>& keys, const Array<uint64_t>& ordinals) {
  if (keys.size() != ordinals.size()) throw py::value_error("keys and ordinals differ in length");
  std::vector<std::pair<uint64_t, uint64_t>> pairs;
  {
    py::gil_scoped_release release;
    pairs = PairsSharingKey(View(keys), View(ordinals));
  }
  std::vector<uint64_t> a(pairs.size()), b(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) std::tie(a[i], b[i]) = pairs[i];
  const auto n = static_cast<py::ssize_t>(pairs.size());
  return py::make_tuple(Adopt(std::move(a), {n}), Adopt(std::move(b), {n}));
}

py::tuple Verify(const Array<uint8_t>& verify_a, const Array<uint32_t>& sizes_a,
                 const Array<uint8_t>& verify_b, const Array<uint32_t>& sizes_b,
                 const Array<uint32_t>& rows_a, const Array<uint32_t>& rows_b,
                 const py::dict& kwargs) {
  const JobOptions options = ParseOptions(kwargs, OptionSet::kDedupFiles);
  const Array<uint32_t> no_keys(0);
  const SketchTable a = ShardTable(options, verify_a, sizes_a, no_keys);
  const SketchTable b = ShardTable(options, verify_b, sizes_b, no_keys);
  const size_t n = static_cast<size_t>(rows_a.size());
  if (static_cast<size_t>(rows_b.size()) != n) throw py::value_error("rows differ in length");
  for (size_t i = 0; i < n; ++i) {
    if (rows_a.data()[i] >= a.num_docs || rows_b.data()[i] >= b.num_docs) {
      throw py::value_error("a pair's row is outside its shard");
    }
  }
  py::array_t<uint8_t> passes(n);
  py::array_t<double> similarity(n);
  {
    py::gil_scoped_release release;
    VerifyShardPairs(a, b, View(rows_a), View(rows_b), *options.verifier,
                     absl::MakeSpan(passes.mutable_data(), n),
                     absl::MakeSpan(similarity.mutable_data(), n));
  }
  return py::make_tuple(passes, similarity);
}

// The corpus view the grouping and the line writer need, from the shards'
// metadata in shard order (global ordinals).
Corpus MetaCorpus(const py::list& shards) {
  Corpus corpus;
  std::vector<InputSummary> inputs;
  for (py::handle h : shards) {
    const py::dict shard = py::reinterpret_borrow<py::dict>(h);
    const auto first = static_cast<int64_t>(corpus.ids.size());
    const int64_t first_skip = corpus.report.skipped();
    for (py::handle id : shard["ids"]) corpus.ids.push_back(id.cast<std::string>());
    const Array<int64_t> published = shard["published"].cast<Array<int64_t>>();
    const Array<uint8_t> dated = shard["dated"].cast<Array<uint8_t>>();
    const Array<uint32_t> tokens = shard["num_tokens"].cast<Array<uint32_t>>();
    for (py::ssize_t d = 0; d < published.size(); ++d) {
      DocMeta m;
      if (dated.data()[d]) m.published = published.data()[d];
      m.num_tokens = tokens.data()[d];
      corpus.meta.push_back(m);
    }
    // Messages travel for the first skips of each reason only.
    absl::flat_hash_map<std::pair<std::string, uint64_t>, std::string> messages;
    for (py::handle e : shard["skip_examples"]) {
      const py::tuple example = py::reinterpret_borrow<py::tuple>(e);
      messages[{example[0].cast<std::string>(), example[1].cast<uint64_t>()}] =
          example[3].cast<std::string>();
    }
    for (py::handle s : shard["skips"]) {
      const py::tuple skip = py::reinterpret_borrow<py::tuple>(s);
      Origin origin{skip[0].cast<std::string>(), skip[1].cast<uint64_t>()};
      const auto message = messages.find({origin.file, origin.line});
      corpus.report.AddSkipped(MakeSkippedRecord(
          origin, skip[2].cast<std::string>(),
          message == messages.end() ? std::string() : message->second));
    }
    for (py::handle i : shard["inputs"]) {
      const py::tuple input = py::reinterpret_borrow<py::tuple>(i);
      InputSummary& summary = inputs.emplace_back();
      summary.path = input[0].cast<std::string>();
      summary.documents = input[1].cast<int64_t>();
      for (auto [reason, count] : input[2].cast<py::dict>()) {
        summary.skipped_by_reason[reason.cast<std::string>()] = count.cast<int64_t>();
      }
    }
    const Array<int64_t> entries = shard["entries"].cast<Array<int64_t>>();
    for (int64_t e : View(entries)) {
      corpus.input_order.push_back(
          e < 0 ? InputEntry{true, static_cast<uint32_t>(first_skip - e - 1)}
                : InputEntry{false, static_cast<uint32_t>(first + e)});
    }
  }
  corpus.report.set_inputs(std::move(inputs));
  return corpus;
}

// Documents whose id an earlier shard used (a shard's own report counts
// those whose id came earlier in the same shard): with the shards' counts,
// the duplicate ids `storysift dedup` warns of on the same records. `ids`
// are the shards' in shard order (MetaCorpus). Returns the count and the
// first one as "id 'X' of partition K already used in an earlier partition".
std::pair<int64_t, std::string> DuplicateIdsAcrossShards(const py::list& shards,
                                                          const std::vector<std::string>& ids) {
  absl::flat_hash_set<std::string_view> earlier;
  int64_t count = 0;
  std::string first;
  size_t begin = 0, k = 0;
  for (py::handle h : shards) {
    const size_t end = begin + py::len(py::reinterpret_borrow<py::dict>(h)["ids"]);
    absl::flat_hash_set<std::string_view> own;
    for (size_t d = begin; d < end; ++d) {
      const std::string_view id = ids[d];
      if (!own.insert(id).second) continue;
      if (earlier.contains(id) && count++ == 0) {
        first = absl::StrCat("id '", std::string(id), "' of partition ", k,
                             " already used in an earlier partition");
      }
    }
    earlier.merge(own);
    begin = end;
    ++k;
  }
  return {count, first};
}

// The verdict lines of the shards' documents, after the checks a run over
// files makes (CheckInputsRead, with `files`), as a tuple: the lines, the
// duplicate ids across shards and the first one, the inputs that gave no
// document.
py::tuple Finish(const py::list& shards, const Array<uint64_t>& a, const Array<uint64_t>& b,
                 const Array<double>& similarity, const py::dict& kwargs, bool files,
                 bool allow_empty) {
  const JobOptions options = ParseOptions(kwargs, OptionSet::kDedupFiles);
  CheckDistributable(options);
  Corpus corpus = MetaCorpus(shards);
  if (files) ThrowIfError(CheckInputsRead(corpus.report, allow_empty));
  const size_t n = corpus.num_docs();
  std::vector<VerifiedPair> pairs(static_cast<size_t>(a.size()));
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (a.data()[i] >= b.data()[i] || b.data()[i] >= n) {
      throw py::value_error("verified pairs must have a < b < number of documents");
    }
    pairs[i] = {static_cast<DocOrdinal>(a.data()[i]), static_cast<DocOrdinal>(b.data()[i]),
                similarity.data()[i]};
  }
  std::string lines;
  absl::Status status;
  {
    py::gil_scoped_release release;
    std::sort(pairs.begin(), pairs.end(), [](const VerifiedPair& x, const VerifiedPair& y) {
      return x.a != y.a ? x.a < y.a : x.b < y.b;
    });
    pairs.erase(std::unique(pairs.begin(), pairs.end(),
                            [](const VerifiedPair& x, const VerifiedPair& y) {
                              return x.a == y.a && x.b == y.b;
                            }),
                pairs.end());
    absl::StatusOr<std::vector<DocOrdinal>> priority =
        PriorityOrder(options.dedup.grouper.keep, n, corpus.meta);
    status = priority.status();
    if (priority.ok()) {
      // The non-chaining grouping reads only the pairs and the priority.
      SketchTable no_sketches;
      no_sketches.num_docs = n;
      const CopyGroups groups =
          GroupVerifiedPairs(no_sketches, *options.verifier, *priority, std::move(pairs));
      WriteDedupLines(corpus, corpus.report, groups, DedupWriterOptions(),
                      [&lines](std::string_view line) {
        lines.append(line);
        lines.push_back('\n');
      });
    }
  }
  ThrowIfError(status);
  const auto [duplicates, first_duplicate] = DuplicateIdsAcrossShards(shards, corpus.ids);
  return py::make_tuple(py::bytes(lines), duplicates, first_duplicate,
                        files ? InputsWithoutDocuments(corpus.report) : std::vector<std::string>());
}

}  // namespace

void RegisterSharded(py::module_& m) {
  m.def("_sketch_records", &SketchRecords, py::arg("records"), py::arg("options"),
        py::arg("origin"));
  m.def("_sketch_files", &SketchFiles, py::arg("paths"), py::arg("options"));
  m.def("_check_fields", &CheckFields, py::arg("parts"), py::arg("options"));
  m.def("_band_postings", &BandPostings, py::arg("verify"), py::arg("set_sizes"),
        py::arg("band_keys"), py::arg("first_ordinal"), py::arg("options"));
  m.def("_band_key_buckets", &Buckets, py::arg("keys"), py::arg("num_buckets"));
  m.def("_pairs_sharing_key", &Pairs, py::arg("keys"), py::arg("ordinals"));
  m.def("_verify_pairs", &Verify, py::arg("verify_a"), py::arg("set_sizes_a"),
        py::arg("verify_b"), py::arg("set_sizes_b"), py::arg("rows_a"), py::arg("rows_b"),
        py::arg("options"));
  m.def("_finish_dedup", &Finish, py::arg("shards"), py::arg("a"), py::arg("b"),
        py::arg("similarity"), py::arg("options"), py::arg("files") = false,
        py::arg("allow_empty") = false);
}

}  // namespace storysift::python
