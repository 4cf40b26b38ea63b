// HTML page metadata: title (og:title or <title>, entities decoded, site
// suffix cut), date (article:published_time, JSON-LD, <time datetime>) and
// canonical URL, for .html files and for HTML bodies of records.
#include <string>

#include "gtest/gtest.h"
#include "ingest/page_meta.h"
#include "reader_test_util.h"
#include "storysift/date.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using internal::ExtractPageMetadata;
using internal::PageMetadata;
using internal::StripSiteSuffix;

TEST(PageMetaTest, OpenGraphTitleDateAndCanonicalUrl) {
  const PageMetadata m = ExtractPageMetadata(
      "<!DOCTYPE html><html><head>\n"
      "<title>Sessions Didn&#x27;t Disclose Meetings | Daily Planet</title>\n"
      "<meta property=\"og:site_name\" content=\"Daily Planet\">\n"
      "<meta property=\"og:title\" content=\"Sessions didn&#x27;t disclose meetings &amp; calls\">\n"
      "<meta property='article:published_time' content='2017-03-02T10:00:00+01:00'/>\n"
      "<link rel=\"canonical\" href=\"https://planet.example/2017/03/sessions\">\n"
      "<meta property=\"og:url\" content=\"https://planet.example/amp/sessions\">\n"
      "</head><body><time datetime=\"2016-01-01\">old</time></body></html>");
  EXPECT_EQ(m.title, "Sessions didn't disclose meetings & calls");
  EXPECT_EQ(m.date, "2017-03-02T10:00:00+01:00");
  EXPECT_EQ(m.url, "https://planet.example/2017/03/sessions");
}

// Tag and attribute names in any case (only the tags read are lowercased,
// values keep their case); a "</TITLE>" or "</Script>" closes in any case.
TEST(PageMetaTest, NamesMatchInAnyCaseAndValuesKeepTheirs) {
  PageMetadata m = ExtractPageMetadata(
      "<HTML><HEAD><META PROPERTY=\"og:title\" CONTENT=\"Big &amp; Bold | Site\">"
      "<Meta Name=\"og:site_name\" content=\"Site\"><LINK REL=\"Canonical\" "
      "HREF=\"http://x.example/A\"><TITLE>Other - Site</TiTlE></HEAD>"
      "<BODY><averyverylongtagname a=1><P>Body.</P></BODY></HTML>");
  EXPECT_EQ(m.title, "Big & Bold");
  EXPECT_EQ(m.url, "http://x.example/A");
  m = ExtractPageMetadata(
      "<html><head><title>Plain Title :: News</TITLE><SCRIPT TYPE=\"Application/LD+JSON\">"
      "{\"datePublished\": \"2017-03-02T10:00:00Z\"}</Script></head><body>"
      "<Time DateTime=\"2016-01-01\">x</Time></body></html>");
  EXPECT_EQ(m.title, "Plain Title");
  EXPECT_EQ(m.date, "2017-03-02T10:00:00Z");
}

TEST(PageMetaTest, TitleTagLosesSiteSuffixAndJsonLdGivesTheDate) {
  const PageMetadata m = ExtractPageMetadata(
      "<html><head><title>\n  Russia&#8217;s envoy   met Sessions - The Gazette </title>"
      "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
      "\"@type\":\"NewsArticle\",\"datePublished\": \"2017-03-02T09:00:00Z\"}</script>"
      "<meta property=\"og:url\" content=\"https://g.example/x\"></head><body></body></html>");
  EXPECT_EQ(m.title, "Russia’s envoy met Sessions");
  EXPECT_EQ(m.date, "2017-03-02T09:00:00Z");
  EXPECT_EQ(m.url, "https://g.example/x");
}

TEST(PageMetaTest, TimeDatetimeIsTheLastResort) {
  const PageMetadata m = ExtractPageMetadata(
      "<article><h1>Headline</h1><time class=\"x\" datetime=\"2017-03-02\">March 2</time>"
      "<p>Body.</p></article>");
  EXPECT_EQ(m.date, "2017-03-02");
  EXPECT_EQ(m.title, "");
  EXPECT_EQ(m.url, "");
}

TEST(PageMetaTest, SiteSuffixIsCutOnlyWhenItLooksLikeASiteName) {
  EXPECT_EQ(StripSiteSuffix("Markets rally on rate hopes | Reuters", ""),
            "Markets rally on rate hopes");
  EXPECT_EQ(StripSiteSuffix("Markets rally as rates fall — The Financial Times", ""),
            "Markets rally as rates fall");
  // A dash inside a headline, with a long tail, is part of the headline.
  EXPECT_EQ(StripSiteSuffix("U.S. - China trade talks resume after a long pause", ""),
            "U.S. - China trade talks resume after a long pause");
  EXPECT_EQ(StripSiteSuffix("Brexit - what happens next - BBC News", "BBC News"),
            "Brexit - what happens next");
  EXPECT_EQ(StripSiteSuffix("No suffix here", ""), "No suffix here");
}

TEST(PageMetaReaderTest, HtmlFileGetsTitleDateAndUrl) {
  const testing_util::TempDir tmp;
  testing_util::WriteFile(
      tmp / "page.html",
      "<html><head><title>Sessions met Kislyak twice | Example News</title>"
      "<meta property=\"article:published_time\" content=\"2017-03-02T00:00:00Z\">"
      "<link rel=\"canonical\" href=\"https://news.example/sessions\"></head>"
      "<body><p>Attorney General Jeff Sessions spoke twice with the ambassador.</p></body></html>");
  auto reader = OpenReader(tmp / "page.html", ReaderOptions());
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto r = testing_util::Drain(reader->get());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.title, "Sessions met Kislyak twice");
  EXPECT_EQ(r[0].doc.published, ParseDate("2017-03-02"));
  EXPECT_EQ(r[0].doc.url, "https://news.example/sessions");
}

TEST(PageMetaReaderTest, HtmlBodyOfARecordFillsOnlyMissingFields) {
  const std::string page =
      "<html><head><title>Page title | Site</title>"
      "<meta property=\\\"article:published_time\\\" content=\\\"2017-03-02\\\">"
      "<link rel=\\\"canonical\\\" href=\\\"https://x.example/a\\\"></head>"
      "<body><p>Body text here.</p></body></html>";
  auto r = testing_util::ReadString(
      InputFormat::kJsonl,
      "{\"id\":\"1\",\"text\":\"" + page + "\"}\n"
      "{\"id\":\"2\",\"title\":\"Own\",\"date\":\"2001-01-01\",\"url\":\"u\",\"text\":\"" + page +
          "\"}\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.title, "Page title");
  EXPECT_EQ(r[0].doc.published, ParseDate("2017-03-02"));
  EXPECT_EQ(r[0].doc.url, "https://x.example/a");
  EXPECT_EQ(r[1].doc.title, "Own");
  EXPECT_EQ(r[1].doc.published, ParseDate("2001-01-01"));
  EXPECT_EQ(r[1].doc.url, "u");
}

}  // namespace
}  // namespace storysift
