// storysift index {build,add,query,info}: a persistent near-duplicate index
// (storysift/deduplicator.h) built, extended and queried from the command
// line. Verdicts are JSON lines:
//   {"id":"a17","verdict":"duplicate","duplicate_of":"a03","similarity":0.91}
//   {"id":"a18","verdict":"new","duplicate_of":null,"similarity":null}
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commands.h"
#include "commands/index_run.h"
#include "commands/index_verdicts.h"
#include "dedup_flags.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "lock_flags.h"
#include "progress.h"
#include "pipeline/corpus.h"
#include "storysift/deduplicator.h"
#include "pipeline/document_pipeline.h"
#include "storysift/file_lock.h"
#include "storysift/job_options.h"
#include "storysift/lsh_index.h"
#include "ingest/reader_internal.h"
#include "io/json_writer.h"
#include "io/output_file.h"
#include "storysift/date.h"
#include "storysift/status_macros.h"
#include "storysift/story_state.h"

namespace storysift::cli {
namespace {

// Future-dated documents named one by one on stderr; the rest are counted.
constexpr size_t kMaxFutureExamples = 5;

// Notes which reading flags the command line gave, for the checks below.
void NoteGivenFlags(const CLI::App* cmd, IndexFlags* flags) {
  flags->markup_given = cmd->get_option("--markup")->count() > 0;
  flags->stem_given = cmd->get_option("--stem")->count() > 0;
}

std::string MarkupName(MarkupMode mode) {
  for (const auto& [name, m] : MarkupModeNames()) {
    if (m == mode) return name;
  }
  return "?";
}

// An index compares word shingles, which stemming never touches (it shapes
// TF-IDF terms only): --stem would be ignored, so it is refused.
absl::Status CheckNoStem(const IndexFlags& flags) {
  return RefuseStem(flags.stem_given, "an index compares words as written");
}

// `index add` and `query` read documents as the index was built: a --markup
// other than the stored one would be ignored, so it is refused (the same
// value may be given).
absl::Status CheckIndexReadingFlags(const IndexFlags& flags, const DeduplicatorOptions& stored) {
  STORYSIFT_RETURN_IF_ERROR(CheckNoStem(flags));
  if (flags.markup_given && flags.input.markup != stored.normalize.markup) {
    return AsUsageError(absl::InvalidArgumentError(absl::StrCat(
        "--markup ", MarkupName(flags.input.markup), ": the index ", flags.index,
        " was built with --markup ", MarkupName(stored.normalize.markup),
        ", which every add and query uses (leave --markup out, or give that value)")));
  }
  return absl::OkStatus();
}

absl::StatusOr<DeduplicatorOptions> OptionsFromFlags(const IndexFlags& flags) {
  if (flags.dedup.exact_verify) {
    return absl::InvalidArgumentError("--exact-verify: the index keeps signatures only");
  }
  if (flags.dedup.grouping != "nonchaining") {
    return absl::InvalidArgumentError("--grouping: the index groups non-chaining only");
  }
  if (flags.dedup.keep.has_value() && *flags.dedup.keep != "first") {
    return absl::InvalidArgumentError(
        "--keep: an index keeps the first of each group to arrive (it cannot replace a "
        "representative already indexed)");
  }
  STORYSIFT_RETURN_IF_ERROR(CheckNoStem(flags));
  DeduplicatorOptions options;
  STORYSIFT_ASSIGN_OR_RETURN(options.normalize, MakeNormalizeOptions(flags.input));
  STORYSIFT_RETURN_IF_ERROR(FillDedupOptions(flags.dedup, &options.sketch, &options.grouper));
  options.retention_seconds = flags.retention_days * 86400;
  return options;
}

// Whether `doc`, which has no id of its own, is held by an index written
// before session 22 under the id storysift gave it then (its file's base
// name and place) with the same content: a re-fed record, not a new one.
bool IndexedUnderLegacyId(const Deduplicator& dedup, const Document& doc, uint64_t content_hash) {
  const std::string legacy = internal::LegacyPositionalId(doc);
  return !legacy.empty() && !dedup.Contains(doc.id) &&
         dedup.CompareStored(legacy, content_hash) == StoredContent::kSame;
}

// Reads the inputs, sketching on worker threads, and hands each document to
// Add (`staged` given: build, add) or Query in input order. Query writes
// its verdicts to `out` (with --strict held back until the run is known to
// pass, so a failing run writes nothing anywhere, standard output
// included) and says what it did on stderr; build and add leave their
// verdicts, report and messages in `staged`.
absl::Status Feed(const IndexFlags& flags, Deduplicator* dedup, OutputFile* out,
                  StagedRun* staged = nullptr) {
  const bool add = staged != nullptr;
  std::string held_back;
  STORYSIFT_ASSIGN_OR_RETURN(ReaderOptions reader_options, MakeReaderOptions(flags.input));
  // An index matches ids across runs: a record without an id is named by its
  // place and content, so that tomorrow's article at today's place is not
  // taken for today's (query names them as add would).
  reader_options.content_in_positional_ids = true;
  NormalizeOptions normalize = dedup->options().normalize;
  normalize.terms = false;  // Only sketched: no TF-IDF terms needed.
  normalize.token_hash = SketchTokenHash(dedup->options().sketch);
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(normalize));
  STORYSIFT_ASSIGN_OR_RETURN(InputStream input,
                             InputStream::Open(flags.input.inputs, reader_options));
  StartProgress(flags.input, input.progress());
  PipelineOptions pipeline;
  pipeline.keep_bodies = false;  // Only the stage sketches them.
  std::vector<DocumentSketch> sketches(PipelineSlots(pipeline));
  RunReport report;
  FeedCounts counts;
  std::vector<std::string> future_examples;
  int64_t duplicate_ids_seen = 0;
  auto stage = [&](size_t slot, const StagedRecord& rec) {
    sketches[slot] = dedup->SketchText(rec.body);
    // What tells a re-fed document from new content under a known id.
    if (add) sketches[slot].content_hash = DocumentContentHash(rec.record.doc);
  };
  auto emit = [&](const std::string& line) {
    if (add) {
      if (!flags.output.empty()) absl::StrAppend(&staged->verdicts, line, "\n");
    } else if (flags.input.strict) {
      absl::StrAppend(&held_back, line, "\n");
    } else {
      out->WriteLine(line);
    }
  };
  auto sink = [&](size_t slot, StagedRecord& rec) -> absl::Status {
    if (add) staged->fingerprint.AddRecord(rec.record, sketches[slot].content_hash);
    if (rec.record.skipped()) return absl::OkStatus();
    const Document& doc = rec.record.doc;
    // The report has just counted this record: an id repeated within the run
    // is its duplicate_id warning already.
    const bool repeated_in_run = report.duplicate_ids() != duplicate_ids_seen;
    duplicate_ids_seen = report.duplicate_ids();
    if (add && IndexedUnderLegacyId(*dedup, doc, sketches[slot].content_hash)) {
      counts.CountRepeat(StoredContent::kSame);
      emit(AlreadyIndexedLine(internal::LegacyPositionalId(doc), StoredContent::kSame));
      return absl::OkStatus();
    }
    absl::StatusOr<DedupVerdict> v = add ? dedup->AddSketch(doc.id, doc.published, sketches[slot])
                                         : dedup->QuerySketch(sketches[slot]);
    if (add && v.status().code() == absl::StatusCode::kAlreadyExists) {
      // Re-feeding a file must not fail the run, nor pass without a word.
      const StoredContent content = dedup->CompareStored(doc.id, sketches[slot].content_hash);
      counts.CountRepeat(content);
      if (content == StoredContent::kChanged && !repeated_in_run) {
        report.AddJobWarning(doc, kWarnIndexedIdChanged,
                             absl::StrCat("id '", doc.id,
                                          "' is indexed with other content; this version is "
                                          "not indexed (an index keeps an id's first version)"));
      }
      emit(AlreadyIndexedLine(doc.id, content));
      return absl::OkStatus();
    }
    if (!v.ok()) {
      return absl::Status(v.status().code(),
                          absl::StrCat(doc.origin.ToString(), ": ", v.status().message()));
    }
    counts.CountVerdict(*v);
    if (v->future_dated && future_examples.size() < kMaxFutureExamples) {
      future_examples.push_back(absl::StrCat(
          doc.origin.ToString(), ": '", doc.id, "' dated ", FormatDate(*doc.published),
          " is more than a day after the run's clock, or alone a month past every other "
          "date: it counts as seen at the index's clock and evicts nothing"));
    }
    emit(VerdictLine(doc.id, *v));
    return absl::OkStatus();
  };
  STORYSIFT_RETURN_IF_ERROR(RunDocumentPipeline(input, normalizer, pipeline,
                                                MakeRunContext(flags.input), &report, stage,
                                                sink));
  report.SetJobSection("index", IndexSection(counts, add, dedup->Size()));
  const std::string summary =
      flags.input.quiet ? "" : FeedSummary(counts, add, report.processed(), dedup->Size());
  const std::string warnings = KeptVersionWarnings(counts, future_examples);
  if (!add) {
    STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, report));
    out->Write(held_back);
    std::fputs((summary + warnings).c_str(), stderr);
    return absl::OkStatus();
  }
  std::string report_summary;
  STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, report, &staged->report, &report_summary));
  if (staged->report != nullptr) {
    report.WriteJson([staged](std::string_view piece) { staged->report_bytes.append(piece); });
    staged->report_bytes += "\n";  // As FinishReport writes it.
  }
  staged->messages = report_summary + summary + warnings;
  return absl::OkStatus();
}

// Outputs of one run must be distinct files, and none of them an input:
// `-v IDX` onto the index itself would otherwise replace it with verdicts.
absl::Status CheckPaths(const IndexFlags& flags, bool writes_index) {
  std::vector<NamedPath> inputs;
  for (const std::string& in : flags.input.inputs) inputs.push_back({"an input", in});
  std::vector<NamedPath> outputs = {{writes_index ? "the index" : "", flags.index},
                                    {writes_index ? "-v" : "-o", flags.output},
                                    {"--report", flags.input.report_path}};
  if (!writes_index) {
    inputs.push_back({"the index", flags.index});
    outputs.erase(outputs.begin());
  }
  return AsUsageError(CheckOutputPaths(outputs, inputs));
}

absl::Status RunBuildOrAdd(const IndexFlags& flags, bool build) {
  STORYSIFT_RETURN_IF_ERROR(CheckPaths(flags, /*writes_index=*/true));
  // One writer at a time; held from before the index is read until the new
  // one is in place, so two `index add` runs cannot lose each other's
  // documents (the Python stages take the same lock).
  const std::string target = ResolveOutputPath(flags.index);
  if (struct stat st; !build && ::stat(target.c_str(), &st) != 0 && errno == ENOENT) {
    // Said before the lock, whose file would otherwise stay beside nothing.
    return absl::NotFoundError(absl::StrCat("cannot open index ", flags.index, ": ",
                                            std::strerror(ENOENT),
                                            " (`storysift index build` makes one)"));
  }
  STORYSIFT_ASSIGN_OR_RETURN(FileLock lock, LockIndexForWriting(flags.index, flags.wait_seconds));
  const std::string pending_path = internal::PendingOutputsPath(target);
  STORYSIFT_ASSIGN_OR_RETURN(std::optional<internal::PendingIndexOutputs> pending,
                             PendingOfCommittedRun(target, pending_path));
  std::unique_ptr<Deduplicator> dedup;
  std::string kind = "add";
  if (build) {
    absl::StatusOr<DeduplicatorOptions> options = OptionsFromFlags(flags);
    if (!options.ok()) return AsUsageError(options.status());  // Flags it cannot honour.
    // Create checks the options (once, Verifier::Create): all come from flags.
    absl::StatusOr<std::unique_ptr<Deduplicator>> created = Deduplicator::Create(*options);
    if (!created.ok()) return AsUsageError(created.status());
    dedup = *std::move(created);
    kind = absl::StrCat("build\x1f", dedup->SaveToString());  // The options, as saved.
  } else {
    STORYSIFT_ASSIGN_OR_RETURN(dedup, Deduplicator::Load(flags.index));
    STORYSIFT_RETURN_IF_ERROR(CheckIndexReadingFlags(flags, dedup->options()));
  }
  std::unique_ptr<OutputFile> out;
  if (!flags.output.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(out, OutputFile::Open(flags.output));
    // `-v -`: no verdict appears before the index holds what it says.
    STORYSIFT_RETURN_IF_ERROR(out->HoldUntilCommit());
  }
  StagedRun run(kind);
  STORYSIFT_RETURN_IF_ERROR(Feed(flags, dedup.get(), nullptr, &run));
  if (pending.has_value() && IsTheRunAgain(*pending, run, flags)) {
    run.report.reset();  // This pass found the run's documents indexed already.
    return WriteOutputsAgain(flags, *pending, pending_path, out.get());
  }
  if (pending.has_value()) run.messages += UnwrittenOutputsWarning(flags);
  return CommitRun(flags, *dedup, lock, run, out.get(), pending_path);
}

absl::Status RunQuery(const IndexFlags& flags) {
  STORYSIFT_RETURN_IF_ERROR(CheckPaths(flags, /*writes_index=*/false));
  // Readers take no lock: the index is only ever replaced by a rename, so a
  // reader sees the last committed file whole.
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<Deduplicator> dedup, Deduplicator::Load(flags.index));
  STORYSIFT_RETURN_IF_ERROR(CheckIndexReadingFlags(flags, dedup->options()));
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out,
                             OutputFile::Open(flags.output.empty() ? "-" : flags.output));
  STORYSIFT_RETURN_IF_ERROR(Feed(flags, dedup.get(), out.get()));
  return out->Commit();
}

// One JSON line: the file's format version, every option it stores (the
// seeds as hex, as `idf info` shows them), the retention clock and sizes.
absl::Status RunInfo(const std::string& path) {
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<Deduplicator> dedup, Deduplicator::Load(path));
  const DeduplicatorOptions& o = dedup->options();
  const bool minhash = o.sketch.kind == SketchKind::kMinHash;
  auto hex = [](uint64_t seed) { return absl::StrFormat("%#x", seed); };
  JsonObject j;
  j.Int("format_version", dedup->loaded_format_version())
      .Str("method", minhash ? "minhash" : "simhash")
      .Str("markup", MarkupName(o.normalize.markup))
      .Bool("drop_boilerplate", o.normalize.drop_boilerplate)
      .Bool("stem", o.normalize.stem)
      .Str("token_hash_seed", hex(kTokenHashSeed))
      .Str("shingles", o.sketch.shingle.kind == ShingleKind::kWord ? "word" : "char")
      .Int("shingle_size", o.sketch.shingle.size)
      .Str("shingle_seed", hex(o.sketch.shingle.seed))
      .Bool("lookalike_fold", o.sketch.shingle.fold_lookalikes);
  if (minhash) {
    j.Str("scheme", o.sketch.minhash.scheme == MinHashScheme::kOnePermutation ? "oph" : "affine")
        .Int("num_perm", o.sketch.minhash.num_perm)
        .Str("minhash_seed", hex(o.sketch.minhash.seed))
        .Int("verify_bits", o.sketch.verify_bits)
        .Num("threshold", o.grouper.jaccard_threshold)
        .Num("containment", o.grouper.containment_threshold)
        .Int("min_containment_shingles", o.grouper.min_containment_shingles)
        .Int("short_shingles", o.grouper.short_pair_shingles);
    // Version 3 files record it; older ones had no short-pair rule.
    if (dedup->loaded_format_version() >= 3) {
      j.Num("short_threshold", o.grouper.short_jaccard_threshold);
    } else {
      j.Null("short_threshold");
    }
    j.Int("bands", o.grouper.lsh.num_bands)
        .Int("rows", o.grouper.lsh.rows_per_band)
        .Str("lsh_band_seed", hex(kDefaultLshBandSeed));
  } else {
    j.Int("feature_words", o.sketch.simhash.feature_words)
        .Str("simhash_seed", hex(o.sketch.simhash.seed))
        .Int("max_hamming", o.grouper.max_hamming)
        .Int("simhash_blocks", o.grouper.simhash_blocks);
  }
  j.Int("retention_seconds", o.retention_seconds);
  if (const std::optional<int64_t> clock = dedup->RetentionClock(); clock.has_value()) {
    j.Str("retention_clock", FormatDate(*clock));
  } else {
    j.Null("retention_clock");
  }
  j.Int("documents", static_cast<int64_t>(dedup->Size()))
      .Int("representatives", static_cast<int64_t>(dedup->NumRepresentatives()))
      .Int("memory_bytes", static_cast<int64_t>(dedup->MemoryUsage()));
  std::printf("%s\n", j.Finish().c_str());
  return absl::OkStatus();
}

void AddVerdictOutput(CLI::App* cmd, IndexFlags* flags, const char* help) {
  cmd->add_option("-v,--verdicts", flags->output, help);
}

}  // namespace

void RegisterIndexCommand(CLI::App& app, int* exit_code) {
  CLI::App* index =
      app.add_subcommand("index", "Persistent near-duplicate index: build, add to, query, inspect");
  index->require_subcommand(1);

  auto build = std::make_shared<IndexFlags>();
  CLI::App* b = index->add_subcommand("build", "Build an index from INPUT... (atomic write)");
  AddInputFlags(b, &build->input);
  AddDedupFlags(b, &build->dedup);
  b->add_option("-o,--output", build->index, "Index file to write")->required();
  b->add_option("--retention-days", build->retention_days,
                "Evict groups whose representative is this many days older than the newest "
                "document (0: keep all)")
      ->check(RetentionDays());
  AddVerdictOutput(b, build.get(), "Also write one verdict JSON line per document here");
  AddWaitFlag(b, &build->wait_seconds);
  b->callback([build, b, exit_code] {
    NoteGivenFlags(b, build.get());
    const absl::Status s = RunBuildOrAdd(*build, /*build=*/true);
    *exit_code = s.ok() ? kExitOk : ReportRunError(s);
  });

  auto add = std::make_shared<IndexFlags>();
  CLI::App* a = index->add_subcommand(
      "add", "Add INPUT... to an index and replace it atomically (its options apply)");
  a->add_option("index", add->index, "Index file")->required();
  AddInputFlags(a, &add->input);
  AddVerdictOutput(a, add.get(), "Also write one verdict JSON line per document here");
  AddWaitFlag(a, &add->wait_seconds);
  a->callback([add, a, exit_code] {
    NoteGivenFlags(a, add.get());
    const absl::Status s = RunBuildOrAdd(*add, /*build=*/false);
    *exit_code = s.ok() ? kExitOk : ReportRunError(s);
  });

  auto query = std::make_shared<IndexFlags>();
  CLI::App* q = index->add_subcommand(
      "query", "One verdict JSON line per document of INPUT... (the index is unchanged)");
  q->add_option("index", query->index, "Index file")->required();
  AddInputFlags(q, &query->input);
  q->add_option("-o,--output", query->output, "Verdicts file (- for stdout)");
  q->callback([query, q, exit_code] {
    NoteGivenFlags(q, query.get());
    const absl::Status s = RunQuery(*query);
    *exit_code = s.ok() ? kExitOk : ReportError(s);
  });

  auto info_path = std::make_shared<std::string>();
  CLI::App* i = index->add_subcommand("info", "Format version, options, size of an index");
  i->add_option("index", *info_path, "Index file")->required();
  i->callback([info_path, exit_code] {
    const absl::Status s = RunInfo(*info_path);
    *exit_code = s.ok() ? kExitOk : ReportError(s);
  });
}

}  // namespace storysift::cli
