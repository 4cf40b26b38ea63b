// StoryAssigner: Save/Load round trips, damaged files and the committed
// files of each format version. Assignment itself: story_assigner_test.cc.
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "story_assigner_test_util.h"
#include "story_test_util.h"
#include "storysift/story_assigner.h"
#include "stream/section_file.h"
#include "temp_dir.h"

namespace storysift {
namespace {

using testing::AddAll;
using testing::DocsOf;
using testing::ExpectSameVerdict;
using testing::GeneratedDocs;
using testing::Make;

void ExpectResumeMatchesUninterrupted(const IdfModel* model) {
  const std::vector<Document> docs = GeneratedDocs();
  auto whole = Make({}, model);
  const std::vector<StoryVerdict> expected = AddAll(*whole, docs);

  auto first = Make({}, model);
  AddAll(*first, docs, 0, 60);
  const testing_util::TempDir tmp;
  const std::string path = tmp / "story_assigner_test.sta";
  ASSERT_TRUE(first->Save(path).ok());
  auto loaded = StoryAssigner::Load(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->SaveToString(), first->SaveToString());
  EXPECT_EQ((*loaded)->has_idf_model(), model != nullptr);
  for (size_t i = 60; i < docs.size(); ++i) {
    const StoryVerdict v = *(*loaded)->Add(docs[i]);
    ExpectSameVerdict(v, expected[i], docs[i].id);
  }
  EXPECT_EQ((*loaded)->Size(), docs.size());
}

TEST(StoryAssignerTest, SaveLoadAndContinueGivesTheUninterruptedVerdicts) {
  ExpectResumeMatchesUninterrupted(nullptr);
  std::vector<std::string> texts;
  for (const Document& d : GeneratedDocs()) texts.push_back(d.text);
  const IdfModel model = testing::Vectorize(texts).ToIdfModel(NormalizeOptions{});
  ExpectResumeMatchesUninterrupted(&model);
}

TEST(StoryAssignerTest, RemoveThenSaveLoadKeepsTheRebuiltCentroids) {
  const std::vector<Document> docs = GeneratedDocs();
  auto a = Make();
  AddAll(*a, docs, 0, 60);
  ASSERT_TRUE(a->Remove("d7").ok());
  ASSERT_TRUE(a->Remove("d30").ok());
  auto b = *StoryAssigner::LoadFromString(a->SaveToString());
  for (size_t i = 60; i < docs.size(); ++i) {
    ExpectSameVerdict(*b->Add(docs[i]), *a->Add(docs[i]), docs[i].id);
  }
}

TEST(StoryAssignerTest, DamagedOrForeignFilesFailWithTheirStatus) {
  auto a = Make();
  AddAll(*a, GeneratedDocs(), 0, 30);
  const std::string good = a->SaveToString();
  ASSERT_TRUE(StoryAssigner::LoadFromString(good).ok());
  auto code = [](std::string_view bytes, const StoryAssignerOptions* o = nullptr) {
    return StoryAssigner::LoadFromString(bytes, o).status().code();
  };
  for (size_t cut : {size_t{0}, size_t{7}, size_t{20}, good.size() / 2, good.size() - 1}) {
    EXPECT_EQ(code(good.substr(0, cut)), absl::StatusCode::kDataLoss) << "cut at " << cut;
  }
  std::string flipped = good;
  flipped[good.size() - 3] ^= 0x40;
  EXPECT_EQ(code(flipped), absl::StatusCode::kDataLoss);
  std::string magic = good;
  magic[0] = 'X';
  EXPECT_EQ(code(magic), absl::StatusCode::kDataLoss);
  std::string newer = good;
  newer[8] = static_cast<char>(kStoryAssignerFormatVersion + 1);
  EXPECT_EQ(code(newer), absl::StatusCode::kUnimplemented);
  // A Deduplicator index is not a story state.
  std::string other = good;
  other.replace(0, 8, "STSFTIDX");
  EXPECT_EQ(code(other), absl::StatusCode::kDataLoss);
  // Inconsistent contents behind valid checksums: a term id past the
  // vocabulary in the last member's vector.
  std::string bad_id = good;
  bad_id[good.size() - 8] = static_cast<char>(0xFF);
  bad_id[good.size() - 7] = static_cast<char>(0xFF);
  EXPECT_EQ(code(internal::FixSectionChecksums(bad_id)), absl::StatusCode::kDataLoss);

  StoryAssignerOptions other_options;
  other_options.story.threshold = 0.3f;
  const absl::Status s = StoryAssigner::LoadFromString(good, &other_options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("threshold 0.2 in the file, 0.3 expected"), std::string::npos) << s;
  StoryAssignerOptions same;
  same.retention_seconds = 86400;
  auto loaded = StoryAssigner::LoadFromString(good, &same);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->options().retention_seconds, 86400);
  EXPECT_EQ(StoryAssigner::Load("/nonexistent/dir/state.sta").status().code(),
            absl::StatusCode::kNotFound);
}

// tests/fuzz/corpus/story_state_load/valid_small.sta, written by this test
// with STORYSIFT_WRITE_STATE_SEEDS set: a change to the format breaks it
// (bump kStoryAssignerFormatVersion and regenerate on purpose).
TEST(StoryAssignerTest, CommittedStateFileLoadsAndContinues) {
  const std::string dir =
      std::string(STORYSIFT_DATA_DIR) + "/../tests/fuzz/corpus/story_state_load";
  const std::string path = dir + "/valid_small.sta";
  const std::vector<Document> docs = GeneratedDocs();
  auto fresh = Make();
  AddAll(*fresh, docs, 0, 24);
  if (std::getenv("STORYSIFT_WRITE_STATE_SEEDS") != nullptr) {
    const std::string bytes = fresh->SaveToString();
    std::filesystem::create_directories(dir);
    testing_util::WriteFile(path, bytes);
    testing_util::WriteFile(dir + "/truncated_half.sta", bytes.substr(0, bytes.size() / 2));
  }
  const std::string bytes = testing_util::ReadFileOrEmpty(path);
  ASSERT_FALSE(bytes.empty()) << path;
  EXPECT_EQ(bytes, fresh->SaveToString()) << "state format changed";
  auto loaded = StoryAssigner::LoadFromString(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->Size(), 24u);
  const std::vector<StoryVerdict> resumed = AddAll(**loaded, docs, 24);
  const std::vector<StoryVerdict> straight = AddAll(*fresh, docs, 24);
  ASSERT_EQ(resumed.size(), straight.size());
  for (size_t i = 0; i < resumed.size(); ++i) {
    ExpectSameVerdict(resumed[i], straight[i], absl::StrCat("document ", 24 + i));
  }
}

// A state written before label evidence was kept (format version 1) loads
// and assigns as before; its labels judge terms by their form until new
// documents give evidence, and it is saved again as the current version.
TEST(StoryAssignerTest, VersionOneStateFileLoadsAndAssignsTheSame) {
  const std::string path = std::string(STORYSIFT_DATA_DIR) +
                           "/../tests/fuzz/corpus/story_state_load/valid_small_v1.sta";
  const std::string bytes = testing_util::ReadFileOrEmpty(path);
  ASSERT_FALSE(bytes.empty()) << path;
  ASSERT_EQ(internal::SectionFileVersion(bytes), 1u);
  auto loaded = StoryAssigner::LoadFromString(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->Size(), 24u);
  const std::vector<Document> docs = GeneratedDocs();
  auto fresh = Make();
  AddAll(*fresh, docs, 0, 24);
  const std::vector<StoryVerdict> resumed = AddAll(**loaded, docs, 24);
  const std::vector<StoryVerdict> straight = AddAll(*fresh, docs, 24);
  ASSERT_EQ(resumed.size(), straight.size());
  for (size_t i = 0; i < resumed.size(); ++i) {
    EXPECT_EQ(resumed[i].story_id, straight[i].story_id) << i;
    EXPECT_EQ(resumed[i].similarity, straight[i].similarity) << i;
  }
  const std::string saved = (*loaded)->SaveToString();
  EXPECT_EQ(internal::SectionFileVersion(saved), kStoryAssignerFormatVersion);
  EXPECT_TRUE(StoryAssigner::LoadFromString(saved).ok());
}

// The event weighting's options (name and table-word weights, idf power)
// shape every vector the state adds: saved, and checked against `expected`.
// Before format 3 a state saved with other values came back with the
// defaults and took `expected`'s without a word.
TEST(StoryAssignerTest, EventWeightingOptionsAreSavedAndChecked) {
  StoryAssignerOptions o;
  o.tfidf.name_weight = 5.0f;
  o.tfidf.table_word_weight = 0.5f;
  o.tfidf.idf_power = 1.5f;
  auto a = Make(o);
  AddAll(*a, GeneratedDocs(), 0, 10);
  const std::string bytes = a->SaveToString();
  auto back = StoryAssigner::LoadFromString(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)->options().tfidf.name_weight, 5.0f);
  EXPECT_EQ((*back)->options().tfidf.table_word_weight, 0.5f);
  EXPECT_EQ((*back)->options().tfidf.idf_power, 1.5f);
  EXPECT_TRUE(StoryAssigner::LoadFromString(bytes, &o).ok());
  for (int field = 0; field < 3; ++field) {
    StoryAssignerOptions other = o;
    const char* name = field == 0 ? "name weight 5 in the file, 3 expected"
                       : field == 1 ? "table word weight 0.5 in the file, 0.25 expected"
                                    : "idf power 1.5 in the file, 1 expected";
    if (field == 0) other.tfidf.name_weight = 3.0f;
    if (field == 1) other.tfidf.table_word_weight = 0.25f;
    if (field == 2) other.tfidf.idf_power = 1.0f;
    const absl::Status s = StoryAssigner::LoadFromString(bytes, &other).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << name;
    EXPECT_NE(s.message().find(name), std::string::npos) << s;
  }
}

// valid_small_v2.sta: valid_small.sta as format 2 wrote it, without the
// event weighting's options: it loads with those `expected` gives (which
// cannot be checked), or the defaults without `expected`.
TEST(StoryAssignerTest, VersionTwoStateTakesTheExpectedEventWeights) {
  const std::string dir =
      std::string(STORYSIFT_DATA_DIR) + "/../tests/fuzz/corpus/story_state_load";
  const std::string path = dir + "/valid_small_v2.sta";
  const std::string bytes = testing_util::ReadFileOrEmpty(path);
  ASSERT_FALSE(bytes.empty()) << path;
  ASSERT_EQ(internal::SectionFileVersion(bytes), 2u);
  StoryAssignerOptions o;
  o.tfidf.name_weight = 5.0f;
  auto loaded = StoryAssigner::LoadFromString(bytes, &o);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->options().tfidf.name_weight, 5.0f);
  auto plain = StoryAssigner::LoadFromString(bytes);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ((*plain)->options().tfidf.name_weight, kDefaultNameWeight);
  // Saved again, it is the format-3 file of the same documents and options.
  EXPECT_EQ((*plain)->SaveToString(), testing_util::ReadFileOrEmpty(dir + "/valid_small.sta"));
}
}  // namespace
}  // namespace storysift
