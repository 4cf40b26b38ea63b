// Helpers for the end-to-end CLI tests: run the storysift binary
// (STORYSIFT_CLI_PATH) through the shell, capture its exit code, stdout and
// stderr, and pick fields out of its JSON-lines output.
#ifndef STORYSIFT_TESTS_CLI_TEST_UTIL_H_
#define STORYSIFT_TESTS_CLI_TEST_UTIL_H_

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "temp_dir.h"

namespace storysift::cli_test {

namespace fs = std::filesystem;

struct CliResult {
  int exit_code = -1;  // -1 when the process did not exit normally.
  std::string out;
  std::string err;
};

inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

using testing_util::ReadFileOrEmpty;
using testing_util::TempDir;
using testing_util::WriteFile;

// Runs `storysift ARGS...` with stdout and stderr captured in files beside
// `scratch` (a directory), and stdin from /dev/null or `stdin_path`; stdout
// goes to `stdout_path` instead when one is given (/dev/full: out is "").
inline CliResult RunCli(const std::vector<std::string>& args, const std::string& scratch,
                        const std::string& stdin_path = "/dev/null",
                        const std::string& stdout_path = "") {
  static int counter = 0;
  const std::string base = scratch + "/.cli_run_" + std::to_string(counter++);
  std::string cmd = ShellQuote(STORYSIFT_CLI_PATH);
  // Appends, not `" " + s`: that form trips GCC 12's bogus -Wrestrict.
  for (const std::string& a : args) {
    cmd += ' ';
    cmd += ShellQuote(a);
  }
  cmd += " <";
  cmd += ShellQuote(stdin_path);
  cmd += " >";
  cmd += ShellQuote(stdout_path.empty() ? base + ".out" : stdout_path);
  cmd += " 2>";
  cmd += ShellQuote(base + ".err");
  const int status = std::system(cmd.c_str());
  CliResult r;
  if (status != -1 && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  r.out = ReadFileOrEmpty(base + ".out");
  r.err = ReadFileOrEmpty(base + ".err");
  std::error_code ec;
  fs::remove(base + ".out", ec);
  fs::remove(base + ".err", ec);
  return r;
}

inline std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The raw value of `"key":` in a flat JSON object line: a string's contents
// (escapes left as they are), or the literal (null, 12, true). Empty when
// the key is absent. Enough for storysift's own output with simple ids.
inline std::string JsonField(const std::string& line, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  size_t p = line.find(needle);
  if (p == std::string::npos) return "";
  p += needle.size();
  if (p < line.size() && line[p] == '"') {
    std::string value;
    for (size_t i = p + 1; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) value += line[i++];
      value += line[i];
    }
    return value;
  }
  const size_t end = line.find_first_of(",}", p);
  return line.substr(p, end == std::string::npos ? std::string::npos : end - p);
}

}  // namespace storysift::cli_test

#endif  // STORYSIFT_TESTS_CLI_TEST_UTIL_H_
