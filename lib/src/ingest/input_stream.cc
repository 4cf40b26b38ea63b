#include "storysift/input_stream.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "ingest/reader_internal.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

// A recycled record keeps its strings' buffers up to this size (a long news
// article), so a document's text reuses the allocation of the one read two
// batches before (the pipeline hands the records back); a bigger one is
// freed, so that the slots do not each keep their largest text.
constexpr size_t kMaxRecycledBytes = size_t{16} << 10;

void RecycleRecord(ReadRecord* record) {
  const Document& doc = record->doc;
  if (doc.text.capacity() > kMaxRecycledBytes || doc.raw.capacity() > kMaxRecycledBytes ||
      doc.title.capacity() > kMaxRecycledBytes) {
    *record = ReadRecord();
    return;
  }
  internal::ResetRecord(record);  // Every field, as each reader does first.
}

}  // namespace

absl::StatusOr<InputStream> InputStream::Open(std::vector<std::string> paths,
                                              const ReaderOptions& options,
                                              size_t own_inputs) {
  if (paths.empty()) return absl::InvalidArgumentError("no input given");
  if (!options.encoding.empty()) STORYSIFT_RETURN_IF_ERROR(CheckEncoding(options.encoding));
  auto progress = std::make_unique<InputProgress>();
  int64_t total = 0;
  for (const std::string& path : paths) {
    struct stat st;
    if (path == "-") {
      total = -1;
      continue;
    }
    if (::stat(path.c_str(), &st) != 0) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file or directory"));
    }
    if (!S_ISREG(st.st_mode)) total = -1;
    if (total >= 0) total += st.st_size;
  }
  progress->total_bytes = total;
  return InputStream(std::move(paths), options, own_inputs, std::move(progress));
}

InputStream InputStream::FromRecords(std::vector<ReadRecord> records,
                                     std::vector<InputSummary> summaries) {
  InputStream stream({}, ReaderOptions(), 0, std::make_unique<InputProgress>());
  stream.ready_ = std::move(records);
  stream.summaries_ = std::move(summaries);
  return stream;
}

absl::StatusOr<bool> InputStream::NextBatch(size_t max_records,
                                            std::vector<ReadRecord>* records) {
  records->resize(max_records);
  size_t n = 0;
  while (n < max_records && next_ready_ < ready_.size()) {
    (*records)[n++] = std::move(ready_[next_ready_++]);
  }
  if (next_ready_ == ready_.size() && !ready_.empty()) {
    ready_.clear();
    ready_.shrink_to_fit();
    next_ready_ = 0;
  }
  while (n < max_records) {
    if (reader_ == nullptr) {
      if (next_path_ == paths_.size()) break;
      summaries_.push_back(InputSummary{paths_[next_path_], 0, {}});
      ReaderOptions options = options_;
      if (next_path_ < own_inputs_) options.encoding.clear();
      STORYSIFT_ASSIGN_OR_RETURN(reader_, OpenReader(paths_[next_path_++], options));
    }
    RecycleRecord(&(*records)[n]);
    ReadRecord& record = (*records)[n];
    STORYSIFT_ASSIGN_OR_RETURN(const bool got, reader_->Next(&record));
    if (got) {
      ++n;
      InputSummary& summary = summaries_.back();
      if (record.skipped()) {
        ++summary.skipped_by_reason[record.skip_reason];
      } else {
        ++summary.documents;
      }
      progress_->records.fetch_add(1, std::memory_order_relaxed);
    } else {
      reader_.reset();
    }
  }
  records->resize(n);
  return n > 0;
}

}  // namespace storysift
