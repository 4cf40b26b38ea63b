// WriteDedupLines: one line per input record in input order (skipped records
// with their reasons), the same bytes at any thread count and across its
// blocks of lines.
#include "io/dedup_writer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

TEST(DedupWriterTest, WritesEveryRecordsLineInInputOrderAtAnyThreadCount) {
  // More records than one block (4096) holds, so a block boundary is crossed.
  constexpr uint32_t kDocs = 9000;
  DocumentTable docs;
  CopyGroups groups;
  RunReport report;
  uint32_t skipped = 0;
  for (uint32_t d = 0; d < kDocs; ++d) {
    if (d % 11 == 4) {
      ReadRecord r;
      r.skip_reason = kSkipEmptyText;
      r.message = "empty " + std::to_string(d);
      report.AddSkipped(r);
      docs.input_order.push_back({true, skipped++});
      continue;
    }
    const uint32_t ordinal = static_cast<uint32_t>(docs.ids.size());
    docs.ids.push_back("doc-" + std::to_string(d));
    docs.input_order.push_back({false, ordinal});
    CopyAssignment a;
    if (ordinal % 5 == 3) {  // A copy of the document before it.
      a.representative = ordinal - 1;
      a.similarity = 0.5 + 0.001 * (d % 400);
      a.role = CopyRole::kCopy;
      groups.docs.back().role = CopyRole::kOriginal;
    } else {
      a.representative = ordinal;
    }
    groups.docs.push_back(a);
  }
  std::vector<std::string> want;
  DedupWriterOptions one;
  WriteDedupLines(docs, report, groups, one, [&](std::string_view l) { want.emplace_back(l); });
  ASSERT_EQ(want.size(), kDocs);
  // Spot checks of the schema, so the comparison below compares real lines.
  EXPECT_EQ(want[0],
            R"({"id":"doc-0","cluster_id":"doc-0","representative_id":"doc-0",)"
            R"("similarity":1,"role":"unique"})");
  EXPECT_NE(want[4].find(R"("role":"skipped")"), std::string::npos) << want[4];
  EXPECT_NE(want[4].find(R"("reason":"empty_text")"), std::string::npos) << want[4];
  for (int threads : {0, 2, 3}) {
    DedupWriterOptions options;
    options.threads = threads;
    std::vector<std::string> got;
    WriteDedupLines(docs, report, groups, options,
                    [&](std::string_view l) { got.emplace_back(l); });
    EXPECT_EQ(got, want) << threads << " threads";
  }
}

}  // namespace
}  // namespace storysift
