#include "gtest/gtest.h"
#include "storysift/document.h"

namespace storysift {
namespace {

TEST(OriginTest, ToStringNamesFileAndLine) {
  EXPECT_EQ((Origin{"a.jsonl", 17}).ToString(), "a.jsonl:17");
  EXPECT_EQ((Origin{"dir/b.txt", 0}).ToString(), "dir/b.txt");
}

}  // namespace
}  // namespace storysift
