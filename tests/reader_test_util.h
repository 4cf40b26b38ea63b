// Helpers for the reader tests: draining readers, data paths (temporary
// files: temp_dir.h).
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
#include "temp_dir.h"

namespace storysift::testing_util {

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

// Every record of the file or directory `path`, opened by OpenReader;
// fails the test when it cannot be opened.
inline std::vector<ReadRecord> ReadPath(const std::string& path, ReaderOptions options = {}) {
  auto reader = OpenReader(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return {};
  return Drain(reader->get());
}

// Reads `data` (named `name`) with the reader for `format`.
inline std::vector<ReadRecord> ReadString(InputFormat format,
                                          const std::string& data,
                                          ReaderOptions options = {},
                                          const std::string& name = "in") {
  auto source = internal::ByteSource::FromString(data, name);
  std::unique_ptr<DocumentReader> reader =
      format == InputFormat::kCsv   ? internal::NewCsvReader(std::move(source), options)
      : format == InputFormat::kTsv ? internal::NewTsvReader(std::move(source), options)
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
