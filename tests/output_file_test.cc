#include "io/output_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "temp_dir.h"

namespace storysift {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(OutputFileTest, NothingAppearsUnderFinalNameBeforeCommit) {
  const testing_util::TempDir tmp;
  const std::string path = tmp / "out_commit.jsonl";
  std::filesystem::remove(path);
  auto out = OutputFile::Open(path);
  ASSERT_TRUE(out.ok()) << out.status();
  (*out)->WriteLine("{\"a\":1}");
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE((*out)->Commit().ok());
  EXPECT_EQ(ReadFile(path), "{\"a\":1}\n");
}

TEST(OutputFileTest, AbandonedOutputLeavesPreviousFileIntact) {
  const testing_util::TempDir tmp;
  const std::string path = tmp / "out_abandon.jsonl";
  ASSERT_TRUE(WriteFileAtomically(path, "old\n").ok());
  {
    auto out = OutputFile::Open(path);
    ASSERT_TRUE(out.ok());
    (*out)->Write("half-writ");
  }  // Destroyed without Commit(), as when a run fails midway.
  EXPECT_EQ(ReadFile(path), "old\n");
  for (const auto& entry : std::filesystem::directory_iterator(tmp.path())) {
    EXPECT_EQ(entry.path().string().find("out_abandon.jsonl.tmp"), std::string::npos);
  }
}

TEST(OutputFileTest, MissingDirectoryIsNotFound) {
  auto out = OutputFile::Open("/nonexistent-dir-storysift/x.jsonl");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(out.status().message().find("nonexistent-dir-storysift"), absl::string_view::npos);
}

}  // namespace
}  // namespace storysift
