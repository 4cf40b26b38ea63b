// Shared checks for the fuzz targets: they abort (which a fuzzer reports as
// a crash) when a reader or loader breaks its contract.
#ifndef STORYSIFT_TESTS_FUZZ_FUZZ_UTIL_H_
#define STORYSIFT_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "ingest/utf8.h"
#include "storysift/reader.h"

namespace storysift::fuzz {

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "contract violated: %s\n", what);
    std::abort();
  }
}

// A loader may only refuse bytes as DataLoss (damaged), Unimplemented
// (newer version) or FailedPrecondition (other options).
inline void CheckLoadError(const absl::Status& status) {
  const absl::StatusCode c = status.code();
  Check(c == absl::StatusCode::kDataLoss || c == absl::StatusCode::kUnimplemented ||
            c == absl::StatusCode::kFailedPrecondition,
        "load errors are DataLoss, Unimplemented or FailedPrecondition");
}

// Drains `reader`, checking every record: a document has clean UTF-8 text
// that is not blank and within max_doc_bytes; a skip has a reason.
inline void DrainAndCheck(DocumentReader* reader, const ReaderOptions& o) {
  ReadRecord r;
  while (true) {
    absl::StatusOr<bool> more = reader->Next(&r);
    if (!more.ok() || !*more) return;
    if (r.skipped()) continue;
    const Document& d = r.doc;
    Check(!d.id.empty(), "document has an id");
    Check(internal::IsCleanUtf8(d.text) && internal::IsCleanUtf8(d.title) &&
              internal::IsCleanUtf8(d.id),
          "fields are clean UTF-8");
    Check(d.text.find_first_not_of(" \t\n\r\f\v") != std::string::npos,
          "text is not blank");
    Check(o.max_doc_bytes == 0 || d.text.size() <= o.max_doc_bytes,
          "text within max_doc_bytes");
    Check(d.origin.line >= 1, "origin has a line");
  }
}

}  // namespace storysift::fuzz

#endif  // STORYSIFT_TESTS_FUZZ_FUZZ_UTIL_H_
