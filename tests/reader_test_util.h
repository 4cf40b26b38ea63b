// Helpers for the reader tests: temp files and draining readers.
#ifndef STORYSIFT_TESTS_READER_TEST_UTIL_H_
#define STORYSIFT_TESTS_READER_TEST_UTIL_H_

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/byte_source.h"
#include "ingest/reader_internal.h"
#include "storysift/reader.h"

namespace storysift::testing_util {

// A fresh directory under testing::TempDir() named after the running test.
inline std::string MakeTempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                              (std::string("storysift_") +
                               info->test_suite_name() + "_" + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline void WriteFile(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path());
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  ASSERT_EQ(std::fwrite(content.data(), 1, content.size(), f), content.size());
  ASSERT_EQ(std::fclose(f), 0);
}

// Every record of `reader`; fails the test on an error.
inline std::vector<ReadRecord> Drain(DocumentReader* reader) {
  std::vector<ReadRecord> out;
  while (true) {
    ReadRecord r;
    absl::StatusOr<bool> more = reader->Next(&r);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) return out;
    out.push_back(std::move(r));
  }
}

// Reads `data` (named `name`) with the reader for `format`.
inline std::vector<ReadRecord> ReadString(InputFormat format,
                                          const std::string& data,
                                          ReaderOptions options = {},
                                          const std::string& name = "in") {
  auto source = internal::ByteSource::FromString(data, name);
  std::unique_ptr<DocumentReader> reader =
      format == InputFormat::kCsv ? internal::NewCsvReader(std::move(source), options)
                                  : internal::NewJsonlReader(std::move(source), options);
  return Drain(reader.get());
}

inline std::string SharedData(const std::string& rel) {
  return std::string(STORYSIFT_SHARED_DATA_DIR) + "/" + rel;
}

inline std::string ProjectData(const std::string& rel) {
  return std::string(STORYSIFT_DATA_DIR) + "/" + rel;
}

}  // namespace storysift::testing_util

#endif  // STORYSIFT_TESTS_READER_TEST_UTIL_H_
