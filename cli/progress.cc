#include "progress.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/str_format.h"

namespace storysift::cli {
namespace {

constexpr auto kInterval = std::chrono::milliseconds(250);

class Meter {
 public:
  Meter(const InputProgress& progress, bool tty) : progress_(progress), tty_(tty) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Meter() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    if (drawn_) std::fputs(tty_ ? "\r\033[K" : "\n", stderr);
  }
  void SetStage(const char* stage) { stage_.store(stage, std::memory_order_relaxed); }

 private:
  void Loop() {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, kInterval, [this] { return stop_; })) {
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      Draw(secs);
    }
  }

  void Draw(double secs) {
    const int64_t bytes = progress_.bytes_read.load(std::memory_order_relaxed);
    const int64_t records = progress_.records.load(std::memory_order_relaxed);
    const double mb_per_s = secs > 0 ? static_cast<double>(bytes) / 1e6 / secs : 0;
    std::string line = absl::StrFormat("\rstorysift: %d records, %.1f MB at %.1f MB/s, %s",
                                       records, static_cast<double>(bytes) / 1e6, mb_per_s,
                                       stage_.load(std::memory_order_relaxed));
    const int64_t total = progress_.total_bytes;
    if (total > 0 && bytes < total && bytes > 0) {
      const double left = static_cast<double>(total - bytes) / (static_cast<double>(bytes) / secs);
      const int64_t eta = static_cast<int64_t>(left + 0.5);
      absl::StrAppendFormat(&line, ", %d%%, ETA %d:%02d", bytes * 100 / total, eta / 60, eta % 60);
    }
    if (tty_) line += "\033[K";  // Erase what a longer previous line left.
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
    drawn_ = true;
  }

  const InputProgress& progress_;
  const bool tty_;
  std::atomic<const char*> stage_{"reading"};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

Meter* active = nullptr;  // The CLI runs one command per process.

}  // namespace

void StartProgress(const InputFlags& flags, const InputProgress& progress) {
  StopProgress();
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  if (flags.quiet || !(flags.progress || tty)) return;
  active = new Meter(progress, tty);
}

void SetProgressStage(const char* stage) {
  if (active != nullptr) active->SetStage(stage);
}

void StopProgress() {
  delete active;
  active = nullptr;
}

}  // namespace storysift::cli
