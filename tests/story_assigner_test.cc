// StoryAssigner: assignment, labels, Remove, retention and concurrent use.
// Save/Load and the state file's formats: story_assigner_file_test.cc.
#include "storysift/story_assigner.h"

#include <atomic>
#include <cstdio>
#include <map>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "story_assigner_test_util.h"
#include "story_test_util.h"

namespace storysift {
namespace {

using testing::Generate;
using testing::PairwiseScores;
using testing::AddAll;
using testing::DocsOf;
using testing::ExpectSameVerdict;
using testing::GeneratedDocs;
using testing::Dated;
using testing::DailyDocs;
using testing::k1987;
using testing::kDay;
using testing::Make;
using testing::WeekWindow;
using testing::StoriesOf;

// ECB+ topics 1-25 (committed under data/ecbplus), fed one document at a
// time, against the batch StoryTracker on vectors of the whole corpus.
TEST(StoryAssignerTest, EcbPlusStreamScoresCloseToTheBatchTracker) {
  auto rows = testing::ReadJsonl(std::string(STORYSIFT_DATA_DIR) +
                                     "/ecbplus/ecbplus_topics_1-25.jsonl",
                                 {"cluster", "text"});
  ASSERT_GE(rows.size(), 500u);
  std::vector<std::string> texts, gold;
  for (auto& r : rows) {
    texts.push_back(r["text"]);
    gold.push_back(r["cluster"]);
  }
  const TfidfMatrix m = testing::Vectorize(texts);
  StoryTracker tracker = *StoryTracker::Create({});
  for (const StoryItem& it : testing::ItemsOf(m)) ASSERT_TRUE(tracker.Add(it).ok());
  const testing::PairScores batch = PairwiseScores(*tracker.Finish(m.vocabulary()), gold);

  const std::vector<Document> docs = DocsOf(texts);
  const IdfModel model = m.ToIdfModel(NormalizeOptions{});
  auto with_model = Make({}, &model);
  const testing::PairScores modeled = PairwiseScores(StoriesOf(AddAll(*with_model, docs)), gold);
  auto running = Make();
  const testing::PairScores run = PairwiseScores(StoriesOf(AddAll(*running, docs)), gold);
  std::printf("ECB+ tracker F1=%.3f; assigner with corpus IdfModel F1=%.3f (P %.3f R %.3f); "
              "running df F1=%.3f (P %.3f R %.3f)\n",
              batch.f1, modeled.f1, modeled.precision, modeled.recall, run.f1, run.precision,
              run.recall);
  // Measured: tracker 0.845; with the corpus model 0.845 (P 0.769, R 0.938);
  // running df 0.785 (P 0.669, R 0.950). Before names weighed 3x (#15) the
  // running df scored 0.820 beside 0.833: a name's running df is small when
  // it first appears, so early names now weigh still more and join stories
  // on a shared name alone.
  EXPECT_GE(modeled.f1, batch.f1 - 0.01);
  EXPECT_GE(modeled.f1, 0.81);
  EXPECT_GE(run.f1, batch.f1 - 0.07);
  EXPECT_GE(run.f1, 0.78);
  EXPECT_EQ(with_model->Size(), docs.size());
}

// ECB+ news streamed one article at a time: once a story holds a few
// articles, its label opens with a name as written ("Lohan", "Klitschko"),
// and never shows a number.
TEST(StoryAssignerTest, EcbPlusStreamLabelsOpenWithNames) {
  auto rows = testing::ReadJsonl(std::string(STORYSIFT_DATA_DIR) +
                                     "/ecbplus/ecbplus_topics_1-25.jsonl",
                                 {"text"});
  ASSERT_GE(rows.size(), 500u);
  std::vector<std::string> texts;
  for (auto& r : rows) texts.push_back(r["text"]);
  auto a = Make();
  const std::vector<StoryVerdict> verdicts = AddAll(*a, DocsOf(texts));
  std::map<std::string, int> seen;  // Story id -> articles so far.
  size_t judged = 0, name_first = 0;
  for (const StoryVerdict& v : verdicts) {
    if (++seen[v.story_id] < 4) continue;
    ++judged;
    ASSERT_FALSE(v.label.empty());
    name_first += absl::ascii_isupper(v.label[0][0]);
    for (const std::string& t : v.label) EXPECT_FALSE(absl::ascii_isdigit(t[0])) << t;
  }
  std::printf("ECB+ streamed: %zu of %zu labels (stories of 4+ articles) open with a name\n",
              name_first, judged);
  EXPECT_GE(judged, 200u);
  EXPECT_GE(name_first * 10, judged * 9);
}

TEST(StoryAssignerTest, GeneratedStoriesAreRecoveredAndQueryMatchesAdd) {
  std::vector<int> gold;
  const std::vector<Document> docs = GeneratedDocs(&gold);
  auto a = Make();
  std::vector<StoryVerdict> verdicts;
  for (size_t i = 0; i < docs.size(); ++i) {
    const std::string before = a->SaveToString();
    absl::StatusOr<StoryVerdict> q = a->Query(docs[i]);
    ASSERT_TRUE(q.ok()) << q.status();
    EXPECT_EQ(a->SaveToString(), before) << "Query changed the state";
    absl::StatusOr<StoryVerdict> v = a->Add(docs[i]);
    ASSERT_TRUE(v.ok()) << v.status();
    ExpectSameVerdict(*q, *v, docs[i].id);
    verdicts.push_back(*v);
  }
  EXPECT_EQ(PairwiseScores(StoriesOf(verdicts), gold).f1, 1.0);
  EXPECT_EQ(a->NumStories(), 6u);
  EXPECT_EQ(a->Size(), docs.size());
  EXPECT_EQ(verdicts[0].story_id, "s0001");
  EXPECT_TRUE(verdicts[0].is_new_story);
  EXPECT_EQ(verdicts[6].story_id, "s0001");  // Group 0 again.
  EXPECT_FALSE(verdicts[6].is_new_story);
  EXPECT_GT(verdicts[6].similarity, 0.2);
  ASSERT_EQ(verdicts[6].label.size(), 4u);
  EXPECT_EQ(verdicts[6].label[0].rfind("g0w", 0), 0u) << verdicts[6].label[0];
  EXPECT_EQ(a->StoryOf("d6"), "s0001");
  EXPECT_EQ(a->Add(docs[0]).status().code(), absl::StatusCode::kAlreadyExists);
  Document no_id;
  EXPECT_EQ(a->Add(no_id).status().code(), absl::StatusCode::kInvalidArgument);
  // A query keeps nothing: it needs no id (as Deduplicator::Query).
  no_id.text = docs[6].text;
  const absl::StatusOr<StoryVerdict> queried = a->Query(no_id);
  ASSERT_TRUE(queried.ok()) << queried.status();
  EXPECT_EQ(queried->story_id, "s0001");
  StoryAssignerOptions bad;
  bad.story.threshold = 0;
  EXPECT_EQ(StoryAssigner::Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = {};
  bad.retention_seconds = -1;
  EXPECT_EQ(StoryAssigner::Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StoryAssignerTest, AnIdfModelOfOtherTermOptionsIsRefused) {
  NormalizeOptions stemmed;
  stemmed.stem = true;
  const IdfModel model = *IdfModel::FromTerms(1, {}, stemmed);
  const auto refused = StoryAssigner::Create({}, &model);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("stem: model on, run off"), std::string::npos)
      << refused.status();
  StoryAssignerOptions fitting;
  fitting.normalize.stem = true;
  EXPECT_TRUE(StoryAssigner::Create(fitting, &model).ok());
}

TEST(StoryAssignerTest, RemoveTakesTheDocumentOutOfItsCentroid) {
  const std::vector<Document> docs = GeneratedDocs();
  // Fixed idf: running counts would still include d12 after its removal.
  std::vector<std::string> texts;
  for (const Document& d : docs) texts.push_back(d.text);
  const IdfModel model = testing::Vectorize(texts).ToIdfModel(NormalizeOptions{});
  auto a = Make({}, &model);
  // Documents 0, 6, 12 are group 0.
  std::vector<StoryVerdict> v = AddAll(*a, docs, 0, 12);
  const StoryVerdict joined = *a->Add(docs[12]);
  ASSERT_FALSE(joined.is_new_story);
  const size_t memory = a->MemoryUsage();
  ASSERT_TRUE(a->Remove("d12").ok());
  EXPECT_FALSE(a->Contains("d12"));
  EXPECT_EQ(a->Size(), 12u);
  EXPECT_LT(a->MemoryUsage(), memory);
  EXPECT_EQ(a->Remove("d12").code(), absl::StatusCode::kNotFound);
  // The rebuilt centroid is the one d12 met: the same verdict again.
  ExpectSameVerdict(*a->Query(docs[12]), joined, "after Remove");
  // Emptying a story frees it; its id is not reused.
  const size_t stories = a->NumStories();
  std::string last_id;
  for (const StoryVerdict& x : v) last_id = std::max(last_id, x.story_id);
  ASSERT_EQ(a->StoryOf("d0"), "s0001");
  ASSERT_EQ(a->StoryOf("d6"), "s0001");
  ASSERT_TRUE(a->Remove("d0").ok());
  ASSERT_TRUE(a->Remove("d6").ok());
  EXPECT_EQ(a->NumStories(), stories - 1);
  const StoryVerdict again = *a->Add(docs[12]);
  EXPECT_TRUE(again.is_new_story);
  EXPECT_GT(again.story_id, last_id);
}

TEST(StoryAssignerTest, RetentionEvictsStoriesByPublicationTimeAndBoundsSize) {
  // Day d brings 4 articles of story d (group d of 30); retention 3 days.
  testing::GeneratedCorpus c = Generate(30, 4, 30, 8, 11);
  std::vector<Document> docs = DocsOf(c.texts);
  for (size_t i = 0; i < docs.size(); ++i) docs[i].published = 1'700'000'000 + c.gold[i] * 86400;
  std::sort(docs.begin(), docs.end(), [](const Document& x, const Document& y) {
    return *x.published < *y.published;
  });
  StoryAssignerOptions o;
  o.retention_seconds = 3 * 86400;
  auto a = Make(o);
  size_t max_size = 0;
  for (const Document& d : docs) {
    ASSERT_TRUE(a->Add(d).ok());
    max_size = std::max(max_size, a->Size());
  }
  EXPECT_EQ(max_size, 16u);  // Days t-3 .. t.
  EXPECT_EQ(a->Size(), 16u);
  EXPECT_EQ(a->NumStories(), 4u);
  EXPECT_FALSE(a->Contains(docs[0].id));
  EXPECT_TRUE(a->Contains(docs.back().id));
  // An old story's article comes back: its story is gone, so it starts one.
  Document late = docs[0];
  late.id = "late";
  late.published = *docs.back().published;
  EXPECT_TRUE(a->Query(late)->is_new_story);
  EXPECT_EQ(a->EvictOlderThan(*docs.back().published), 12u);
  EXPECT_EQ(a->Size(), 4u);
  // Without retention nothing goes.
  auto keep = Make();
  for (const Document& d : docs) ASSERT_TRUE(keep->Add(d).ok());
  EXPECT_EQ(keep->Size(), docs.size());
  EXPECT_GT(keep->MemoryUsage(), a->MemoryUsage());
}


// One article whose year was mistyped retired every story: its date moved
// the assigner's clock (the newest date seen) decades on, and the next
// articles found nothing to join. The clock follows `cluster --state`'s
// rule (state/retention_clock.h): a date more than a day past the run's
// clock, or alone far past every other, moves nothing.
TEST(StoryAssignerTest, ATypoedDateAmongOrdinaryOnesRetiresNoStory) {
  const std::vector<Document> docs = DailyDocs(36, k1987);  // Six days.
  auto a = Make(WeekWindow());
  for (size_t i = 0; i < 30; ++i) {
    const StoryVerdict v = *a->Add(docs[i]);
    EXPECT_FALSE(v.future_dated);
    EXPECT_EQ(v.evicted, 0u);
  }
  ASSERT_EQ(a->NumStories(), 6u);
  const int64_t clock = *a->RetentionClock();
  EXPECT_EQ(clock, k1987 + 4 * kDay);
  // Past the run's clock (2087), and alone 30 years past 1987 (2017).
  for (const int64_t typo : {k1987 + 100 * 365 * kDay, k1987 + 30 * 365 * kDay - 5 * kDay}) {
    const Document doc = Dated(absl::StrCat("typo", typo), docs[0], typo);
    const StoryVerdict queried = *a->Query(doc);
    const StoryVerdict added = *a->Add(doc);
    ExpectSameVerdict(queried, added, doc.id);
    EXPECT_TRUE(added.future_dated) << doc.id;
    EXPECT_EQ(added.evicted, 0u) << doc.id;
    EXPECT_EQ(a->RetentionClock(), clock);
  }
  // The next day's articles join their stories: nothing was retired.
  for (size_t i = 30; i < 36; ++i) {
    const StoryVerdict q = *a->Query(docs[i]);
    const StoryVerdict v = *a->Add(docs[i]);
    ExpectSameVerdict(q, v, docs[i].id);
    EXPECT_FALSE(v.is_new_story) << docs[i].id;
    EXPECT_EQ(v.story_id, *a->StoryOf(docs[i % 6].id));
    EXPECT_EQ(v.evicted, 0u);
  }
  EXPECT_EQ(a->Size(), 38u);
  for (size_t i = 0; i < 36; ++i) EXPECT_TRUE(a->Contains(docs[i].id)) << docs[i].id;
  // The typos count as seen at the clock: the window passes them with
  // their contemporaries, and no story is kept forever by them.
  const Document week_on = Dated("week-on", docs[1], k1987 + 14 * kDay);
  const StoryVerdict v = *a->Add(week_on);
  EXPECT_FALSE(v.future_dated);
  EXPECT_EQ(v.evicted, 38u);
  EXPECT_EQ(a->Size(), 1u);
}

// The rule holds back a lone date only: a later batch (six weeks on, past
// the month a lone date waits) is news once its second article arrives,
// moves the clock and retires the old stories; the first counts at its own
// date from then on. A batch less than a month on moves it at once.
TEST(StoryAssignerTest, AGenuinelyLaterBatchAdvancesTheClockAndRetiresOldStories) {
  const std::vector<Document> march = DailyDocs(30, k1987);
  const std::vector<Document> later = DailyDocs(30, k1987 + 45 * kDay);
  auto a = Make(WeekWindow());
  AddAll(*a, march);
  ASSERT_EQ(a->Size(), 30u);
  const StoryVerdict first = *a->Add(Dated("later0", later[0], *later[0].published));
  EXPECT_TRUE(first.future_dated);
  EXPECT_EQ(first.evicted, 0u);
  const StoryVerdict second = *a->Add(Dated("later1", later[1], *later[1].published));
  EXPECT_FALSE(second.future_dated);
  EXPECT_EQ(second.evicted, 30u);
  EXPECT_EQ(a->RetentionClock(), *later[1].published);
  for (size_t i = 2; i < later.size(); ++i) {
    const StoryVerdict v = *a->Add(Dated(absl::StrCat("later", i), later[i], *later[i].published));
    EXPECT_FALSE(v.future_dated);
    EXPECT_EQ(v.evicted, 0u);
  }
  EXPECT_EQ(a->Size(), 30u);
  EXPECT_TRUE(a->Contains("later0"));
  EXPECT_EQ(a->RetentionClock(), *later.back().published);

  auto b = Make(WeekWindow());
  AddAll(*b, march);
  const std::vector<Document> fortnight = DailyDocs(6, k1987 + 18 * kDay);
  const StoryVerdict v = *b->Add(Dated("fortnight", fortnight[0], *fortnight[0].published));
  EXPECT_FALSE(v.future_dated);
  EXPECT_EQ(v.evicted, 30u);  // Each story's newest article is of day 5.
  EXPECT_EQ(b->RetentionClock(), k1987 + 18 * kDay);
}

// An article older than the retention window joined its story (or started
// one, taking a story number, that the next Add evicted). It is judged
// against the stories held and kept by none, as the Deduplicator's
// stored = false: the state does not change.
TEST(StoryAssignerTest, AnArticleOlderThanTheWindowIsJudgedButNotStored) {
  // Days 10-14, one article of each of the 6 stories a day: the clock is at
  // day 14, the window's cutoff at day 7.
  const std::vector<Document> docs = DailyDocs(30, k1987 + 10 * kDay);
  StoryAssignerOptions o = WeekWindow();
  o.story.window_seconds = 30 * kDay;  // No time decay: the old article matches.
  auto a = Make(o);
  AddAll(*a, docs);
  const std::string before = a->SaveToString();
  const std::string story0 = *a->StoryOf(docs[0].id);
  const Document old = Dated("old", docs[0], k1987 + kDay);
  const StoryVerdict queried = *a->Query(old);
  const StoryVerdict added = *a->Add(old);
  ExpectSameVerdict(queried, added, old.id);
  EXPECT_FALSE(queried.stored);
  EXPECT_FALSE(added.stored);
  EXPECT_EQ(added.story_id, story0);
  EXPECT_FALSE(added.is_new_story);
  EXPECT_GT(added.similarity, 0.2);
  ASSERT_FALSE(added.label.empty());
  EXPECT_EQ(added.label[0].rfind("g0w", 0), 0u) << added.label[0];
  EXPECT_EQ(added.evicted, 0u);
  EXPECT_FALSE(a->Contains(old.id));
  EXPECT_EQ(a->SaveToString(), before) << "the old article changed the state";
  // One that matches no story starts none: no story id, none taken.
  Document stray;
  stray.id = "stray";
  stray.text = "harbour cranes stood idle as dockers walked out over pay and pensions";
  stray.published = k1987 + kDay;
  const StoryVerdict lone = *a->Add(stray);
  EXPECT_FALSE(lone.stored);
  EXPECT_EQ(lone.story_id, "");
  EXPECT_FALSE(lone.is_new_story);
  EXPECT_EQ(lone.similarity, 0);
  EXPECT_TRUE(lone.label.empty());
  EXPECT_EQ(a->SaveToString(), before);
  EXPECT_EQ(a->Size(), docs.size());
  // Inside the window (its first day) it is kept, with the next number.
  stray.id = "stray-now";
  stray.published = k1987 + 7 * kDay;
  const StoryVerdict kept = *a->Add(stray);
  EXPECT_TRUE(kept.stored);
  EXPECT_TRUE(kept.is_new_story);
  EXPECT_EQ(kept.story_id, "s0007");
  EXPECT_TRUE(a->Contains("stray-now"));
}

// Known answer (the batch labels' test, streamed): dividend notices of 60
// companies (templated: short lines with numbers), 60 articles naming
// Gazprom inside sentences and 60 on rail strikes, interleaved. The
// streaming labels learn from what they have seen that "Gazprom" is a name
// and "qtly", "div" and "record" are template words, as the batch
// vocabulary does.
TEST(StoryAssignerTest, LabelsPutNamesFirstAndDropTemplateWordsFromTheEvidence) {
  auto a = Make();
  std::vector<StoryVerdict> news, notices;
  for (int i = 0; i < 60; ++i) {
    const std::string company = absl::StrCat("Company", std::string(1, 'a' + i % 26), i);
    Document notice;
    notice.id = absl::StrCat("notice", i);
    notice.title = absl::StrCat(company, " SETS QTLY DIV");
    notice.text = absl::StrCat("Qtly div ", i, " cts vs ", i, " cts prior\nPay April ", i % 28 + 1,
                               "\nRecord March ", i % 28 + 1, "\n");
    Document article;
    article.id = absl::StrCat("article", i);
    article.title = "Gas prices rise";
    article.text = absl::StrCat("Officials said on day ", i,
                                " that the gas exporter Gazprom would raise prices for its buyers,",
                                " and analysts expect demand to hold.\n");
    Document strike;
    strike.id = absl::StrCat("strike", i);
    strike.title = "Rail workers strike";
    strike.text = absl::StrCat("Train drivers walked out on day ", i,
                               " over pay, and commuters faced long delays on the lines.\n");
    notices.push_back(*a->Add(notice));
    news.push_back(*a->Add(article));
    ASSERT_TRUE(a->Add(strike).ok());
  }
  // Once the evidence is in (the second half), every Gazprom label opens
  // with the name as written, and no label shows a template word.
  for (int i = 30; i < 60; ++i) {
    ASSERT_FALSE(news[i].label.empty());
    EXPECT_EQ(news[i].label[0], "Gazprom") << absl::StrJoin(news[i].label, ", ");
    for (const StoryVerdict* v : {&news[i], &notices[i]}) {
      for (const std::string& t : v->label) {
        for (const char* word : {"qtly", "div", "record", "cts", "vs", "prior"}) {
          EXPECT_NE(t, word) << absl::StrJoin(v->label, ", ");
        }
      }
    }
  }
  // The evidence survives a save and load: the same label again.
  auto reloaded = StoryAssigner::LoadFromString(a->SaveToString());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  Document again;
  again.id = "article-again";
  again.title = "Gas prices rise";
  again.text = "Officials said that the gas exporter Gazprom would raise prices again.\n";
  const StoryVerdict before = *a->Query(again);
  const StoryVerdict after = *(*reloaded)->Query(again);
  EXPECT_EQ(before.label, after.label);
  ASSERT_FALSE(after.label.empty());
  EXPECT_EQ(after.label[0], "Gazprom");
}

TEST(StoryAssignerTest, ConcurrentQueriesWithOneWriterSeeStableStories) {
  const std::vector<Document> docs = GeneratedDocs();
  auto a = Make();
  const size_t half = docs.size() / 2;
  AddAll(*a, docs, 0, half);
  std::vector<std::string> expected;
  for (size_t i = 0; i < half; ++i) expected.push_back(*a->StoryOf(docs[i].id));
  std::atomic<bool> done{false};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      for (size_t round = 0; !done.load() || round < 2; ++round) {
        for (size_t i = t; i < half; i += 2) {
          absl::StatusOr<StoryVerdict> v = a->Query(docs[i]);
          if (!v.ok() || v->story_id != expected[i]) ++mismatches;
          (void)a->Size();
          (void)a->MemoryUsage();
        }
      }
    });
  }
  AddAll(*a, docs, half);
  ASSERT_TRUE(a->Remove(docs.back().id).ok());
  done = true;
  for (std::thread& r : readers) r.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(a->Size(), docs.size() - 1);
}

}  // namespace
}  // namespace storysift
