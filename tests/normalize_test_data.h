// Test-only access to the shared corpora for the normalizer tests and
// benchmark: seed files and the "text" field of JSON-lines corpora, without
// depending on the library's readers.
#ifndef STORYSIFT_TESTS_NORMALIZE_TEST_DATA_H_
#define STORYSIFT_TESTS_NORMALIZE_TEST_DATA_H_

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace storysift::testing {

inline std::string SharedDataPath(std::string_view relative) {
  return std::string(STORYSIFT_SHARED_DATA_DIR) + "/" + std::string(relative);
}

// Whole file, or "" with *ok = false when it cannot be read.
inline std::string ReadFileOrEmpty(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::stringstream ss;
  if (*ok) ss << in.rdbuf();
  return ss.str();
}

inline void AppendUtf8ForTest(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The unescaped string value of `"key": "..."` in one JSON line ("" if
// absent). Enough JSON for the shared corpora, which Python's json wrote.
inline std::string JsonStringField(std::string_view line, std::string_view key) {
  std::string needle = "\"";
  needle.append(key).append("\": \"");
  size_t i = line.find(needle);
  std::string out;
  if (i == std::string_view::npos) return out;
  i += needle.size();
  auto hex4 = [&](size_t at) {
    return static_cast<uint32_t>(std::stoul(std::string(line.substr(at, 4)), nullptr, 16));
  };
  while (i < line.size() && line[i] != '"') {
    if (line[i] != '\\') {
      out.push_back(line[i++]);
      continue;
    }
    const char e = line[i + 1];
    i += 2;
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        uint32_t cp = hex4(i);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && line.compare(i, 2, "\\u") == 0) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(i + 2) - 0xDC00);
          i += 6;
        }
        AppendUtf8ForTest(cp, &out);
        break;
      }
      default: out.push_back(e);
    }
  }
  return out;
}

// The "text" fields of the first `limit` lines of a shared JSON-lines file;
// empty when the file is absent.
inline std::vector<std::string> ReadCorpusTexts(std::string_view relative,
                                                size_t limit) {
  std::vector<std::string> texts;
  std::ifstream in(SharedDataPath(relative));
  std::string line;
  while (texts.size() < limit && std::getline(in, line)) {
    texts.push_back(JsonStringField(line, "text"));
  }
  return texts;
}

// The three seed articles, in file order; empty when absent.
inline std::vector<std::string> ReadSeeds() {
  static const char* const kNames[] = {"000_8648b8e4cc17f650.txt",
                                       "001_b1bb489c0326580c.txt",
                                       "002_7b26a201a710dbff.txt"};
  std::vector<std::string> seeds;
  for (const char* name : kNames) {
    bool ok = false;
    std::string text = ReadFileOrEmpty(SharedDataPath(std::string("seeds/") + name), &ok);
    if (!ok) return {};
    seeds.push_back(std::move(text));
  }
  return seeds;
}

}  // namespace storysift::testing

#endif  // STORYSIFT_TESTS_NORMALIZE_TEST_DATA_H_
