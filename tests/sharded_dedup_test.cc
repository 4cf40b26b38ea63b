// The distributed dedup's steps (sharded_dedup.h), run shard by shard here,
// give exactly the batch grouping of the whole corpus.
#include "storysift/sharded_dedup.h"

#include <algorithm>
#include <vector>

#include "dedup_test_util.h"
#include "gtest/gtest.h"
#include "pipeline/corpus.h"
#include "storysift/input_stream.h"
#include "storysift/record_fields.h"

namespace storysift {
namespace {

constexpr size_t kDocs = 1200;
constexpr size_t kShards = 3;

// As the CLI: the corpus keeps b-bit rows and band keys for the verifier.
CorpusOptions CompactOptions(const Verifier& verifier) {
  CorpusOptions options;
  options.verifier = verifier;
  return options;
}

Corpus Load(const std::vector<Document>& docs, size_t begin, size_t end,
            const CorpusOptions& options) {
  std::vector<ReadRecord> records;
  for (size_t i = begin; i < end; ++i) {
    ReadRecord r;
    r.doc = docs[i];
    records.push_back(std::move(r));
  }
  InputStream stream = InputStream::FromRecords(std::move(records));
  const Normalizer normalizer = Normalizer::Create({}).value();
  return LoadCorpus(stream, normalizer, options, RunContext()).value();
}

TEST(ShardedDedupTest, ShardedStepsGiveTheBatchGroups) {
  const std::vector<Document> docs = testdata::StreamWithCopies(kDocs);
  const Verifier verifier = Verifier::Create({}, SketchOptions()).value();
  const CorpusOptions options = CompactOptions(verifier);
  const Corpus whole = Load(docs, 0, docs.size(), options);
  const CopyGroups batch =
      GroupCopies(whole.sketch_table(), whole.meta, verifier, RunContext()).value();

  std::vector<Corpus> shards;
  std::vector<uint64_t> first = {0};
  const size_t per = (docs.size() + kShards - 1) / kShards;
  for (size_t s = 0; s < kShards; ++s) {
    shards.push_back(Load(docs, s * per, std::min(docs.size(), (s + 1) * per), options));
    first.push_back(first.back() + shards.back().num_docs());
  }
  std::vector<uint64_t> keys, ordinals;
  for (size_t s = 0; s < kShards; ++s) {
    ShardBandPostings(shards[s].sketch_table(), first[s], &keys, &ordinals);
  }
  // Two buckets, as a shuffle would cut them; a pair may come from both.
  std::vector<uint32_t> bucket(keys.size());
  BandKeyBuckets(keys, 2, absl::MakeSpan(bucket));
  std::vector<std::pair<uint64_t, uint64_t>> candidates;
  for (uint32_t b = 0; b < 2; ++b) {
    std::vector<uint64_t> k, o;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (bucket[i] == b) {
        k.push_back(keys[i]);
        o.push_back(ordinals[i]);
      }
    }
    for (const auto& p : PairsSharingKey(k, o)) candidates.push_back(p);
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  auto shard_of = [&](uint64_t d) {
    return static_cast<size_t>(std::upper_bound(first.begin(), first.end(), d) - first.begin() - 1);
  };
  std::vector<VerifiedPair> pairs;
  for (const auto& [a, b] : candidates) {
    const size_t sa = shard_of(a), sb = shard_of(b);
    const uint32_t ra = static_cast<uint32_t>(a - first[sa]);
    const uint32_t rb = static_cast<uint32_t>(b - first[sb]);
    uint8_t passes = 0;
    double similarity = 0;
    VerifyShardPairs(shards[sa].sketch_table(), shards[sb].sketch_table(), {&ra, 1}, {&rb, 1},
                     verifier, {&passes, 1}, {&similarity, 1});
    if (passes) {
      pairs.push_back({static_cast<DocOrdinal>(a), static_cast<DocOrdinal>(b), similarity});
    }
  }
  ASSERT_EQ(pairs.size(), batch.pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(pairs[i].a, batch.pairs[i].a);
    EXPECT_EQ(pairs[i].b, batch.pairs[i].b);
    EXPECT_EQ(pairs[i].similarity, batch.pairs[i].similarity);
  }
  SketchTable no_sketches;
  no_sketches.num_docs = whole.num_docs();
  const std::vector<DocOrdinal> priority =
      PriorityOrder(verifier.options().keep, whole.num_docs(), whole.meta).value();
  const CopyGroups sharded = GroupVerifiedPairs(no_sketches, verifier, priority, pairs);
  size_t copies = 0;
  for (DocOrdinal d = 0; d < whole.num_docs(); ++d) {
    EXPECT_EQ(sharded.docs[d].representative, batch.docs[d].representative) << d;
    EXPECT_EQ(sharded.docs[d].role, batch.docs[d].role) << d;
    copies += batch.docs[d].role == CopyRole::kCopy;
  }
  EXPECT_GT(copies, kDocs / 10);  // The planted copies are found at all.
}

TEST(RecordFieldsTest, FollowsTheJsonReadersRules) {
  const ReaderOptions options;
  RecordFields fields;
  fields.text = "<html><head><title>Rates rise | Daily</title></head><body>Body.</body></html>";
  fields.date = "1488412800";
  ReadRecord r = RecordFromFields(fields, options, Origin{"records", 3}, "records:3");
  ASSERT_FALSE(r.skipped()) << r.message;
  EXPECT_EQ(r.doc.id, "records:3");         // A blank id gets the fallback.
  EXPECT_EQ(r.doc.title, "Rates rise");     // From the page's metadata.
  EXPECT_EQ(r.doc.published, 1488412800);   // Epoch seconds.
  RecordFields blank;
  blank.text = "  \n";
  EXPECT_EQ(RecordFromFields(blank, options, {}, "x").skip_reason, kSkipEmptyText);
  EXPECT_EQ(RecordFromFields(RecordFields(), options, {}, "x").skip_reason, kSkipMissingText);
  RecordFields bad_date;
  bad_date.text = "text";
  bad_date.date = "not a date";
  const ReadRecord undated = RecordFromFields(bad_date, options, {}, "x");
  EXPECT_FALSE(undated.doc.published.has_value());
  EXPECT_TRUE(undated.doc.flags.date_unparsed);
}

}  // namespace
}  // namespace storysift
