// CheckStrict: the --strict rule the CLI and the Python API share.
#include <string>

#include "gtest/gtest.h"
#include "storysift/record_fields.h"
#include "storysift/report.h"

namespace storysift {
namespace {

Document Doc(const std::string& id, uint64_t line) {
  Document doc;
  doc.id = id;
  doc.text = "some words here";
  doc.origin = {"day.jsonl", line};
  return doc;
}

TEST(CheckStrictTest, CleanRunPasses) {
  RunReport report;
  report.AddProcessed(Doc("a", 1), 3, 0);
  report.AddProcessed(Doc("b", 2), 3, 0);
  EXPECT_TRUE(CheckStrict(report).ok());
}

TEST(CheckStrictTest, WarningFailsNamingTheFirst) {
  RunReport report;
  report.AddProcessed(Doc("a", 1), 3, 0);
  report.AddProcessed(Doc("a", 2), 3, 0);  // Duplicate id: a warning.
  report.AddProcessed(Doc("a", 3), 3, 0);
  const absl::Status s = CheckStrict(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(s.message(),
            "2 warning(s); first at day.jsonl:2: id 'a' already used by an earlier document");
}

TEST(CheckStrictTest, SkipsComeBeforeWarnings) {
  RunReport report;
  report.AddProcessed(Doc("a", 1), 3, 0);
  report.AddProcessed(Doc("a", 2), 3, 0);
  report.AddSkipped(MakeSkippedRecord({"day.jsonl", 4}, "invalid_json", "invalid JSON: x"));
  const absl::Status s = CheckStrict(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(s.message(), "1 record(s) skipped; first at day.jsonl:4: invalid JSON: x");
}

}  // namespace
}  // namespace storysift
