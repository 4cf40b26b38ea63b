// What an HTML page says about itself: title, publication date and
// canonical URL, from the markup news sites use for sharing and search.
#ifndef STORYSIFT_INGEST_PAGE_META_H_
#define STORYSIFT_INGEST_PAGE_META_H_

#include <string>
#include <string_view>

namespace storysift::internal {

struct PageMetadata {
  // og:title (else <title>), entities decoded, whitespace collapsed, the
  // site's name cut off its end ("Sessions met Kislyak | The Site").
  std::string title;
  // As written: <meta property="article:published_time">, else JSON-LD
  // "datePublished", else itemprop="datePublished", else the first
  // <time datetime>. Empty when none.
  std::string date;
  // <link rel="canonical" href>, else og:url. Empty when none.
  std::string url;
};

// Reads the first 1 MiB of `html`. Thread-safe (a pure function).
PageMetadata ExtractPageMetadata(std::string_view html);

// True when `text` is an HTML page or fragment worth reading metadata
// from: it starts (after whitespace and a byte order mark) with '<'.
bool LooksLikeHtmlPage(std::string_view text);

// Cuts a trailing " | Site", " - Site", " — Site" or " :: Site" off
// `title`: `site_name` when the title ends with it, else a last segment of
// at most 4 words after which the title keeps at least as many words.
std::string StripSiteSuffix(std::string title, std::string_view site_name);

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_PAGE_META_H_
