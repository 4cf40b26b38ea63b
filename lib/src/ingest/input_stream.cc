#include "storysift/input_stream.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "storysift/status_macros.h"

namespace storysift {

absl::StatusOr<InputStream> InputStream::Open(std::vector<std::string> paths,
                                              const ReaderOptions& options) {
  if (paths.empty()) return absl::InvalidArgumentError("no input given");
  for (const std::string& path : paths) {
    struct stat st;
    if (path != "-" && ::stat(path.c_str(), &st) != 0) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file or directory"));
    }
  }
  return InputStream(std::move(paths), options);
}

InputStream InputStream::FromRecords(std::vector<ReadRecord> records) {
  InputStream stream({}, ReaderOptions());
  stream.ready_ = std::move(records);
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
      STORYSIFT_ASSIGN_OR_RETURN(reader_, OpenReader(paths_[next_path_++], options_));
    }
    (*records)[n] = ReadRecord();
    STORYSIFT_ASSIGN_OR_RETURN(const bool got, reader_->Next(&(*records)[n]));
    if (got) {
      ++n;
    } else {
      reader_.reset();
    }
  }
  records->resize(n);
  return n > 0;
}

}  // namespace storysift
