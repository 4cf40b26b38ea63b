// How a job runs, as opposed to what it computes: worker threads, where step
// timings go, and a progress callback. Passed beside a job's options (which
// hold only algorithm settings), so one value sets the threads of every
// stage and a run's results never depend on it.
#ifndef STORYSIFT_RUN_CONTEXT_H_
#define STORYSIFT_RUN_CONTEXT_H_

#include <functional>

namespace storysift {

// Where the time of the per-document stages went, for benchmarks: wall
// seconds of the serial parts, and thread-CPU seconds summed over workers
// for the parallel part.
struct PipelineTimings {
  double read_wall = 0;       // Waiting for InputStream::NextBatch (read +
                              // parse), which overlaps the other stages.
  double parallel_wall = 0;   // The ParallelFor over each batch, after the
                              // previous batch's sink.
  double normalize_cpu = 0;   // Normalizer::Normalize, all threads.
  double stage_cpu = 0;       // The caller's ParallelStage, all threads.
  double batch_wall = 0;      // The batch stage, between the two (it may
                              // run parallel work of its own).
  double sink_wall = 0;       // The ordered sink (and report accounting),
                              // which overlaps the next batch's workers.
};

// Wall seconds of the story steps, and process CPU seconds (all threads)
// of each: CPU / wall near 1 on two threads marks a step that runs serially.
struct StoryPipelineTimings {
  double cluster_wall = 0;     // Items, candidate generation, clustering, splits.
  double items_wall = 0;       // Of which story items and copies (serial).
  double candidates_wall = 0;  // Of which candidate pairs (batch mode).
  double merge_wall = 0;       // Of which agglomeration, strays (batch mode).
  double make_wall = 0;        // Of which stories' members and labels (batch).
  double split_wall = 0;       // Of which ticker and cohesion splits.
  double rank_wall = 0;        // Novelty ranking of every story.
  double cluster_cpu = 0, items_cpu = 0, candidates_cpu = 0, merge_cpu = 0;
  double make_cpu = 0, split_cpu = 0, rank_cpu = 0;
};

// Wall seconds of a job's steps (each added to, so a sink can sum runs).
struct JobTimings {
  PipelineTimings read;          // Inside load_wall.
  double load_wall = 0;          // Read, normalize, sketch (and count terms).
  double group_wall = 0;         // Candidate pairs, verification, grouping.
  double vectors_wall = 0;       // TF-IDF weights (cluster).
  StoryPipelineTimings stories;  // Clustering and ranking (cluster).
};

// Not thread-safe to share one `timings` between concurrent jobs.
struct RunContext {
  // Worker threads of every parallel stage; 0 (or less) = all cores. Output is the
  // same for any value.
  int threads = 0;
  // When set, the job adds its step timings here (two clock reads per
  // document and stage).
  JobTimings* timings = nullptr;
  // Called on the calling thread when a job enters a step ("grouping
  // copies", "clustering stories"; a string literal) for a progress meter.
  std::function<void(const char* stage)> on_stage;

  void Stage(const char* stage) const {
    if (on_stage) on_stage(stage);
  }
};

}  // namespace storysift

#endif  // STORYSIFT_RUN_CONTEXT_H_
