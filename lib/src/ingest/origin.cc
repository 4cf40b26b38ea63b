#include "absl/strings/str_cat.h"
#include "storysift/document.h"

namespace storysift {

std::string Origin::ToString() const {
  return line == 0 ? file : absl::StrCat(file, ":", line);
}

}  // namespace storysift
