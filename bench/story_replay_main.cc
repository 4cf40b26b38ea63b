// story_replay: the story stages (BuildRankedStories: candidates,
// agglomeration, labels, splits, novelty) rerun on one loaded corpus, for
// A/B timing of story-stage changes on a shared machine: the corpus is read
// once, then the stages run --repeat times; the minimum and median wall and
// process CPU (all threads) of a run are printed. Uses only the story
// pipeline's public entry point and the job that loads a cluster corpus, so
// it builds against older trees too (docs/performance.md, session 9). Each
// story step's minimum wall and CPU over the runs follow (StoryPipelineTimings).
//
//   story_replay CORPUS.jsonl [--threads N] [--repeat R]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "jobs/job_core.h"
#include "storysift/story_pipeline.h"

namespace {

double WallNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double ProcessCpu() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct StepMin {
  const char* name;
  double wall = 1e300, cpu = 1e300;
  void Add(double w, double c) {
    wall = std::min(wall, w);
    cpu = std::min(cpu, c);
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace storysift;
  std::string path;
  int threads = 2, repeat = 10;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      path = a;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: story_replay CORPUS.jsonl [--threads N] [--repeat R]\n");
    return 2;
  }
  auto input = InputStream::Open({path}, ReaderOptions());
  if (!input.ok()) {
    std::fprintf(stderr, "story_replay: %s\n", input.status().ToString().c_str());
    return 1;
  }
  ClusterJobOptions options;
  RunContext context;
  context.threads = threads;
  auto run = internal::ReadAndClusterStories(options, *input, context, false);
  if (!run.ok()) {
    std::fprintf(stderr, "story_replay: %s\n", run.status().ToString().c_str());
    return 1;
  }
  std::printf("%zu documents, %zu terms in the vocabulary\n", run->corpus.num_docs(),
              run->matrix.vocabulary().size());
  std::vector<double> wall, cpu;
  // Per story step: the minimum over the runs of its wall and CPU seconds.
  std::vector<StepMin> steps = {{"candidates"}, {"agglomeration"}, {"stories + labels"},
                                {"splits"}, {"novelty"}};
  size_t stories = 0;
  for (int r = 0; r < repeat; ++r) {
    JobTimings timings;
    context.timings = &timings;
    const double w0 = WallNow(), c0 = ProcessCpu();
    auto ranked = BuildRankedStories(run->corpus, run->groups, run->matrix, options.stories,
                                     context);
    wall.push_back(WallNow() - w0);
    cpu.push_back(ProcessCpu() - c0);
    if (!ranked.ok()) return 1;
    stories = ranked->size();
    const StoryPipelineTimings& t = timings.stories;
    steps[0].Add(t.candidates_wall, t.candidates_cpu);
    steps[1].Add(t.merge_wall, t.merge_cpu);
    steps[2].Add(t.make_wall, t.make_cpu);
    steps[3].Add(t.split_wall, t.split_cpu);
    steps[4].Add(t.rank_wall, t.rank_cpu);
  }
  std::printf("%zu stories, %d runs at %d threads: wall min %.4f median %.4f s, CPU min %.4f "
              "median %.4f s\n",
              stories, repeat, threads, *std::min_element(wall.begin(), wall.end()),
              Median(wall), *std::min_element(cpu.begin(), cpu.end()), Median(cpu));
  for (const StepMin& s : steps) {
    std::printf("  %-18s wall min %.4f s, CPU min %.4f s\n", s.name, s.wall, s.cpu);
  }
  return 0;
}
