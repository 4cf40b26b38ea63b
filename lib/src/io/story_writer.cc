#include "storysift/story_writer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "storysift/date.h"
#include "io/json_writer.h"
#include "io/ordered_lines.h"
#include "storysift/story_state.h"

namespace storysift {
namespace {

std::string StringArray(const std::vector<std::string>& items) {
  std::vector<std::string_view> views(items.begin(), items.end());
  return JsonStringArray(views.data(), views.size());
}

std::string_view NoveltyModeName(NoveltyMode mode) {
  return mode == NoveltyMode::kChronological ? "chronological" : "mmr";
}

}  // namespace

std::string StoryId(size_t index) { return FormatStoryId(index + 1); }

std::string StoryJsonLine(const std::vector<std::string>& ids, const RankedStory& story,
                          const std::string& story_id, std::string_view status,
                          bool archived, const std::vector<bool>* is_new) {
  std::string articles = "[";
  for (size_t i = 0; i < story.articles.size(); ++i) {
    const RankedArticle& a = story.articles[i];
    if (i > 0) articles += ",";
    JsonObject o;
    o.Str("id", ids[a.ordinal]);
    if (is_new != nullptr) o.Bool("new", (*is_new)[a.ordinal]);
    o.Num("novelty", a.novelty, 3)
        .Raw("new_terms", StringArray(a.new_terms));
    if (a.copy_of) {
      o.Str("copy_of", ids[*a.copy_of]);
    } else {
      o.Null("copy_of");
    }
    articles += o.Finish();
  }
  articles += "]";
  JsonObject line;
  line.Str("story_id", story_id);
  if (!status.empty()) line.Str("status", status);
  if (archived) line.Bool("archived", true);
  line.Raw("label", StringArray(story.label));
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
  return line.Str("novelty_order", NoveltyModeName(story.novelty_mode))
      .Raw("articles", articles)
      .Finish();
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
