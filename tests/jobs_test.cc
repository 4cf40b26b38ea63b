// The public jobs (storysift/jobs.h): dedup and cluster from files and from
// documents in memory give the same verdicts and stories, on the seeds and
// a generated corpus with planted copies, whatever the RunContext. The
// --state job's tests are in state_job_test.cc.
#include "storysift/jobs.h"

#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "corpus_gen.h"
#include "gtest/gtest.h"
#include "jobs_test_util.h"
#include "temp_dir.h"

namespace storysift {
namespace {

using jobs_test::ClusterInput;
using jobs_test::ClusterPaths;
using jobs_test::ExpectSameStories;
using jobs_test::kSeedsDir;
using testing_util::TempDir;

constexpr int kGeneratedDocs = 300;

// The documents of `paths`, read into memory.
std::vector<Document> ReadDocuments(const std::vector<std::string>& paths) {
  std::vector<Document> docs;
  std::vector<ReadRecord> skipped;
  const absl::Status status = ReadAll(paths, ReaderOptions(), &docs, &skipped);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_TRUE(skipped.empty());
  return docs;
}

DedupResult DedupPaths(const std::vector<std::string>& paths, const RunContext& context = {}) {
  auto input = InputStream::Open(paths, ReaderOptions());
  EXPECT_TRUE(input.ok()) << input.status();
  auto result = RunDedup(DedupJobOptions(), *input, context);
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}

DedupResult DedupDocuments(std::vector<Document> docs) {
  InputStream input = DocumentsInput(std::move(docs));
  auto result = RunDedup(DedupJobOptions(), input, {});
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}


void ExpectSameVerdicts(const DedupResult& a, const DedupResult& b) {
  const std::vector<DocumentVerdict> va = DocumentVerdicts(a.documents, a.groups);
  const std::vector<DocumentVerdict> vb = DocumentVerdicts(b.documents, b.groups);
  ASSERT_EQ(va.size(), vb.size());
  for (size_t i = 0; i < va.size(); ++i) {
    EXPECT_EQ(va[i].id, vb[i].id);
    EXPECT_EQ(va[i].group, vb[i].group) << va[i].id;
    EXPECT_EQ(va[i].role, vb[i].role) << va[i].id;
    EXPECT_EQ(va[i].representative_id, vb[i].representative_id) << va[i].id;
    EXPECT_EQ(va[i].similarity, vb[i].similarity) << va[i].id;
  }
}

// A generated corpus written to `dir`: real Reuters articles (none in a
// gold near-duplicate pair) as originals, and exact copies and copies with
// a site's header and footer planted among them; *gen answers which
// document copies which. "" without the shared data.
std::string WriteGeneratedCorpus(const TempDir& dir,
                                 std::optional<corpusgen::CorpusGenerator>* gen) {
  const std::string reuters = std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578";
  auto bases = corpusgen::ReadBaseArticles(reuters + "/reuters.jsonl");
  if (!bases.ok()) return "";
  std::ifstream pairs(reuters + "/reuters.neardup_pairs.tsv");
  std::set<std::string> paired;
  std::string a, b, jaccard;
  while (pairs >> a >> b >> jaccard) paired.insert({a, b});
  std::erase_if(*bases, [&](const corpusgen::BaseArticle& x) { return paired.contains(x.id); });
  corpusgen::CorpusOptions options;
  options.num_docs = kGeneratedDocs;
  options.copy_share = 0.3;
  options.seed = 20;
  options.real_originals = true;
  options.kinds = {corpusgen::CopyKind::kExact, corpusgen::CopyKind::kHeaderFooter};
  auto made = corpusgen::CorpusGenerator::Create(*std::move(bases), options);
  EXPECT_TRUE(made.ok()) << made.status();
  if (!made.ok()) return "";
  gen->emplace(*std::move(made));
  const std::string path = dir / "corpus.jsonl";
  EXPECT_TRUE((*gen)->WriteCorpus(path).ok());
  return path;
}

TEST(JobsTest, SeedsDedupFromFilesAndFromMemoryAgree) {
  const DedupResult from_files = DedupPaths({kSeedsDir});
  const DedupResult from_memory = DedupDocuments(ReadDocuments({kSeedsDir}));
  ASSERT_EQ(from_files.documents.num_docs(), 3u);
  // The three seed articles are one event told three ways: no copies.
  for (const DocumentVerdict& v : DocumentVerdicts(from_files.documents, from_files.groups)) {
    EXPECT_EQ(v.role, CopyRole::kUnique) << v.id;
  }
  ExpectSameVerdicts(from_files, from_memory);
}

TEST(JobsTest, SeedsClusterIntoOneStoryFromFilesAndFromMemory) {
  const ClusterResult from_files = ClusterPaths({kSeedsDir});
  InputStream memory = DocumentsInput(ReadDocuments({kSeedsDir}));
  const ClusterResult from_memory = ClusterInput(memory);
  const std::vector<StoryRecord> stories = StoryRecords(from_files);
  ASSERT_EQ(stories.size(), 1u);
  EXPECT_EQ(stories[0].story_id, "s0001");
  EXPECT_EQ(stories[0].articles.size(), 3u);
  EXPECT_EQ(stories[0].articles[0].novelty, 1.0f);
  ExpectSameStories(from_files, from_memory);
}

TEST(JobsTest, AnExactCopyInMemoryJoinsTheSeedStoryAndRanksLast) {
  std::vector<Document> docs = ReadDocuments({kSeedsDir});
  Document copy = docs[1];
  copy.id = "reprint";
  docs.push_back(copy);
  InputStream input = DocumentsInput(std::move(docs));
  const ClusterResult result = ClusterInput(input);
  const std::vector<StoryRecord> stories = StoryRecords(result);
  ASSERT_EQ(stories.size(), 1u);
  ASSERT_EQ(stories[0].articles.size(), 4u);
  const StoryArticle& last = stories[0].articles.back();
  EXPECT_EQ(last.id, "reprint");
  EXPECT_EQ(last.copy_of, result.documents.ids[1]);
  const std::vector<DocumentVerdict> verdicts = DocumentVerdicts(result.documents, result.groups);
  EXPECT_EQ(verdicts[3].role, CopyRole::kCopy);
  EXPECT_EQ(verdicts[3].representative_id, verdicts[1].id);
  EXPECT_EQ(verdicts[3].group, verdicts[1].group);
}

// A model counted over stemmed terms fits only stemmed runs: the job says so
// before it reads anything, batch and --state alike.
TEST(JobsTest, AnIdfModelOfOtherTermOptionsIsRefusedBeforeReading) {
  NormalizeOptions stemmed;
  stemmed.stem = true;
  ClusterJobOptions options;
  options.idf = std::make_shared<const IdfModel>(*IdfModel::FromTerms(1, {}, stemmed));
  InputStream input = DocumentsInput(ReadDocuments({kSeedsDir}));
  absl::StatusOr<ClusterResult> refused = RunCluster(options, input, {});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("stem: model on, run off"), std::string::npos)
      << refused.status();
  const TempDir tmp;
  StateJobOptions state;
  state.dir = tmp / "state";
  InputStream day = DocumentsInput(ReadDocuments({kSeedsDir}));
  bool wrote = false;
  auto in_state = RunClusterWithState(options, state, day, {}, [&](const StateRunResult&) {
    wrote = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(in_state.status().code(), absl::StatusCode::kInvalidArgument) << in_state.status();
  EXPECT_FALSE(wrote);

  options.dedup.normalize.stem = true;
  InputStream again = DocumentsInput(ReadDocuments({kSeedsDir}));
  absl::StatusOr<ClusterResult> fits = RunCluster(options, again, {});
  ASSERT_TRUE(fits.ok()) << fits.status();
  EXPECT_EQ(fits->documents.num_docs(), 3u);
}

TEST(JobsTest, BlankDocumentsInMemoryAreSkippedAndCounted) {
  std::vector<Document> docs = ReadDocuments({kSeedsDir});
  Document blank;
  blank.id = "blank";
  blank.text = "  \n ";
  docs.insert(docs.begin() + 1, blank);
  Document unnamed = docs[0];
  unnamed.id = "";
  unnamed.text += " More.";
  docs.push_back(unnamed);
  const DedupResult result = DedupDocuments(std::move(docs));
  // Five records: four documents and one skip, in input order.
  ASSERT_EQ(result.documents.input_order.size(), 5u);
  EXPECT_TRUE(result.documents.input_order[1].skipped);
  EXPECT_EQ(result.documents.num_docs(), 4u);
  EXPECT_EQ(result.report.skipped_reason(result.documents.input_order[1].index), "empty_text");
  EXPECT_EQ(result.report.skipped_origin(0).ToString(), "memory:2");
  // A blank id is the record's number, as a reader names a record.
  EXPECT_EQ(result.documents.ids[3], "5");
  const std::vector<DocumentVerdict> verdicts = DocumentVerdicts(result.documents, result.groups);
  EXPECT_EQ(verdicts[3].role, CopyRole::kCopy);
  EXPECT_EQ(verdicts[3].representative_id, verdicts[0].id);
}

TEST(JobsTest, GeneratedCopiesAreFoundFromFilesAndFromMemoryAlike) {
  TempDir dir;
  std::optional<corpusgen::CorpusGenerator> made;
  const std::string path = WriteGeneratedCorpus(dir, &made);
  if (path.empty()) GTEST_SKIP() << "no shared Reuters data";
  const corpusgen::CorpusGenerator& gen = *made;
  const DedupResult from_files = DedupPaths({path});
  const DedupResult from_memory = DedupDocuments(ReadDocuments({path}));
  ExpectSameVerdicts(from_files, from_memory);
  ASSERT_EQ(from_files.documents.num_docs(), static_cast<size_t>(kGeneratedDocs));
  // Every planted copy is grouped with its original (exact copies and
  // copies with a site's header and footer added are found at the default
  // threshold); documents of different originals never share a group.
  const std::vector<DocumentVerdict> verdicts =
      DocumentVerdicts(from_files.documents, from_files.groups);
  size_t copies = 0;
  for (uint64_t i = 0; i < gen.num_docs(); ++i) {
    for (uint64_t j = i + 1; j < gen.num_docs(); ++j) {
      const bool planted = gen.original_of(i) == gen.original_of(j);
      EXPECT_EQ(verdicts[i].group == verdicts[j].group, planted)
          << verdicts[i].id << " " << verdicts[j].id;
    }
    copies += verdicts[i].role == CopyRole::kCopy;
  }
  size_t planted_copies = 0;
  for (uint64_t i = 0; i < gen.num_docs(); ++i) planted_copies += gen.is_copy(i);
  EXPECT_EQ(copies, planted_copies);
}

TEST(JobsTest, ThreadsDoNotChangeResultsAndTimingsAndStagesAreReported) {
  TempDir dir;
  std::optional<corpusgen::CorpusGenerator> made;
  const std::string path = WriteGeneratedCorpus(dir, &made);
  if (path.empty()) GTEST_SKIP() << "no shared Reuters data";
  JobTimings timings;
  std::vector<std::string> stages;
  RunContext two;
  two.threads = 2;
  two.timings = &timings;
  two.on_stage = [&stages](const char* stage) { stages.emplace_back(stage); };
  RunContext one;
  one.threads = 1;
  const ClusterResult a = ClusterPaths({path}, one);
  const ClusterResult b = ClusterPaths({path}, two);
  ExpectSameStories(a, b);
  EXPECT_GT(a.stories.size(), 1u);
  EXPECT_GT(timings.load_wall, 0);
  EXPECT_GT(timings.read.parallel_wall, 0);
  EXPECT_GT(timings.group_wall, 0);
  EXPECT_GT(timings.stories.cluster_wall, 0);
  EXPECT_EQ(stages, (std::vector<std::string>{"grouping copies", "clustering stories"}));
}


}  // namespace
}  // namespace storysift
