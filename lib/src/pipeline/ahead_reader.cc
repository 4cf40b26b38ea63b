#include "pipeline/ahead_reader.h"

#include <utility>

namespace storysift::internal {

AheadReader::AheadReader(std::function<absl::StatusOr<bool>()> read)
    : read_(std::move(read)), thread_(&AheadReader::Loop, this) {}

AheadReader::~AheadReader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();  // Loop() finishes a read in flight first.
}

void AheadReader::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    requested_ = true;
    reading_ = true;
  }
  changed_.notify_all();
}

absl::StatusOr<bool> AheadReader::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return !reading_; });
  return std::move(result_);
}

void AheadReader::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return requested_ || stopping_; });
    if (!requested_) return;  // Stopping, nothing asked.
    requested_ = false;
    lock.unlock();
    absl::StatusOr<bool> result = read_();
    lock.lock();
    result_ = std::move(result);
    reading_ = false;
    changed_.notify_all();
  }
}

}  // namespace storysift::internal
