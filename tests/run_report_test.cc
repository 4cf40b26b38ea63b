// The checks after reading that the CLI and the Python API share:
// CheckInputsRead (inputs that gave nothing) and CheckStrict (--strict).
#include <string>
#include <vector>

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

InputSummary Input(const std::string& path, int64_t documents, int64_t not_object = 0) {
  InputSummary input;
  input.path = path;
  input.documents = documents;
  if (not_object > 0) input.skipped_by_reason["not_object"] = not_object;
  return input;
}

TEST(CheckInputsReadTest, AnEmptyInputBesideOthersIsOnlyNamed) {
  RunReport report;
  report.set_inputs({Input("a.jsonl", 0), Input("b.jsonl", 2)});
  EXPECT_TRUE(CheckInputsRead(report, /*allow_empty=*/false).ok());
  EXPECT_EQ(InputsWithoutDocuments(report),
            std::vector<std::string>{"a.jsonl: 0 documents (no records)"});
  EXPECT_TRUE(InputsWithoutDocuments(report, /*last=*/1).empty());
}

TEST(CheckInputsReadTest, NoDocumentAtAllFailsUnlessAllowed) {
  RunReport report;
  report.set_inputs({Input("a.jsonl", 0), Input("day.json", 0, 3)});
  const absl::Status s = CheckInputsRead(report, /*allow_empty=*/false);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "no documents read: a.jsonl: 0 documents (no records); "
            "day.json: 0 documents (3 records skipped: not_object)");
  // Only the last `last` inputs are named (the CLI's own, after a state's).
  EXPECT_EQ(CheckInputsRead(report, false, /*last=*/1).message(),
            "no documents read: day.json: 0 documents (3 records skipped: not_object)");
  EXPECT_TRUE(CheckInputsRead(report, /*allow_empty=*/true).ok());
}

TEST(CheckInputsReadTest, CsvWithoutTextColumnFails) {
  RunReport report;
  report.AddSkipped(MakeSkippedRecord({"n.csv", 1}, kSkipNoTextColumn, "CSV header has no text column"));
  report.set_inputs({Input("n.csv", 0), Input("b.jsonl", 2)});
  const absl::Status s = CheckInputsRead(report, /*allow_empty=*/false);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "n.csv: CSV header has no text column (1 record(s) skipped as no_text_column)");
}

}  // namespace
}  // namespace storysift
