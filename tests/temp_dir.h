// The one way tests make temporary files: a directory per test AND per
// process (<testing::TempDir()>/storysift_<suite>_<test>_<pid>), so tests
// that ctest runs in parallel, the Release and sanitizer suites, or two
// ctest runs never share a file. Removed when the TempDir goes away.
#ifndef STORYSIFT_TESTS_TEMP_DIR_H_
#define STORYSIFT_TESTS_TEMP_DIR_H_

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "gtest/gtest.h"

namespace storysift::testing_util {

// Writes `content` to `path`, creating missing parent directories; fails
// the test when the file cannot be written.
inline void WriteFile(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  out.close();
  ASSERT_TRUE(out.good()) << path;
}

// The whole file at `path`, or "" when it cannot be read.
inline std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A fresh, empty directory for the running test. REQUIRES: a test is
// running (call it from a test body or fixture, not a static initializer).
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("storysift_") + info->test_suite_name() + "_" +
                       info->name() + "_" + std::to_string(::getpid());
    // Parameterized and typed tests have '/' in their names.
    std::replace(name.begin(), name.end(), '/', '_');
    path_ = (std::filesystem::path(::testing::TempDir()) / name).string();
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  // Writes `content` to the file `name` inside the directory; returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    const std::string p = *this / name;
    WriteFile(p, content);
    return p;
  }

  // Names of the entries directly inside the directory, sorted.
  std::vector<std::string> List() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path_)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::string path_;
};

}  // namespace storysift::testing_util

#endif  // STORYSIFT_TESTS_TEMP_DIR_H_
