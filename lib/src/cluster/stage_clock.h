// Wall and process CPU seconds of consecutive steps, for the story
// pipeline's timings (StoryPipelineTimings). Reads no clock when off.
#ifndef STORYSIFT_CLUSTER_STAGE_CLOCK_H_
#define STORYSIFT_CLUSTER_STAGE_CLOCK_H_

#include "pipeline/clock.h"

namespace storysift::internal {

class StageClock {
 public:
  explicit StageClock(bool on) : on_(on) {
    if (on_) Read(&wall_, &cpu_);
  }

  // Adds the wall and CPU seconds since the last lap (or construction).
  void Lap(double* wall, double* cpu) {
    if (!on_) return;
    double w, c;
    Read(&w, &c);
    *wall += w - wall_;
    *cpu += c - cpu_;
    wall_ = w;
    cpu_ = c;
  }

 private:
  static void Read(double* wall, double* cpu) {
    *wall = WallSeconds();
    *cpu = ProcessCpuSeconds();
  }

  bool on_;
  double wall_ = 0, cpu_ = 0;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_STAGE_CLOCK_H_
