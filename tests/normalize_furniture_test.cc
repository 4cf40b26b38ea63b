// Cookie/consent banners and bylines leave the text: marked-up ones in HTML
// anywhere, plain-text ones near either end of the article.
#include <string>

#include "gtest/gtest.h"
#include "storysift/normalize.h"

namespace storysift {
namespace {

std::string Clean(const std::string& raw) {
  absl::StatusOr<Normalizer> n = Normalizer::Create(NormalizeOptions());
  EXPECT_TRUE(n.ok()) << n.status();
  NormalizedText t;
  n->Normalize(raw, &t);
  return t.clean;
}

const char kArticle[] =
    "The Russian embassy said on Thursday it was in regular contact with U.S. partners.\n"
    "The Post said Sessions spoke twice last year with Sergey Kislyak, Russia's ambassador.\n"
    "Democratic leader Nancy Pelosi called on Sessions to resign over the issue.\n";

TEST(NormalizeFurnitureTest, MarkedUpCookieBannerAndBylineGo) {
  const std::string html =
      "<html><body><div id=\"cookie-consent\" class=\"banner\"><p>We use cookies. "
      "<button>Accept all</button></p><div>Manage settings</div></div>"
      "<article><h1>Sessions met envoy</h1><p class=\"byline\">By <a rel=\"author\" "
      "href=\"/a/jd\">Jane Doe</a>, Staff Writer</p><span class=\"author-name\">Jane Doe</span>"
      "<p>The Russian embassy said on Thursday it was in regular contact.</p>"
      "<p>The Post said Sessions spoke twice with the ambassador.</p></article>"
      "<section class=\"gdpr-notice\"><p>Your privacy matters to us.</p></section>"
      "</body></html>";
  const std::string clean = Clean(html);
  EXPECT_EQ(clean.find("cookies"), std::string::npos) << clean;
  EXPECT_EQ(clean.find("Manage settings"), std::string::npos) << clean;
  EXPECT_EQ(clean.find("Jane Doe"), std::string::npos) << clean;
  EXPECT_EQ(clean.find("privacy"), std::string::npos) << clean;
  EXPECT_NE(clean.find("Sessions met envoy"), std::string::npos) << clean;
  EXPECT_NE(clean.find("regular contact"), std::string::npos) << clean;
  EXPECT_NE(clean.find("spoke twice"), std::string::npos) << clean;
}

TEST(NormalizeFurnitureTest, PlainBylinesAndConsentLinesNearTheEndsGo) {
  const std::string text = std::string("By Jane Doe and John Roe, Reuters\n") + kArticle +
                           "(Reporting by Jane Doe; Editing by Mark Smith)\n"
                           "This site uses cookies. By continuing to browse you agree to our "
                           "use of cookies.\n";
  const std::string clean = Clean(text);
  EXPECT_EQ(clean.find("Jane Doe"), std::string::npos) << clean;
  EXPECT_EQ(clean.find("Mark Smith"), std::string::npos) << clean;
  EXPECT_EQ(clean.find("cookies"), std::string::npos) << clean;
  EXPECT_NE(clean.find("regular contact"), std::string::npos) << clean;
  EXPECT_NE(clean.find("resign over the issue"), std::string::npos) << clean;
}

TEST(NormalizeFurnitureTest, ProseThatMentionsCookiesOrStartsWithByStays) {
  // In the middle of an article these are sentences, not furniture; and a
  // sentence starting with "By" is not a byline.
  std::string text;
  for (int i = 0; i < 4; ++i) text += kArticle;
  text += "Regulators said sites must ask users to accept or refuse each cookie.\n";
  text += "By the end of the week, the government had said nothing more on it.\n";
  for (int i = 0; i < 4; ++i) text += kArticle;
  const std::string clean = Clean(text);
  EXPECT_NE(clean.find("refuse each cookie"), std::string::npos) << clean;
  EXPECT_NE(clean.find("By the end of the week"), std::string::npos) << clean;
  // A wrapped line that ends a sentence is not a byline (Reuters 4135).
  const std::string wrapped = Clean(
      "Taft Broadcasting Co said its board rejected the\n"
      "pending buyout proposal of Theta Corp, an investor group led\n"
      "by Dudley Taft.\n" + std::string(kArticle));
  EXPECT_NE(wrapped.find("Dudley Taft"), std::string::npos) << wrapped;
  // Near the start, a "By" sentence in lowercase prose is not a byline either.
  EXPECT_NE(Clean(std::string("By the end of the week, officials had said nothing.\n") + kArticle)
                .find("By the end of the week"),
            std::string::npos);
}

}  // namespace
}  // namespace storysift
