// Seconds as doubles, for the timings hooks (PipelineTimings,
// StoryPipelineTimings, JobTimings): one reading of each clock.
#ifndef STORYSIFT_PIPELINE_CLOCK_H_
#define STORYSIFT_PIPELINE_CLOCK_H_

#include <time.h>

#include <chrono>

namespace storysift::internal {

inline double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline double CpuSeconds(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// All threads of the process.
inline double ProcessCpuSeconds() { return CpuSeconds(CLOCK_PROCESS_CPUTIME_ID); }

inline double ThreadCpuSeconds() { return CpuSeconds(CLOCK_THREAD_CPUTIME_ID); }

}  // namespace storysift::internal

#endif  // STORYSIFT_PIPELINE_CLOCK_H_
