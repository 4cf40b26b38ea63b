// The cohesion split of #15 (rank/story_cohesion.h): a story that average
// linkage made of two events of one kind (the kind's words shared, each
// event's names its own) splits into the events; one event, however varied
// its articles, stays whole; stories of short texts are never split.
#include "rank/story_cohesion.h"

#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli_test_util.h"
#include "gtest/gtest.h"
#include "simdjson.h"
#include "story_test_util.h"
#include "storysift/story_clusterer.h"

namespace storysift::internal {
namespace {

using testing::ItemsOf;
using testing::Vectorize;

// `docs` articles on each of `events` events of one kind: each names all
// of its event's own kEventNames words (its place and people) and draws
// `kind_words` words from the kind's vocabulary (an earthquake: struck,
// killed, rescue...), so that one event's articles share their names and
// about a third of their kind words, and two events only the kind words.
// Kind words are `kind`'s own; events are numbered from `first_event`.
// Ordinals run event by event.
constexpr int kEventNames = 6;
constexpr uint32_t kKindVocabulary = 40;
// Articles of about 19 distinct terms (6 names, ~13 kind words), and short
// texts of about 12 (the short-text regime's limit is 16).
constexpr int kArticleKindWords = 16;
constexpr int kShortTextKindWords = 6;

std::vector<std::string> EventsOfOneKind(int events, int docs, int kind_words, uint32_t seed,
                                         int kind = 0, int first_event = 0) {
  std::mt19937 rng(seed);  // Output is specified by the standard.
  std::vector<std::string> texts;
  for (int e = 0; e < events; ++e) {
    for (int d = 0; d < docs; ++d) {
      std::string text;
      for (int k = 0; k < kEventNames; ++k) {
        absl::StrAppend(&text, "ev", first_event + e, "name", k, " ");
      }
      for (int k = 0; k < kind_words; ++k) {
        absl::StrAppend(&text, "kind", kind, "w", rng() % kKindVocabulary, " ");
      }
      texts.push_back(std::move(text));
    }
  }
  return texts;
}

std::vector<DocOrdinal> Range(DocOrdinal begin, DocOrdinal end) {
  std::vector<DocOrdinal> out;
  for (DocOrdinal d = begin; d < end; ++d) out.push_back(d);
  return out;
}

// The members of each story `stories` are split into, at `options`.
std::vector<std::vector<DocOrdinal>> Parts(const std::vector<DocOrdinal>& members,
                                           const TfidfMatrix& matrix, const StoryOptions& options,
                                           int threads = 1) {
  std::vector<Story> stories(1);
  stories[0].members = members;
  const std::vector<DocMeta> meta(matrix.num_rows());
  std::vector<std::vector<DocOrdinal>> parts;
  const std::vector<Story> out =
      SplitIncoherentStories(std::move(stories), meta, matrix, options, threads);
  for (const Story& s : out) {
    if (out.size() > 1) {
      EXPECT_FALSE(s.label.empty()) << "a split story gets a label";
    }
    parts.push_back(s.members);
  }
  return parts;
}

TEST(BisectRowsTest, SeparatesTwoGroupsWithNoWordInCommon) {
  const TfidfMatrix m = Vectorize({"alpha beta gamma", "alpha beta delta", "alpha gamma delta",
                                   "one two three", "one two four", "two three four"});
  BisectionCohesion c;
  const std::vector<uint8_t> side = BisectRows(Range(0, 6), m, &c);
  ASSERT_EQ(side.size(), 6u);
  for (int i = 1; i < 3; ++i) EXPECT_EQ(side[i], side[0]);
  for (int i = 3; i < 6; ++i) EXPECT_NE(side[i], side[0]);
  EXPECT_EQ(c.between, 0.0);
  EXPECT_GT(c.within[0], 0.3);
  EXPECT_GT(c.within[1], 0.3);
}

TEST(BisectRowsTest, MeanCosinesAreThoseOfThePairs) {
  const TfidfMatrix m = Vectorize({"red green", "red blue", "green blue yellow", "red yellow"});
  BisectionCohesion c;
  const std::vector<uint8_t> side = BisectRows(Range(0, 4), m, &c);
  // The brute-force means over the pairs of each side and across.
  double sum[3] = {0, 0, 0};
  int count[3] = {0, 0, 0};
  for (DocOrdinal a = 0; a < 4; ++a) {
    for (DocOrdinal b = a + 1; b < 4; ++b) {
      const int k = side[a] != side[b] ? 2 : side[a];
      sum[k] += Dot(m.row(a), m.row(b));
      ++count[k];
    }
  }
  for (int s = 0; s < 2; ++s) {
    EXPECT_NEAR(c.within[s], count[s] ? sum[s] / count[s] : 0.0, 1e-6) << s;
  }
  EXPECT_NEAR(c.between, sum[2] / count[2], 1e-6);
}

// Two earthquakes: the articles of each share its place and people; both
// share the kind's words, so average linkage joins them at the default
// threshold. The split parts them exactly.
TEST(StoryCohesionTest, TwoEventsOfOneKindJoinedByAverageLinkageSplitApart) {
  const TfidfMatrix m = Vectorize(EventsOfOneKind(2, 8, kArticleKindWords, 15));
  StoryOptions options;
  const std::vector<Story> joined =
      *(*StoryClusterer::Create(options)).Cluster(ItemsOf(m), m.vocabulary());
  ASSERT_EQ(joined.size(), 1u) << "the generator no longer joins the events";
  const std::vector<std::vector<DocOrdinal>> parts = Parts(joined[0].members, m, options);
  EXPECT_EQ(parts, (std::vector<std::vector<DocOrdinal>>{Range(0, 8), Range(8, 16)}));
  options.cohesion_split = 0;
  EXPECT_EQ(Parts(joined[0].members, m, options).size(), 1u) << "0 turns it off";
}

// A story chained from two earthquakes and a flood: the flood splits off
// first, then the halves are judged again and the earthquakes part.
TEST(StoryCohesionTest, EachHalfIsJudgedAgain) {
  std::vector<std::string> texts = EventsOfOneKind(2, 8, kArticleKindWords, 16);
  for (std::string& t : EventsOfOneKind(1, 8, kArticleKindWords, 16, /*kind=*/1, 2)) {
    texts.push_back(std::move(t));
  }
  const TfidfMatrix m = Vectorize(texts);
  const std::vector<std::vector<DocOrdinal>> parts = Parts(Range(0, 24), m, StoryOptions());
  EXPECT_EQ(parts,
            (std::vector<std::vector<DocOrdinal>>{Range(0, 8), Range(8, 16), Range(16, 24)}));
}

// One event told by 24 articles, each with its own mix of the event's words
// and much noise: 2-means finds some bisection, but its halves are as alike
// between as within.
TEST(StoryCohesionTest, OneEventStaysWholeHoweverVariedItsArticles) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    const TfidfMatrix m = Vectorize(EventsOfOneKind(1, 24, kArticleKindWords, seed));
    EXPECT_EQ(Parts(Range(0, 24), m, StoryOptions()).size(), 1u) << seed;
  }
}

// Tweets and headlines share a word or two per pair; their stories are
// grown by centroid on purpose (the short-text regime) and stay whole.
TEST(StoryCohesionTest, StoriesOfShortTextsStayWhole) {
  const TfidfMatrix m = Vectorize(EventsOfOneKind(2, 8, kShortTextKindWords, 17));
  StoryOptions options;
  EXPECT_EQ(Parts(Range(0, 16), m, options).size(), 1u);
  options.short_text_terms = 0;  // The regime off: they are articles now.
  EXPECT_EQ(Parts(Range(0, 16), m, options).size(), 2u);
}

TEST(StoryCohesionTest, SmallStoriesAndSmallHalvesStayWhole) {
  const TfidfMatrix m = Vectorize(EventsOfOneKind(2, 6, kArticleKindWords, 18));
  EXPECT_EQ(Parts(Range(0, 12), m, StoryOptions()).size(), 2u);
  // Five members cannot make two halves of three.
  EXPECT_EQ(Parts({0, 1, 2, 6, 7}, m, StoryOptions()).size(), 1u);
  // Two articles on another event are a sidebar, not a second event.
  EXPECT_EQ(Parts({0, 1, 2, 3, 4, 5, 6, 7}, m, StoryOptions()).size(), 1u);
}

TEST(StoryCohesionTest, PartsAreTheSameForAnyThreadCount) {
  const TfidfMatrix m = Vectorize(EventsOfOneKind(3, 7, kArticleKindWords, 19));
  std::vector<Story> stories(3);
  stories[0].members = Range(0, 10);
  stories[1].members = Range(10, 14);
  stories[2].members = Range(14, 21);
  const std::vector<DocMeta> meta(m.num_rows());
  const auto run = [&](int threads) {
    std::vector<std::vector<DocOrdinal>> out;
    for (const Story& s : SplitIncoherentStories(stories, meta, m, StoryOptions(), threads)) {
      out.push_back(s.members);
    }
    return out;
  };
  const std::vector<std::vector<DocOrdinal>> one = run(1);
  EXPECT_EQ(one, run(4));
  EXPECT_EQ(one.front(), Range(0, 7));  // Ordered by first member.
}

TEST(StoryCohesionTest, SplitOutsideZeroToOneIsInvalidArgument) {
  for (float bad : {-0.1f, 1.0f, 2.0f}) {
    StoryOptions o;
    o.cohesion_split = bad;
    EXPECT_EQ(StoryClusterer::Create(o).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

// The article ids of each story of `cluster` output.
std::vector<std::set<std::string>> StoriesOf(const std::string& jsonl) {
  std::vector<std::set<std::string>> stories;
  simdjson::dom::parser parser;
  for (const std::string& line : cli_test::SplitLines(jsonl)) {
    std::set<std::string> ids;
    for (simdjson::dom::element a : parser.parse(line)["articles"].get_array()) {
      ids.insert(std::string(a["id"].get_string().value()));
    }
    stories.push_back(std::move(ids));
  }
  return stories;
}

const std::set<std::string>& StoryHolding(const std::vector<std::set<std::string>>& stories,
                                          const std::string& id) {
  static const std::set<std::string> kNone;
  for (const std::set<std::string>& s : stories) {
    if (s.contains(id)) return s;
  }
  return kNone;
}

// Real news, end to end (`storysift cluster`): among all BBC articles, the
// WorldCom fraud trial and the takeover of MCI (WorldCom's new name) are one
// story of average linkage, two events of one kind of business news; the
// split parts them, and the three seed articles stay one story with no
// intruder. With the stray join (the default), a third WorldCom article left
// alone ("WorldCom bosses' $54m payout", business/403) joins first, and the
// twelve no longer split at 0.55 (docs/quality.md); the split is judged here
// on the story average linkage built.
TEST(StoryCohesionDataTest, BbcWorldComTrialAndMciTakeoverPartAndSeedsStayOneStory) {
  const std::string bbc = std::string(STORYSIFT_SHARED_DATA_DIR) + "/bbc/bbc.jsonl";
  if (!std::filesystem::exists(bbc)) GTEST_SKIP() << "BBC not found";
  const testing_util::TempDir dir;
  const auto run = [&](const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"cluster", "-q", std::string(STORYSIFT_DATA_DIR) + "/seeds",
                                     bbc};
    args.insert(args.end(), flags.begin(), flags.end());
    const cli_test::CliResult r = cli_test::RunCli(args, dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return StoriesOf(r.out);
  };
  const std::set<std::string> trial = {"business/059", "business/087", "business/100",
                                       "business/114", "business/196", "business/246",
                                       "business/465"};
  const std::set<std::string> takeover = {"business/162", "business/188", "business/202",
                                          "business/251"};
  const std::vector<std::set<std::string>> on = run({"--stray-join", "0"});
  EXPECT_EQ(StoryHolding(on, "business/196"), trial);
  EXPECT_EQ(StoryHolding(on, "business/162"), takeover);
  for (const std::vector<std::set<std::string>>& stories : {on, run({})}) {
    const std::set<std::string>& seeds = StoryHolding(stories, "000_8648b8e4cc17f650.txt");
    EXPECT_EQ(seeds.size(), 3u);
    for (const std::string& id : seeds) EXPECT_EQ(id.substr(0, 2), "00") << id;
  }
  std::set<std::string> joined = trial;
  joined.insert(takeover.begin(), takeover.end());
  EXPECT_EQ(StoryHolding(run({"--cohesion-split", "0", "--stray-join", "0"}), "business/196"),
            joined);
}

}  // namespace
}  // namespace storysift::internal
