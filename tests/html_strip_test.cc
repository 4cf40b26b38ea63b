// Markup handling of the normalizer: HTML tags and entities, auto
// detection, plain-text entity decoding, Markdown leftovers, and HTML
// navigation removal.
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "storysift/normalize.h"

namespace storysift {
namespace {

NormalizedText NormalizeWith(std::string_view raw, MarkupMode mode,
                             bool drop_boilerplate = true) {
  NormalizeOptions options;
  options.markup = mode;
  options.drop_boilerplate = drop_boilerplate;
  absl::StatusOr<Normalizer> n = Normalizer::Create(options);
  EXPECT_TRUE(n.ok()) << n.status();
  NormalizedText t;
  n->Normalize(raw, &t);
  return t;
}

std::string Clean(std::string_view raw, MarkupMode mode = MarkupMode::kAuto) {
  return NormalizeWith(raw, mode, /*drop_boilerplate=*/false).clean;
}

TEST(HtmlStripTest, TagsVanishAndBlocksBecomeLines) {
  EXPECT_EQ(Clean("<p>First <b>bold</b> para.</p><p>Second<br>line</p>"),
            "First bold para.\nSecond\nline");
  EXPECT_EQ(Clean("<div>a</div>\n\n  <div>b   c</div>"), "a\nb c");
  EXPECT_EQ(Clean("<ul><li>one</li><li>two</li></ul>"), "one\ntwo");
  EXPECT_EQ(Clean("<table><tr><td>x</td><td>y</td></tr></table>"), "x y");
  EXPECT_EQ(Clean("<h1>Title</h1><p>Text.</p>"), "Title\nText.");
}

TEST(HtmlStripTest, ScriptStyleHeadCommentsAndNavLoseTheirContent) {
  EXPECT_EQ(Clean("<html><head><title>T</title><style>p{x:1}</style></head>"
                  "<body><p>Body text.</p><script>var a = '<p>no</p>';"
                  "</script><!-- a <p>comment</p> --></body></html>"),
            "Body text.");
  EXPECT_EQ(Clean("<nav><ul><li><a href=/>Home</a></li><nav>in</nav></ul>"
                  "</nav><p>Story.</p><footer><p>About us</p></footer>"),
            "Story.");
  EXPECT_EQ(Clean("<noscript><img src=x></noscript><p>Kept</p>"), "Kept");
  EXPECT_EQ(Clean("<p>a</p><script>never closed <p>gone"), "a");
  // An unclosed nav does not eat the article.
  EXPECT_EQ(Clean("<nav>Menu<p>Story.</p>"), "Menu\nStory.");
  // A document without </head> resumes at <body>.
  EXPECT_EQ(Clean("<head><meta charset=utf-8><body><p>Hi</p>"), "Hi");
}

TEST(HtmlStripTest, AttributesWithAngleBracketsDoNotEndTheTag) {
  EXPECT_EQ(Clean("<p title=\"a > b\">text</p>"), "text");
  EXPECT_EQ(Clean("<img alt='x > y' src=z>word"), "word");
}

TEST(HtmlStripTest, EntitiesDecode) {
  EXPECT_EQ(Clean("<p>AT&amp;T &lt;b&gt; &quot;q&quot; &apos;a&apos;</p>"),
            "AT&T <b> \"q\" 'a'");
  EXPECT_EQ(Clean("<p>a&nbsp;b&mdash;c&ndash;d&hellip;</p>"),
            "a b\u2014c\u2013d\u2026");
  EXPECT_EQ(Clean("<p>&lsquo;&rsquo;&ldquo;&rdquo; caf&eacute; &Eacute;</p>"),
            "\u2018\u2019\u201C\u201D caf\u00E9 \u00C9");
  EXPECT_EQ(Clean("<p>it&#8217;s it&#x2019;s it&#X2019;s</p>"),
            "it\u2019s it\u2019s it\u2019s");
  // Windows-1252 code points in numeric references, as browsers read them.
  EXPECT_EQ(Clean("<p>it&#146;s</p>"), "it\u2019s");
  EXPECT_EQ(Clean("<p>&#0; &#xD800; &#x110000;</p>"),
            "\uFFFD \uFFFD \uFFFD");
}

TEST(HtmlStripTest, MalformedEntitiesStayText) {
  EXPECT_EQ(Clean("<p>&amp &bogus; &#; &#x; &#12a; AT&T & more</p>"),
            "&amp &bogus; &#; &#x; &#12a; AT&T & more");
}

TEST(HtmlStripTest, EntityFoldsLikeTheCharacter) {
  EXPECT_EQ(NormalizeWith("<p>Russia&rsquo;s envoy</p>", MarkupMode::kAuto).folded,
            "russia s envoy");
}

TEST(HtmlStripTest, AutoDetectsTagsButNotLessThanSigns) {
  EXPECT_EQ(Clean("if a < b and c > d"), "if a < b and c > d");
  EXPECT_EQ(Clean("Mail <John Smith> now"), "Mail <John Smith> now");
  EXPECT_EQ(Clean("x <span class=y>z</span>"), "x z");
  EXPECT_EQ(Clean("a <!-- hidden --> b"), "a b");
  // Plain mode never strips; HTML mode always does.
  EXPECT_EQ(Clean("<p>x</p>", MarkupMode::kPlain), "<p>x</p>");
  EXPECT_EQ(Clean("<John>x", MarkupMode::kHtml), "x");
}

TEST(HtmlStripTest, InlineOnlyMarkupKeepsSourceLines) {
  // A scraped text with a tracking pixel but no block tags keeps its lines.
  EXPECT_EQ(Clean("<img height=\"1\" width=\"1\" src=\"t?a=1&amp;b=2\">\n"
                  "Line one.\n\nLine two."),
            "Line one.\nLine two.");
}

TEST(HtmlStripTest, PlainTextDecodesOnlyWellFormedEntitiesInAutoMode) {
  EXPECT_EQ(Clean("AT&amp;T said &#8220;yes&#8221; & no"),
            "AT&T said \u201Cyes\u201D & no");
  EXPECT_EQ(Clean("AT&amp;T", MarkupMode::kPlain), "AT&amp;T");
  EXPECT_EQ(Clean("R&D; P&G"), "R&D; P&G");
}

TEST(HtmlStripTest, MarkdownLeftoversTokenizeAsWords) {
  const NormalizedText t = NormalizeWith(
      "# Heading here\n**bold** and __under__ and [the link](https://x.com/a?b=c) "
      "and ![alt text](img.png).",
      MarkupMode::kAuto, false);
  EXPECT_EQ(t.folded,
            "heading here bold and under and the link and alt text");
  EXPECT_EQ(t.clean.find("https"), std::string::npos);
  // Brackets followed by prose are not a link.
  EXPECT_EQ(NormalizeWith("[sic] (really) ok", MarkupMode::kAuto).folded,
            "sic really ok");
}

// Runs of text are copied whole, lone spaces included; whitespace runs of
// any length and kind, at every offset in a 16-byte block, still collapse
// to one space, and text ends at tags and entities as before.
TEST(HtmlStripTest, WhitespaceCollapsesAtEveryOffset) {
  const std::string_view kGaps[] = {" ", "  ", "\t", " \n ", "\n", " \t"};
  const std::string_view kWords[] = {"a", "Reuters", "said,", "x\xC3\xA9y", "12.5",
                                     "<b>bold</b>", "&amp;", "AT&amp;T", "long-hyphenated"};
  const std::string_view kShown[] = {"a", "Reuters", "said,", "x\xC3\xA9y", "12.5",
                                     "bold", "&", "AT&T", "long-hyphenated"};
  uint32_t state = 12345;
  auto next = [&state](uint32_t n) {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) % n;
  };
  for (int round = 0; round < 200; ++round) {
    std::string html = "<p>", expected;
    const uint32_t words = 1 + next(40);
    for (uint32_t w = 0; w < words; ++w) {
      const uint32_t k = next(std::size(kWords));
      if (w > 0) {
        html += kGaps[next(std::size(kGaps))];
        expected += ' ';
      }
      html += kWords[k];
      expected += kShown[k];
    }
    html += next(2) == 0 ? " </p>" : "</p>";
    EXPECT_EQ(Clean(html), expected) << html;
  }
}

TEST(HtmlStripTest, LinkDenseLinesAreDroppedAnywhere) {
  const std::string page =
      "<div><a href=/a>Politics</a> <a href=/b>World news</a> "
      "<a href=/c>sport</a></div>"
      "<p>The senator said on Thursday that the talks would go on.</p>"
      "<div><a href=/r1>related: talks stall</a> | <a href=/r2>more "
      "talks</a></div>"
      "<p>Another paragraph of the story follows, with its own words.</p>";
  const NormalizedText t = NormalizeWith(page, MarkupMode::kAuto);
  EXPECT_EQ(t.boilerplate_lines_dropped, 2);
  EXPECT_EQ(t.clean,
            "The senator said on Thursday that the talks would go on.\n"
            "Another paragraph of the story follows, with its own words.");
  // A sentence with a link in it stays.
  const NormalizedText u = NormalizeWith(
      "<p>Read <a href=x>the full report</a> here.</p><p>More text.</p>",
      MarkupMode::kAuto);
  EXPECT_EQ(u.boilerplate_lines_dropped, 0);
}

TEST(HtmlStripTest, TitleOnlyTextIsNotDropped) {
  const NormalizedText t =
      NormalizeWith("Sessions Met Russian Envoy Twice", MarkupMode::kAuto);
  EXPECT_EQ(t.boilerplate_lines_dropped, 0);
  EXPECT_EQ(t.tokens.size(), 5u);
}

TEST(HtmlStripTest, TrailingShareBarInPlainTextIsDropped) {
  const NormalizedText t = NormalizeWith(
      "Home News Sport\n\nThe minister resigned on Friday after the vote.\n\n"
      "Share This Story\nFacebook Twitter Email",
      MarkupMode::kAuto);
  EXPECT_EQ(t.boilerplate_lines_dropped, 3);
  EXPECT_EQ(t.clean, "\nThe minister resigned on Friday after the vote.\n\n");
  // Offsets still point at the right bytes after lines are removed.
  ASSERT_EQ(t.tokens.size(), 8u);
  EXPECT_EQ(t.clean_token(1), "minister");
  EXPECT_EQ(t.folded_token(1), "minister");
  EXPECT_EQ(t.folded, "the minister resigned on friday after the vote");
}

}  // namespace
}  // namespace storysift
