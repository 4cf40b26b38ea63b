#include "commands/index_verdicts.h"

#include <cstdio>

#include "io/json_writer.h"

namespace storysift::cli {

std::string VerdictLine(std::string_view id, const DedupVerdict& v) {
  JsonObject o;
  o.Str("id", id).Str("verdict", v.is_new ? "new" : "duplicate");
  if (v.is_new) {
    o.Null("duplicate_of").Null("similarity");
  } else {
    o.Str("duplicate_of", v.duplicate_of).Num("similarity", v.similarity);
  }
  if (!v.stored) o.Bool("indexed", false);  // Older than the retention window.
  if (v.future_dated) o.Bool("future_dated", true);
  return o.Finish();
}

namespace {

const char* ContentName(StoredContent content) {
  switch (content) {
    case StoredContent::kSame:
      return "same";
    case StoredContent::kChanged:
      return "changed";
    default:
      return "unknown";
  }
}

}  // namespace

std::string AlreadyIndexedLine(std::string_view id, StoredContent content) {
  return JsonObject()
      .Str("id", id)
      .Str("verdict", "already_indexed")
      .Str("content", ContentName(content))
      .Null("duplicate_of")
      .Null("similarity")
      .Finish();
}

std::string IndexSection(const FeedCounts& c, bool add, size_t index_documents) {
  JsonObject o;
  if (!add) return o.Int("near_duplicates", c.duplicates).Finish();
  const std::string already = JsonObject()
                                  .Int("same", c.same)
                                  .Int("changed", c.changed)
                                  .Int("unknown", c.unknown)
                                  .Finish();
  return o.Int("added", c.added)
      .Int("near_duplicates", c.duplicates)
      .Raw("already_indexed", already)
      .Int("before_retention_window", c.before_window)
      .Int("future_dated", c.future_dated)
      .Int("evicted", c.evicted)
      .Int("index_documents", static_cast<int64_t>(index_documents))
      .Finish();
}

void WarnOfKeptVersions(const FeedCounts& c, const std::vector<std::string>& future_examples) {
  if (c.changed > 0) {
    std::fprintf(stderr,
                 "storysift: warning: %lld documents have an id the index holds with other "
                 "content: not indexed again (an index keeps an id's first version; their "
                 "verdicts say already_indexed)\n",
                 static_cast<long long>(c.changed));
  }
  for (const std::string& example : future_examples) {
    std::fprintf(stderr, "storysift: warning: %s\n", example.c_str());
  }
  if (c.future_dated > static_cast<int64_t>(future_examples.size())) {
    std::fprintf(stderr,
                 "storysift: warning: %lld documents in all dated after the run's clock, or "
                 "alone a month past every other date, count as seen at the index's clock\n",
                 static_cast<long long>(c.future_dated));
  }
}

void PrintFeedSummary(const FeedCounts& c, bool add, int64_t processed, size_t index_documents) {
  if (!add) {
    std::fprintf(stderr, "storysift: %lld documents, %lld near-duplicates of indexed ones\n",
                 static_cast<long long>(processed), static_cast<long long>(c.duplicates));
    return;
  }
  std::fprintf(stderr,
               "storysift: %lld documents: %lld added (%lld near-duplicates), %lld already "
               "indexed (%lld with other content, %lld that the index cannot compare; not "
               "added again), %lld older than the retention window (judged, not indexed); "
               "%lld evicted; index holds %zu\n",
               static_cast<long long>(processed), static_cast<long long>(c.added),
               static_cast<long long>(c.duplicates), static_cast<long long>(c.already_indexed()),
               static_cast<long long>(c.changed), static_cast<long long>(c.unknown),
               static_cast<long long>(c.before_window), static_cast<long long>(c.evicted),
               index_documents);
}

}  // namespace storysift::cli
