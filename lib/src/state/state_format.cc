#include "state/state_format.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "simdjson.h"
#include "state/durable_io.h"
#include "state/generation_store.h"
#include "state/state_segments.h"
#include "storysift/date.h"
#include "io/json_writer.h"
#include "storysift/status_macros.h"

namespace storysift::internal {
namespace {

absl::Status Damaged(const std::string& file, size_t line, std::string_view what) {
  return absl::DataLossError(absl::StrFormat("%s:%d: %s", file, line, std::string(what)));
}

// meta.json's "options": an object of option names and their values as
// text, in the order written; absent before version 3.
absl::Status ParseRecordedOptions(const std::string& path, simdjson::dom::element meta,
                                  StoryState* state) {
  simdjson::dom::element options;
  if (meta["options"].get(options) == simdjson::NO_SUCH_FIELD) return absl::OkStatus();
  simdjson::dom::object fields;
  if (options.get(fields)) return Damaged(path, 1, "options are not an object");
  std::vector<RecordedOption> recorded;
  for (simdjson::dom::key_value_pair field : fields) {
    std::string_view value;
    if (field.value.get(value)) return Damaged(path, 1, "an option's value is not text");
    recorded.push_back({std::string(field.key), std::string(value)});
  }
  state->options = std::move(recorded);
  return absl::OkStatus();
}

// meta.json's "run": the run that committed the generation; absent in
// generations written before it was recorded.
absl::Status ParseRunRecord(const std::string& path, simdjson::dom::element meta,
                            StoryState* state) {
  simdjson::dom::element run;
  if (meta["run"].get(run) == simdjson::NO_SUCH_FIELD) return absl::OkStatus();
  std::string_view input;
  int64_t clock = 0, base = 0;
  StateRunRecord record;
  if (run["input"].get(input) || run["clock"].get(clock) || run["base"].get(base) ||
      base < 0 || input.size() != 16 ||
      !absl::SimpleHexAtoi(absl::string_view(input.data(), input.size()), &record.input)) {
    return Damaged(path, 1, "not a run record");
  }
  record.clock = clock;
  record.base = static_cast<uint64_t>(base);
  state->run = record;
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> SplitLines(std::string_view bytes) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    if (end > start) lines.emplace_back(bytes.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

size_t CountLines(std::string_view bytes) {
  size_t n = 0, start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    n += end > start;
    start = end + 1;
  }
  return n;
}

absl::Status ParseStateMeta(const std::string& path, std::string_view bytes, StoryState* state) {
  const std::vector<std::string> lines = SplitLines(bytes);
  if (lines.size() != 1) return Damaged(path, 1, "expected one JSON object");
  simdjson::dom::parser parser;
  simdjson::dom::element meta;
  std::string_view format;
  int64_t version = 0, next = 0, now = 0;
  if (parser.parse(lines[0]).get(meta) || meta["format"].get(format) ||
      format != "storysift-state" || meta["version"].get(version) || meta["next_story"].get(next) ||
      meta["now"].get(now) || next < 1 || version < 1) {
    return Damaged(path, 1, "not a storysift state header");
  }
  if (version > kStoryStateVersion) {
    return absl::UnimplementedError(
        absl::StrFormat("%s: state version %d is newer than this storysift (%d)", path, version,
                        kStoryStateVersion));
  }
  state->next_story = static_cast<uint64_t>(next);
  state->now = now;
  STORYSIFT_RETURN_IF_ERROR(ParseRecordedOptions(path, meta, state));
  return ParseRunRecord(path, meta, state);
}

absl::Status ParseStateStories(const std::string& path, std::string_view bytes, StoryState* state) {
  const std::vector<std::string> lines = SplitLines(bytes);
  simdjson::dom::parser parser;
  for (size_t i = 0; i < lines.size(); ++i) {
    simdjson::dom::element e;
    simdjson::dom::array members;
    std::string_view story_id;
    StoredStory story;
    if (parser.parse(lines[i]).get(e) || e["story_id"].get(story_id) ||
        e["last_active"].get(story.last_active) || e["members"].get(members)) {
      return Damaged(path, i + 1, "not a stored story");
    }
    story.story_id = std::string(story_id);
    for (simdjson::dom::element m : members) {
      std::string_view id, hash;
      int64_t seen = 0;
      if (m["id"].get(id) || m["seen"].get(seen)) {
        return Damaged(path, i + 1, "story member without id or seen time");
      }
      StoryStateMember member{std::string(id), seen, 0};
      if (!m["hash"].get(hash) &&
          (hash.size() != 16 || !absl::SimpleHexAtoi(absl::string_view(hash.data(), hash.size()),
                                                     &member.content_hash))) {
        return Damaged(path, i + 1, "story member with a bad content hash");
      }
      story.members.push_back(std::move(member));
    }
    state->stories.push_back(std::move(story));
  }
  return absl::OkStatus();
}

absl::Status ParseStateRetired(const std::string& path, std::string_view bytes,
                               const std::function<bool(std::string_view id)>& wanted,
                               std::vector<RetiredDocument>* docs) {
  simdjson::dom::parser parser;
  size_t line = 0, start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    const std::string_view text = bytes.substr(start, end - start);
    start = end + 1;
    ++line;
    if (text.empty()) continue;
    simdjson::dom::element e;
    std::string_view id, story_id, hash;
    uint64_t content_hash = 0;
    if (parser.parse(text.data(), text.size()).get(e) || e["id"].get(id) ||
        e["story_id"].get(story_id) || e["hash"].get(hash) || hash.size() != 16 ||
        !absl::SimpleHexAtoi(absl::string_view(hash.data(), hash.size()), &content_hash)) {
      return Damaged(path, line, "not a retired document");
    }
    if (wanted(id)) docs->push_back({std::string(id), std::string(story_id), content_hash});
  }
  return absl::OkStatus();
}

std::string EncodeStateRetired(const std::vector<RetiredDocument>& docs) {
  std::string out;
  for (const RetiredDocument& doc : docs) {
    absl::StrAppend(&out,
                    JsonObject()
                        .Str("id", doc.id)
                        .Str("story_id", doc.story_id)
                        .Str("hash", ChecksumHex(doc.content_hash))
                        .Finish(),
                    "\n");
  }
  return out;
}

std::string EncodeStateMeta(const StoryState& state) {
  JsonObject meta;
  meta.Str("format", "storysift-state")
      .Int("version", kStoryStateVersion)
      .Int("next_story", static_cast<int64_t>(state.next_story))
      .Int("now", state.now);
  if (state.options) {
    JsonObject options;
    for (const RecordedOption& o : *state.options) options.Str(o.name, o.value);
    meta.Raw("options", options.Finish());
  }
  if (state.run) {
    meta.Raw("run", JsonObject()
                        .Str("input", ChecksumHex(state.run->input))
                        .Int("clock", state.run->clock)
                        .Int("base", static_cast<int64_t>(state.run->base))
                        .Finish());
  }
  return meta.Finish() + "\n";
}

std::string EncodeStateDocument(const Document& doc) {
  JsonObject o;
  o.Str("id", doc.id).Str("title", doc.title).Str("text", doc.text);
  if (doc.published) o.Str("date", FormatDate(*doc.published));
  o.Str("source", doc.source).Str("url", doc.url);
  return o.Finish();
}

absl::StatusOr<StoryState> LoadGeneration(const std::string& dir, uint64_t generation,
                                          bool check_archive, std::string* documents_bytes) {
  // Each file is read once: the bytes its checksum was checked on are the
  // bytes parsed. The archive's files are checked when read (a run reads
  // only the id lists and the retired files they point to).
  STORYSIFT_ASSIGN_OR_RETURN(
      VerifiedGeneration verified,
      ReadVerifiedGeneration(dir, generation, [](std::string_view name) {
        if (name == kStateMeta || name == kStateStories || name == kStateDocuments) {
          return FileCheck::kChecksumAndKeep;
        }
        return IsCarriedFile(name) ? FileCheck::kSizeOnly : FileCheck::kChecksum;
      }));
  const Manifest& manifest = verified.manifest;
  const std::string gen_dir = GenerationDir(dir, generation);
  for (const char* name : {kStateMeta, kStateStories, kStateDocuments, kStateArchive}) {
    bool listed = false;
    for (const ManifestEntry& e : manifest.files) listed |= e.name == name;
    if (!listed) {
      return absl::DataLossError(absl::StrCat(gen_dir, "/MANIFEST: does not list ", name));
    }
  }
  StoryState state;
  state.generation = generation;
  state.saved_at = manifest.saved_at;
  const auto path = [&](const char* name) { return absl::StrCat(gen_dir, "/", name); };
  STORYSIFT_RETURN_IF_ERROR(
      ParseStateMeta(path(kStateMeta), verified.kept[kStateMeta], &state));
  STORYSIFT_RETURN_IF_ERROR(
      ParseStateStories(path(kStateStories), verified.kept[kStateStories], &state));
  CollectSegments(gen_dir, manifest, &state);
  if (check_archive) STORYSIFT_RETURN_IF_ERROR(CheckArchiveFiles(state));
  // The checksums say each file is as written; this says they were written
  // together: one document line per story member.
  std::string& documents = verified.kept[kStateDocuments];
  size_t members = 0;
  for (const StoredStory& s : state.stories) members += s.members.size();
  const size_t lines = CountLines(documents);
  if (lines != members) {
    return absl::DataLossError(absl::StrFormat("%s: %d documents for the %d story members of %s",
                                               path(kStateDocuments), lines, members,
                                               kStateStories));
  }
  state.documents_path = path(kStateDocuments);
  if (documents_bytes != nullptr) *documents_bytes = std::move(documents);
  return state;
}

}  // namespace storysift::internal
