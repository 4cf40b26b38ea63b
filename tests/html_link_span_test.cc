// Link spans from StripHtml stay inside the stripped text (regression for a
// fuzz finding: a link ending in a line break kept the trimmed newline).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "text/html.h"

namespace storysift::internal {
namespace {

TEST(HtmlLinkSpanTest, LinkEndingInABreakStaysInsideTheText) {
  std::string out;
  std::vector<ByteSpan> links;
  StripHtml("<p><a href=x>Home<br></a>", false, &out, &links);
  EXPECT_EQ(out, "Home");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].begin, 0u);
  EXPECT_EQ(links[0].end, 4u);
}

TEST(HtmlLinkSpanTest, SpansAreOrderedAndInBoundsForUnclosedLinks) {
  std::string out;
  std::vector<ByteSpan> links;
  StripHtml("<div><a>one </a>two <a>three<br>  <p></div>", true, &out, &links);
  uint32_t prev = 0;
  for (const ByteSpan& s : links) {
    EXPECT_LE(prev, s.begin);
    EXPECT_LT(s.begin, s.end);
    EXPECT_LE(s.end, out.size());
    prev = s.end;
  }
  EXPECT_EQ(links.size(), 2u) << out;
}

}  // namespace
}  // namespace storysift::internal
