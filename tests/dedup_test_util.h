// A stream of news articles with planted near-copies for the Deduplicator
// tests (tests only): Reuters-21578 bodies when the shared data is present,
// else generated Zipf-like texts.
#ifndef STORYSIFT_TESTS_DEDUP_TEST_UTIL_H_
#define STORYSIFT_TESTS_DEDUP_TEST_UTIL_H_

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "reference/sketch_data.h"
#include "storysift/deduplicator.h"
#include "storysift/document.h"

namespace storysift::testdata {

// `text` with every `every`-th word replaced (a light edit: a copy).
inline std::string EditWords(const std::string& text, int every, std::mt19937_64& rng) {
  std::vector<std::string> words = absl::StrSplit(text, ' ', absl::SkipEmpty());
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out.push_back(' ');
    if (every > 0 && i % every == static_cast<size_t>(every / 2)) {
      out += absl::StrCat("edit", rng() % 1000);
    } else {
      out += words[i];
    }
  }
  return out;
}

// `n` originals (dated a day apart from 1987-03-01, ids "r<i>") and, after
// every 7th one, a copy of a random earlier original with one word in 40
// (or, every other time, one in 12) edited, dated the same day ("c<i>").
inline std::vector<Document> StreamWithCopies(size_t n, bool* from_reuters = nullptr) {
  const Corpus& reuters = Reuters();
  std::mt19937_64 rng(7);
  std::vector<std::string> texts;
  for (size_t i = 0; i < reuters.texts.size() && texts.size() < n; ++i) {
    if (reuters.texts[i].size() > 200) texts.push_back(reuters.texts[i]);
  }
  if (from_reuters != nullptr) *from_reuters = !texts.empty();
  while (texts.size() < n) {
    std::string t;
    for (int w = 0; w < 250; ++w) {
      const int rank =
          static_cast<int>(std::exp(std::uniform_real_distribution<>(0, std::log(20000.0))(rng)));
      absl::StrAppend(&t, w ? " " : "", "w", rank);
    }
    texts.push_back(std::move(t));
  }
  constexpr int64_t kStart = 541555200;  // 1987-03-01T00:00:00Z
  std::vector<Document> docs;
  for (size_t i = 0; i < n; ++i) {
    Document d;
    d.id = absl::StrCat("r", i);
    d.text = texts[i];
    d.published = kStart + static_cast<int64_t>(i) * 86400;
    docs.push_back(d);
    if (i % 7 == 6) {
      Document c;
      c.id = absl::StrCat("c", i);
      c.text = EditWords(texts[rng() % (i + 1)], i % 14 == 6 ? 40 : 12, rng);
      c.published = d.published;
      docs.push_back(std::move(c));
    }
  }
  return docs;
}

// `docs` with, after every `every`-th document, a truncated copy ("t<i>"):
// the first 60% of the words of the latest earlier document of >= 150 words,
// dated as the document before it. Its Jaccard to that document is about
// 0.6 and its containment about 1, so only the containment test finds it.
inline std::vector<Document> WithTruncatedCopies(const std::vector<Document>& docs,
                                                 size_t every) {
  std::vector<Document> out;
  const Document* source = nullptr;
  for (size_t i = 0; i < docs.size(); ++i) {
    out.push_back(docs[i]);
    const std::vector<std::string> words = absl::StrSplit(docs[i].text, ' ', absl::SkipEmpty());
    if (words.size() >= 150) source = &docs[i];
    if (i % every != every - 1 || source == nullptr) continue;
    const std::vector<std::string> src = absl::StrSplit(source->text, ' ', absl::SkipEmpty());
    Document t;
    t.id = absl::StrCat("t", i);
    t.text = absl::StrJoin(src.begin(), src.begin() + src.size() * 6 / 10, " ");
    t.published = docs[i].published;
    out.push_back(std::move(t));
  }
  return out;
}

inline DeduplicatorOptions SmallOptions(SketchKind kind = SketchKind::kMinHash, int num_perm = 64) {
  DeduplicatorOptions o;
  o.sketch.kind = kind;
  o.sketch.minhash.num_perm = num_perm;
  o.grouper.jaccard_threshold = 0.7;
  return o;
}

}  // namespace storysift::testdata

#endif  // STORYSIFT_TESTS_DEDUP_TEST_UTIL_H_
