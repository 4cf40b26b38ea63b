#include "storysift/story_writer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "storysift/date.h"
#include "io/json_writer.h"
#include "io/ordered_lines.h"
#include "storysift/story_state.h"

namespace storysift {
namespace {

std::string_view NoveltyModeName(NoveltyMode mode) {
  return mode == NoveltyMode::kChronological ? "chronological" : "mmr";
}

}  // namespace

std::string StoryId(size_t index) { return FormatStoryId(index + 1); }

// The line is written in place, each article's object onto its end: an
// article's pieces (its object, its terms array, each number) used to be
// strings of their own, copied into the articles array and then the line.
std::string StoryJsonLine(const std::vector<std::string>& ids, const RankedStory& story,
                          const std::string& story_id, std::string_view status,
                          bool archived, const std::vector<bool>* is_new) {
  std::string text;
  JsonObject line(&text);
  line.Str("story_id", story_id);
  if (!status.empty()) line.Str("status", status);
  if (archived) line.Bool("archived", true);
  line.StrArray("label", story.label);
  if (story.headline.empty()) {
    line.Null("headline");
  } else {
    line.Str("headline", story.headline);
  }
  line.Int("size", static_cast<int64_t>(story.articles.size()));
  if (story.first_published) {
    line.Str("first_published", FormatDate(*story.first_published));
  } else {
    line.Null("first_published");
  }
  if (story.last_published) {
    line.Str("last_published", FormatDate(*story.last_published));
  } else {
    line.Null("last_published");
  }
  line.Str("novelty_order", NoveltyModeName(story.novelty_mode));
  std::string* articles = line.Value("articles");
  articles->push_back('[');
  for (size_t i = 0; i < story.articles.size(); ++i) {
    const RankedArticle& a = story.articles[i];
    if (i > 0) articles->push_back(',');
    JsonObject o(articles);
    o.Str("id", ids[a.ordinal]);
    if (is_new != nullptr) o.Bool("new", (*is_new)[a.ordinal]);
    o.Num("novelty", a.novelty, 3).StrArray("new_terms", a.new_terms);
    if (a.copy_of) {
      o.Str("copy_of", ids[*a.copy_of]);
    } else {
      o.Null("copy_of");
    }
    o.Close();
  }
  articles->push_back(']');
  line.Close();
  return text;
}

void WriteStoryJsonLines(const std::vector<std::string>& ids,
                         const std::vector<RankedStory>& stories,
                         const std::vector<std::string>& story_ids, int threads,
                         absl::FunctionRef<void(std::string_view)> write) {
  WriteLinesInOrder(
      stories.size(), threads,
      [&](size_t i) { return StoryJsonLine(ids, stories[i], story_ids[i]); }, write);
}

}  // namespace storysift
