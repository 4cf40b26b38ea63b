// The line `cluster --state` writes for a story absorbed by another:
// {"story_id":"s0012","status":"merged","merged_into":"s0007"}, a pointer with
// no articles. Readers of saved story lines (report, eval) pass over it.
#ifndef STORYSIFT_IO_MERGED_STORY_LINE_H_
#define STORYSIFT_IO_MERGED_STORY_LINE_H_

#include <string_view>

#include "simdjson.h"

namespace storysift::internal {

inline bool IsMergedStoryLine(simdjson::dom::object line) {
  std::string_view status;
  std::string_view into;
  return line["status"].get_string().get(status) == simdjson::SUCCESS && status == "merged" &&
         line["merged_into"].get_string().get(into) == simdjson::SUCCESS;
}

}  // namespace storysift::internal

#endif  // STORYSIFT_IO_MERGED_STORY_LINE_H_
