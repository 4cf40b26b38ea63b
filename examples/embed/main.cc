// Embedding storysift: a streaming near-duplicate stage over a few articles,
// saved to disk and reloaded; then a streaming story stage over the same
// articles and the seed articles of data/seeds. Prints one verdict per line;
// then the batch jobs (storysift/jobs.h) over the same documents in memory.
// Usage: embed_example [INDEX_PATH [SEEDS_DIR]]
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "storysift/deduplicator.h"
#include "storysift/jobs.h"
#include "storysift/reader.h"
#include "storysift/story_assigner.h"

namespace {

// The batch jobs over documents in memory and a reprint of the first: each
// copy's verdict (RunDedup), then the stories with their members in rank
// order (RunCluster).
int RunJobs(std::vector<storysift::Document> docs) {
  using namespace storysift;
  Document reprint = docs.front();
  reprint.id = "reprint-1";
  docs.push_back(reprint);
  RunContext context;  // All cores; no timings, no progress.
  InputStream dedup_input = DocumentsInput(docs);
  absl::StatusOr<DedupResult> dedup = RunDedup(DedupJobOptions(), dedup_input, context);
  if (!dedup.ok()) {
    std::fprintf(stderr, "%s\n", dedup.status().ToString().c_str());
    return 1;
  }
  for (const DocumentVerdict& v : DocumentVerdicts(dedup->documents, dedup->groups)) {
    if (v.role == CopyRole::kCopy) {
      std::printf("job %s copy_of %s %.2f\n", v.id.c_str(), v.representative_id.c_str(),
                  v.similarity);
    }
  }
  InputStream cluster_input = DocumentsInput(std::move(docs));
  absl::StatusOr<ClusterResult> stories =
      RunCluster(ClusterJobOptions(), cluster_input, context);
  if (!stories.ok()) {
    std::fprintf(stderr, "%s\n", stories.status().ToString().c_str());
    return 1;
  }
  for (const StoryRecord& story : StoryRecords(*stories)) {
    std::printf("job %s", story.story_id.c_str());
    for (const StoryArticle& a : story.articles) std::printf(" %s", a.id.c_str());
    std::printf("\n");
  }
  return 0;
}

// Story verdicts for the two wire texts and the seed articles, then a save
// and reload of the story state.
int RunStories(const std::vector<storysift::Document>& wires, const std::string& seeds_dir,
               const std::string& path) {
  using namespace storysift;
  StoryAssignerOptions options;  // Running document frequencies (no IdfModel).
  absl::StatusOr<std::unique_ptr<StoryAssigner>> assigner = StoryAssigner::Create(options);
  if (!assigner.ok()) {
    std::fprintf(stderr, "%s\n", assigner.status().ToString().c_str());
    return 1;
  }
  std::vector<Document> docs = wires;
  std::vector<ReadRecord> skipped;
  if (absl::Status s = ReadAll({seeds_dir}, {}, &docs, &skipped); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  for (const Document& doc : docs) {
    absl::StatusOr<StoryVerdict> v = (*assigner)->Add(doc);
    if (!v.ok()) return 1;
    std::printf("%s %s", doc.id.c_str(), v->story_id.c_str());
    if (v->is_new_story) {
      std::printf(" new");
    } else {
      std::printf(" joins %.2f", v->similarity);
    }
    for (const std::string& term : v->label) std::printf(" %s", term.c_str());
    std::printf("\n");
  }
  if (!(*assigner)->Save(path).ok()) return 1;
  absl::StatusOr<std::unique_ptr<StoryAssigner>> reloaded = StoryAssigner::Load(path, &options);
  if (!reloaded.ok()) {
    std::fprintf(stderr, "%s\n", reloaded.status().ToString().c_str());
    return 1;
  }
  std::printf("stories %zu documents %zu\n", (*reloaded)->NumStories(), (*reloaded)->Size());
  return RunJobs(std::move(docs));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace storysift;
  DeduplicatorOptions options;  // MinHash, 128 slots, word 5-shingles, J >= 0.8.
  absl::StatusOr<std::unique_ptr<Deduplicator>> dedup = Deduplicator::Create(options);
  if (!dedup.ok()) {
    std::fprintf(stderr, "%s\n", dedup.status().ToString().c_str());
    return 1;
  }
  const std::string story =
      "The central bank raised its benchmark interest rate by a quarter point on "
      "Tuesday, citing persistent inflation in services and a tight labour market, "
      "and signalled that further increases were possible later this year.";
  const std::string longer = story + " Markets were little changed.";
  const char* texts[][2] = {
      {"wire-1", story.c_str()},
      {"wire-2",
       "Heavy rain flooded roads across the northern province overnight, "
       "closing two bridges and forcing the evacuation of several villages."},
      {"site-7", longer.c_str()},
  };
  std::vector<Document> wires;
  for (const auto& [id, text] : texts) {
    Document doc;
    doc.id = id;
    doc.text = text;
    if (wires.size() < 2) wires.push_back(doc);
    absl::StatusOr<DedupVerdict> v = (*dedup)->Add(doc);
    if (!v.ok()) return 1;
    if (v->is_new) {
      std::printf("%s new\n", id);
    } else {
      std::printf("%s duplicate_of %s %.2f\n", id, v->duplicate_of.c_str(), v->similarity);
    }
  }
  // Persist and carry on from the file.
  const std::string path = argc > 1 ? argv[1] : "embed_example.idx";
  if (!(*dedup)->Save(path).ok()) return 1;
  absl::StatusOr<std::unique_ptr<Deduplicator>> reloaded = Deduplicator::Load(path, &options);
  if (!reloaded.ok()) {
    std::fprintf(stderr, "%s\n", reloaded.status().ToString().c_str());
    return 1;
  }
  Document again;
  again.id = "site-9";
  again.text = story;
  absl::StatusOr<DedupVerdict> v = (*reloaded)->Query(again);
  if (!v.ok()) return 1;
  std::printf("%s %s %s\n", again.id.c_str(), v->is_new ? "new" : "duplicate_of",
              v->duplicate_of.c_str());
  std::printf("size %zu\n", (*reloaded)->Size());
  return RunStories(wires, argc > 2 ? argv[2] : "data/seeds", path + ".stories");
}
