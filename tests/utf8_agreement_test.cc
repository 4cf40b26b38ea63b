// The three UTF-8 paths (reader repair, normalizer sanitizer, JSON writer)
// share one decoder; this table checks they agree on tricky sequences.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/utf8.h"
#include "io/json_writer.h"
#include "text/utf8.h"

namespace storysift::internal {
namespace {

constexpr char kFffd[] = "\xEF\xBF\xBD";

// A piece of input: a well-formed sequence (or ASCII run) or one maximal
// invalid subpart.
struct Piece {
  std::string bytes;
  bool valid;
};

struct Case {
  const char* name;
  std::vector<Piece> pieces;
};

const std::vector<Case>& Cases() {
  static const auto* cases = new std::vector<Case>{
      {"ascii and two-byte", {{"caf", true}, {"\xC3\xA9", true}}},
      {"overlong two-byte", {{"\xC0", false}, {"\xAF", false}, {"\xC1", false}, {"\xBF", false}}},
      {"overlong three-byte", {{"\xE0", false}, {"\x80", false}, {"\xAF", false}}},
      {"overlong three-byte top", {{"\xE0", false}, {"\x9F", false}, {"\xBF", false}}},
      {"smallest three-byte", {{"\xE0\xA0\x80", true}}},
      {"overlong four-byte",
       {{"\xF0", false}, {"\x8F", false}, {"\xBF", false}, {"\xBF", false}}},
      {"smallest four-byte", {{"\xF0\x90\x80\x80", true}}},
      {"surrogate", {{"\xED", false}, {"\xA0", false}, {"\x80", false}}},
      {"around the surrogates", {{"\xED\x9F\xBF", true}, {"\xEE\x80\x80", true}}},
      {"above U+10FFFF", {{"\xF4", false}, {"\x90", false}, {"\x80", false}, {"\x80", false}}},
      {"U+10FFFF", {{"\xF4\x8F\xBF\xBF", true}}},
      {"F5 lead", {{"\xF5", false}, {"\x80", false}, {"\x80", false}, {"\x80", false}}},
      {"FF byte", {{"a", true}, {"\xFF", false}, {"b", true}}},
      {"three-byte truncated at end", {{"a", true}, {"\xE2\x82", false}}},
      {"four-byte truncated at end", {{"x", true}, {"\xF0\x9F\x98", false}}},
      {"lead alone at end", {{"x", true}, {"\xC3", false}}},
      {"truncated before ASCII", {{"\xE2\x82", false}, {"y", true}}},
      {"truncated before a valid sequence", {{"\xE2\x82", false}, {"\xE2\x82\xAC", true}}},
      {"lone continuations", {{"\x80", false}, {"\xBF", false}, {"z", true}, {"\x80", false}}},
  };
  return *cases;
}

TEST(Utf8AgreementTest, DecoderFindsEachPiece) {
  for (const Case& c : Cases()) {
    std::string in;
    for (const Piece& p : c.pieces) in += p.bytes;
    size_t i = 0;
    for (const Piece& p : c.pieces) {
      size_t subpart = 0;
      const size_t len = Utf8SequenceLength(in, i, &subpart);
      if (p.valid) {
        // An ASCII run is several one-byte sequences.
        EXPECT_EQ(len, static_cast<unsigned char>(p.bytes[0]) < 0x80 ? 1 : p.bytes.size())
            << c.name;
      } else {
        EXPECT_EQ(len, 0u) << c.name;
        EXPECT_EQ(subpart, p.bytes.size()) << c.name;
      }
      i += p.bytes.size();
    }
  }
}

TEST(Utf8AgreementTest, ReaderNormalizerAndJsonWriterAgree) {
  for (const Case& c : Cases()) {
    std::string in, repaired, json = "\"";
    bool all_valid = true;
    for (const Piece& p : c.pieces) {
      in += p.bytes;
      all_valid = all_valid && p.valid;
      repaired += p.valid ? p.bytes : kFffd;
      // The JSON writer replaces each invalid byte, not each subpart.
      for (size_t k = 0; k < p.bytes.size(); ++k) json += p.valid ? p.bytes.substr(k, 1) : kFffd;
    }
    json += "\"";

    EXPECT_EQ(IsCleanUtf8(in), all_valid) << c.name;
    std::string reader = in;
    EXPECT_EQ(RepairUtf8(&reader), !all_valid) << c.name;
    EXPECT_EQ(reader, repaired) << c.name;

    std::string sanitized;
    EXPECT_EQ(SanitizeUtf8(in, &sanitized), !all_valid) << c.name;
    EXPECT_EQ(sanitized, repaired) << c.name;

    std::string written;
    AppendJsonString(&written, in);
    EXPECT_EQ(written, json) << c.name;
  }
}

}  // namespace
}  // namespace storysift::internal
