// Ids in TSV files: AppendTsvField escapes what would split a field or a
// line (tab, LF, CR) and the escape character itself; UnescapeTsvField
// undoes exactly that, and reads a backslash before anything else as itself.
#include "io/tsv_field.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace storysift::internal {
namespace {

std::string Escaped(std::string_view field) {
  std::string out;
  AppendTsvField(&out, field);
  return out;
}

TEST(TsvFieldTest, EscapesTabsLineBreaksAndBackslashesOnly) {
  EXPECT_EQ(Escaped("a\tb\nc\rd\\e"), "a\\tb\\nc\\rd\\\\e");
  EXPECT_EQ(Escaped("two words, caf\xC3\xA9 \"q\""), "two words, caf\xC3\xA9 \"q\"");
  EXPECT_EQ(Escaped(""), "");
}

TEST(TsvFieldTest, EveryFieldRoundTrips) {
  const std::vector<std::string> fields = {"plain",
                                           "tab\there",
                                           "line\nbreak",
                                           "cr\r\nlf",
                                           "back\\slash",
                                           "\\t literal",
                                           "trailing\\",
                                           "\\",
                                           " spaced out ",
                                           "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x93\xB0",
                                           "\\\\n",
                                           std::string("nul\0byte", 8)};
  for (const std::string& f : fields) {
    const std::string escaped = Escaped(f);
    EXPECT_EQ(escaped.find_first_of("\t\n\r"), std::string::npos) << escaped;
    EXPECT_EQ(UnescapeTsvField(escaped), f) << escaped;
  }
}

// A pair line starting with '#' is a comment to the readers: an id whose
// first character other than a space is '#' is written "\#".
TEST(TsvFieldTest, ALeadingHashIsEscapedAndReadBack) {
  EXPECT_EQ(Escaped("#1"), "\\#1");
  EXPECT_EQ(Escaped("  #x"), "  \\#x");
  EXPECT_EQ(Escaped("a#b #c"), "a#b #c");  // Not leading: as it is.
  EXPECT_EQ(Escaped("\t#"), "\\t#");    // The line would start with '\\'.
  for (const std::string f : {"#", "#1", " #2", "\v\f #", "##", "\\#", "#\\"}) {
    EXPECT_EQ(UnescapeTsvField(Escaped(f)), f) << Escaped(f);
  }
}

TEST(TsvFieldTest, ABackslashBeforeAnythingElseIsItself) {
  EXPECT_EQ(UnescapeTsvField("dir\\file.txt"), "dir\\file.txt");
  EXPECT_EQ(UnescapeTsvField("x\\y\\"), "x\\y\\");
  // Only t, n, r and the backslash are escapes: "\\n" is a line feed.
  EXPECT_EQ(UnescapeTsvField("a\\nb"), "a\nb");
}

}  // namespace
}  // namespace storysift::internal
