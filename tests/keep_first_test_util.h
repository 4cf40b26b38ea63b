// Shared by the `dedup --keep-first` tests (cli_keep_first_test.cc,
// cli_keep_first_warc_test.cc): generated bodies, WARC records, the fixture.
#ifndef STORYSIFT_TESTS_KEEP_FIRST_TEST_UTIL_H_
#define STORYSIFT_TESTS_KEEP_FIRST_TEST_UTIL_H_

#include <cstdlib>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {

// A paragraph of distinct words for `topic`: different topics share no
// shingles, the same topic gives a copy.
inline std::string Body(const std::string& topic) {
  std::string s;
  for (int i = 0; i < 60; ++i) {
    s += topic + std::to_string(i * 7919 % 1000) + (i % 9 == 8 ? ". " : " ");
  }
  return s;
}

inline std::vector<std::string> NonEmptyLines(const std::string& text) {
  std::vector<std::string> out;
  for (std::string& line : SplitLines(text)) {
    if (!line.empty()) out.push_back(std::move(line));
  }
  return out;
}

class KeepFirstTest : public ::testing::Test {
 protected:
  TempDir tmp_;
};

// A WARC response record (version line to block; the "\r\n\r\n" that ends
// it included) whose page is `html`.
inline std::string WarcResponse(const std::string& id, const std::string& html) {
  const std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html;
  return "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:" + id +
         ">\r\nContent-Length: " + std::to_string(http.size()) + "\r\n\r\n" + http + "\r\n\r\n";
}

// Appends `data` to `path` as one gzip member, as a .warc.gz holds records.
inline void AppendGzipMember(const std::string& path, const std::string& data,
                             const std::string& tmp) {
  WriteFile(tmp, data);
  const std::string cmd = "gzip -c < " + ShellQuote(tmp) + " >> " + ShellQuote(path);
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

}  // namespace storysift::cli_test

#endif  // STORYSIFT_TESTS_KEEP_FIRST_TEST_UTIL_H_
