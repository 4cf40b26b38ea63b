// The batch driver (pipeline/document_pipeline.h): with and without kept
// bodies, every stage sees the body Normalize gives its record (no text of
// another document left in a reused buffer), the sink sees each record once
// in input order with the body's counts, and the report counts every record.
#include "pipeline/document_pipeline.h"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/input_stream.h"
#include "storysift/normalize.h"

namespace storysift {
namespace {

constexpr int kDocs = 300;
constexpr size_t kBatch = 7;  // Many batches, slots reused across them.
constexpr int kThreads = 3;

// Articles of very different sizes (a long one then a short one is where a
// reused buffer would show stale text; one is long enough that its worker
// drops its buffers after it), some HTML, some non-ASCII, some with a
// boilerplate line, and every 13th record skipped.
std::vector<ReadRecord> MakeRecords() {
  static const char* const kWords[] = {"Markets", "rallied", "after", "the", "central",
                                       "bank", "Café", "Zürich", "東京", "said", "on",
                                       "Tuesday", "3.5", "percent", "U.S.", "shares"};
  std::mt19937 rng(19);
  std::vector<ReadRecord> records(kDocs);
  for (int d = 0; d < kDocs; ++d) {
    ReadRecord& r = records[d];
    if (d % 13 == 5) {
      r.skip_reason = kSkipEmptyText;
      r.message = "generated skip";
      continue;
    }
    r.doc.id = "doc" + std::to_string(d);
    const int words = d == 40       ? 300000
                      : d % 2 == 0 ? static_cast<int>(rng() % 2000)
                                   : static_cast<int>(rng() % 20);
    std::string text;
    for (int w = 0; w < words; ++w) {
      text += kWords[rng() % std::size(kWords)];
      text += rng() % 12 == 0 ? ".\n" : " ";
    }
    if (d % 3 == 0) text += "\nSubscribe to our newsletter for more news\n";
    if (d % 5 == 0) text = "<html><body><p>" + text + "</p></body></html>";
    r.doc.text = text;
  }
  return records;
}

struct Seen {
  std::string clean, folded;
  std::vector<uint64_t> hashes;
  int boilerplate = -1;
};

void ExpectSameBody(const NormalizedText& got, const NormalizedText& want, int d) {
  EXPECT_EQ(got.clean, want.clean) << d;
  EXPECT_EQ(got.folded, want.folded) << d;
  ASSERT_EQ(got.tokens.size(), want.tokens.size()) << d;
  for (size_t t = 0; t < want.tokens.size(); ++t) {
    ASSERT_EQ(got.tokens[t].hash, want.tokens[t].hash) << d << " token " << t;
    ASSERT_EQ(got.tokens[t].begin, want.tokens[t].begin) << d << " token " << t;
  }
  EXPECT_EQ(got.boilerplate_lines_dropped, want.boilerplate_lines_dropped) << d;
}

void RunAndCheck(bool keep_bodies) {
  SCOPED_TRACE(keep_bodies ? "bodies kept" : "bodies not kept");
  const std::vector<ReadRecord> records = MakeRecords();
  const Normalizer normalizer = *Normalizer::Create(NormalizeOptions());
  std::vector<NormalizedText> want(kDocs);
  size_t want_tokens = 0;
  for (int d = 0; d < kDocs; ++d) {
    if (records[d].skipped()) continue;
    normalizer.Normalize(records[d].doc.text, &want[d]);
    want_tokens += want[d].tokens.size();
  }
  ASSERT_GT(want_tokens, 50000u);

  InputStream input = InputStream::FromRecords(records);
  PipelineOptions options;
  options.batch_size = kBatch;
  options.keep_bodies = keep_bodies;
  RunContext context;
  context.threads = kThreads;
  RunReport report;
  // The stage's copy of each body, by slot; the sink moves it to the record.
  std::vector<NormalizedText> staged_copy(PipelineSlots(options));
  int next = 0;
  auto stage = [&](size_t slot, const StagedRecord& rec) { staged_copy[slot] = rec.body; };
  auto sink = [&](size_t slot, StagedRecord& rec) -> absl::Status {
    const int d = next++;
    EXPECT_EQ(rec.record.skipped(), records[d].skipped()) << d;
    if (rec.record.skipped()) return absl::OkStatus();
    EXPECT_EQ(rec.record.doc.id, records[d].doc.id);
    ExpectSameBody(staged_copy[slot], want[d], d);
    EXPECT_EQ(rec.body_tokens, want[d].tokens.size()) << d;
    EXPECT_EQ(rec.boilerplate_lines_dropped, want[d].boilerplate_lines_dropped) << d;
    if (keep_bodies) {
      ExpectSameBody(rec.body, want[d], d);
    } else {
      EXPECT_TRUE(rec.body.tokens.empty() && rec.body.clean.empty()) << d;
    }
    return absl::OkStatus();
  };
  ASSERT_TRUE(
      RunDocumentPipeline(input, normalizer, options, context, &report, stage, sink).ok());
  EXPECT_EQ(next, kDocs);
  EXPECT_EQ(report.skipped(), (kDocs + 7) / 13);
  EXPECT_EQ(report.tokens(), static_cast<int64_t>(want_tokens));
}

TEST(DocumentPipelineTest, StagesSeeEachRecordsOwnBodyWithBodiesKept) { RunAndCheck(true); }

TEST(DocumentPipelineTest, StagesSeeEachRecordsOwnBodyWithoutKeptBodies) {
  RunAndCheck(false);
}

// The first batch is small so that the workers start early; batches double
// up to batch_size, and the sink still sees every record once, in order.
TEST(DocumentPipelineTest, BatchesStartSmallAndDoubleUpToTheBatchSize) {
  constexpr int kRecords = 2000;
  std::vector<ReadRecord> records(kRecords);
  for (int d = 0; d < kRecords; ++d) {
    records[d].doc.id = "doc" + std::to_string(d);
    records[d].doc.text = "Story number " + std::to_string(d) + " said the bank.";
  }
  InputStream input = InputStream::FromRecords(records);
  const Normalizer normalizer = *Normalizer::Create(NormalizeOptions());
  PipelineOptions options;
  options.batch_size = 512;
  RunContext context;
  context.threads = 2;
  RunReport report;
  std::vector<size_t> sizes;
  auto batch_stage = [&](size_t, absl::Span<StagedRecord> batch) {
    sizes.push_back(batch.size());
    return absl::OkStatus();
  };
  int next = 0;
  auto sink = [&](size_t, StagedRecord& rec) {
    EXPECT_EQ(rec.record.doc.id, records[next].doc.id);
    ++next;
    return absl::OkStatus();
  };
  ASSERT_TRUE(RunDocumentPipeline(input, normalizer, options, context, &report, nullptr,
                                  batch_stage, sink)
                  .ok());
  EXPECT_EQ(next, kRecords);
  EXPECT_EQ(sizes, (std::vector<size_t>{64, 128, 256, 512, 512, 512, 16}));
}

// The batch stage sees each batch after the sink has seen every record
// before it, with the slots its records' stage used; a sink error stops the
// run with that error and no record after it is sunk.
TEST(DocumentPipelineTest, BatchStageFollowsEarlierSinksAndSinkErrorsStopTheRun) {
  const std::vector<ReadRecord> records = MakeRecords();
  const Normalizer normalizer = *Normalizer::Create(NormalizeOptions());
  PipelineOptions options;
  options.batch_size = kBatch;
  options.keep_bodies = false;
  RunContext context;
  context.threads = kThreads;
  std::vector<std::string> id_at_slot(PipelineSlots(options));
  auto stage = [&](size_t slot, const StagedRecord& rec) {
    ASSERT_LT(slot, id_at_slot.size());
    id_at_slot[slot] = rec.record.doc.id;
  };
  size_t sunk = 0, staged_batches = 0;
  auto batch_stage = [&](size_t first_slot, absl::Span<StagedRecord> batch) -> absl::Status {
    EXPECT_EQ(sunk, staged_batches * kBatch);
    ++staged_batches;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].record.skipped()) continue;
      EXPECT_EQ(id_at_slot[first_slot + i], batch[i].record.doc.id);
    }
    return absl::OkStatus();
  };
  constexpr size_t kFailAt = 100;
  auto sink = [&](size_t slot, StagedRecord& rec) -> absl::Status {
    EXPECT_EQ(rec.record.skipped(), records[sunk].skipped()) << sunk;
    if (!rec.record.skipped()) EXPECT_EQ(id_at_slot[slot], records[sunk].doc.id) << sunk;
    if (sunk++ == kFailAt) return absl::DataLossError("sink failed");
    return absl::OkStatus();
  };
  InputStream input = InputStream::FromRecords(records);
  RunReport report;
  const absl::Status status = RunDocumentPipeline(input, normalizer, options, context, &report,
                                                  stage, batch_stage, sink);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_EQ(sunk, kFailAt + 1);
  EXPECT_GT(staged_batches, kFailAt / kBatch);
}

}  // namespace
}  // namespace storysift
