#include "commands/index_verdicts.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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

std::string KeptVersionWarnings(const FeedCounts& c,
                                const std::vector<std::string>& future_examples) {
  std::string text;
  if (c.changed > 0) {
    absl::StrAppendFormat(&text,
                          "storysift: warning: %d documents have an id the index holds with other "
                          "content: not indexed again (an index keeps an id's first version; "
                          "their verdicts say already_indexed)\n",
                          c.changed);
  }
  for (const std::string& example : future_examples) {
    absl::StrAppend(&text, "storysift: warning: ", example, "\n");
  }
  if (c.future_dated > static_cast<int64_t>(future_examples.size())) {
    absl::StrAppendFormat(&text,
                          "storysift: warning: %d documents in all dated after the run's clock, "
                          "or alone a month past every other date, count as seen at the index's "
                          "clock\n",
                          c.future_dated);
  }
  return text;
}

std::string FeedSummary(const FeedCounts& c, bool add, int64_t processed, size_t index_documents) {
  if (!add) {
    return absl::StrFormat("storysift: %d documents, %d near-duplicates of indexed ones\n",
                           processed, c.duplicates);
  }
  return absl::StrFormat(
      "storysift: %d documents: %d added (%d near-duplicates), %d already indexed (%d with "
      "other content, %d that the index cannot compare; not added again), %d older than the "
      "retention window (judged, not indexed); %d evicted; index holds %d\n",
      processed, c.added, c.duplicates, c.already_indexed(), c.changed, c.unknown, c.before_window,
      c.evicted, index_documents);
}

}  // namespace storysift::cli
