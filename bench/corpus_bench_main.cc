// corpus_bench CORPUS.jsonl [--threads N] [--mode dedup|cluster|both]:
// runs the library's jobs (RunDedup, RunCluster: storysift/jobs.h, as the
// CLI runs them) over a corpus and
// prints per stage and end to end: documents/s, MB/s, wall seconds, process
// CPU seconds and peak RSS; plus a bare tokenize-only pass over the same
// bytes (read + split on non-alphanumeric bytes) and the ratio of each full
// run to it. MB/s is always input file bytes / wall seconds.
// --posting-window / --min-similarity override the story candidate options
// (for exploring the cost of the story stage; the CLI uses the defaults).
// Step times come from RunContext::timings, the CPU split from its stage
// callback.
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <utility>

#include "storysift/jobs.h"

namespace storysift {
namespace {

double WallNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double ProcessCpu() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

// Peak resident set (VmHWM) in MiB; ResetPeakRss() restarts it (Linux >= 4.0).
double PeakRssMib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

void ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

struct Row {
  std::string stage;
  double wall = 0;
  double cpu = 0;  // Process CPU seconds (all threads), or -1 when not measured.
};

class Table {
 public:
  Table(size_t docs, double mb) : docs_(docs), mb_(mb) {}
  void Add(const Row& r) { rows_.push_back(r); }
  void Print(const char* title, double rss_mib, double tokenize_wall) const {
    std::printf("\n== %s ==\n", title);
    std::printf("%-34s %10s %10s %9s %9s %7s\n", "stage", "docs/s", "MB/s", "wall_s", "cpu_s",
                "x_tok");
    for (const Row& r : rows_) {
      char cpu[32];
      if (r.cpu < 0) {
        std::snprintf(cpu, sizeof(cpu), "%9s", "-");
      } else {
        std::snprintf(cpu, sizeof(cpu), "%9.2f", r.cpu);
      }
      std::printf("%-34s %10.0f %10.1f %9.2f %s %7.2f\n", r.stage.c_str(),
                  r.wall > 0 ? docs_ / r.wall : 0.0, r.wall > 0 ? mb_ / r.wall : 0.0, r.wall,
                  cpu, tokenize_wall > 0 ? r.wall / tokenize_wall : 0.0);
    }
    std::printf("peak RSS (VmHWM): %.0f MiB = %.0f bytes/doc\n", rss_mib,
                docs_ ? rss_mib * 1048576.0 / docs_ : 0.0);
  }

 private:
  size_t docs_;
  double mb_;
  std::vector<Row> rows_;
};

// The cheapest possible pass: read the bytes, count alphanumeric runs.
Row TokenizeOnly(const std::string& path, size_t* tokens) {
  const double w0 = WallNow(), c0 = ProcessCpu();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  std::vector<char> buf(1 << 20);
  size_t n = 0;
  bool in_token = false;
  *tokens = 0;
  while (f != nullptr && (n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    for (size_t i = 0; i < n; ++i) {
      const unsigned char c = static_cast<unsigned char>(buf[i]);
      const bool word = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                        c >= 0x80;
      *tokens += word && !in_token;
      in_token = word;
    }
  }
  if (f != nullptr) std::fclose(f);
  return {"tokenize-only (read + split)", WallNow() - w0, ProcessCpu() - c0};
}

struct Args {
  std::string path;
  int threads = 2;
  std::string mode = "both";
  int posting_window = 0;      // 0: the StoryOptions default.
  float min_similarity = -1;   // < 0: the StoryOptions default.
  int max_candidates = -1;     // < 0: the StoryOptions default; 0 = no cap.
};

int Run(const Args& args) {
  std::FILE* f = std::fopen(args.path.c_str(), "rb");
  if (f == nullptr) {
    std::fprintf(stderr, "corpus_bench: cannot open %s\n", args.path.c_str());
    return 1;
  }
  std::fseek(f, 0, SEEK_END);
  const double mb = std::ftell(f) / 1e6;
  std::fclose(f);

  size_t tokens = 0;
  ResetPeakRss();
  const Row tok = TokenizeOnly(args.path, &tokens);
  std::printf("corpus %s: %.1f MB, threads %d\n", args.path.c_str(), mb, args.threads);
  std::printf("tokenize-only: %zu tokens, %.2f s wall, %.1f MB/s, peak RSS %.0f MiB\n", tokens,
              tok.wall, mb / tok.wall, PeakRssMib());

  const bool want_dedup = args.mode == "dedup" || args.mode == "both";
  const bool want_cluster = args.mode == "cluster" || args.mode == "both";
  for (int pass = 0; pass < 2; ++pass) {
    const bool cluster = pass == 1;
    if (cluster ? !want_cluster : !want_dedup) continue;
    ResetPeakRss();
    auto input = InputStream::Open({args.path}, ReaderOptions());
    if (!input.ok()) {
      std::fprintf(stderr, "corpus_bench: %s\n", input.status().ToString().c_str());
      return 1;
    }
    // The job as the CLI runs it; the stage marks split its process CPU.
    JobTimings timings;
    RunContext context;
    context.threads = args.threads;
    context.timings = &timings;
    std::vector<std::pair<double, double>> marks = {{WallNow(), ProcessCpu()}};
    context.on_stage = [&marks](const char*) { marks.push_back({WallNow(), ProcessCpu()}); };
    size_t docs = 0, num_groups = 0, num_pairs = 0, num_stories = 0;
    // The counts both jobs' results hold; false when the job failed.
    auto count = [&](const auto& result) {
      if (!result.ok()) {
        std::fprintf(stderr, "corpus_bench: %s\n", result.status().ToString().c_str());
        return false;
      }
      docs = result->documents.num_docs();
      num_groups = result->groups.num_groups;
      num_pairs = result->groups.pairs.size();
      return true;
    };
    if (cluster) {
      ClusterJobOptions options;
      CandidateOptions& candidates = options.stories.story.candidates;
      if (args.posting_window > 0) candidates.posting_window = args.posting_window;
      if (args.min_similarity >= 0) candidates.min_similarity = args.min_similarity;
      if (args.max_candidates >= 0) candidates.max_candidates_per_item = args.max_candidates;
      auto result = RunCluster(options, *input, context);
      if (!count(result)) return 1;
      num_stories = result->stories.size();
    } else {
      if (!count(RunDedup(DedupJobOptions(), *input, context))) return 1;
    }
    marks.push_back({WallNow(), ProcessCpu()});
    // marks: start, "grouping copies", ["clustering stories"], end.
    const auto [w0, c0] = marks[0];
    const auto [w1, c1] = marks[1];
    const auto [w2, c2] = marks[2];
    const PipelineTimings& pt = timings.read;
    Table table(docs, mb);
    table.Add({"read + JSON parse", pt.read_wall, -1});
    // The parallel wall is split between the two stages by their CPU share.
    const double par_cpu = pt.normalize_cpu + pt.stage_cpu;
    const double norm_share = par_cpu > 0 ? pt.normalize_cpu / par_cpu : 0;
    table.Add({"normalize (parallel)", pt.parallel_wall * norm_share, pt.normalize_cpu});
    table.Add({"shingle + MinHash-128 (parallel)", pt.parallel_wall * (1 - norm_share),
               pt.stage_cpu});
    if (cluster) table.Add({"TF-IDF intern (batch, by shard)", pt.batch_wall, -1});
    table.Add({"collect (sink)", pt.sink_wall, -1});
    table.Add({"= LoadCorpus", w1 - w0, c1 - c0});
    table.Add({"index + verify + group", w2 - w1, c2 - c1});
    const auto [end, cpu_end] = marks.back();
    if (cluster) {
      const StoryPipelineTimings& st = timings.stories;
      table.Add({"TF-IDF build", timings.vectors_wall, -1});
      table.Add({"story cluster", st.cluster_wall, st.cluster_cpu});
      table.Add({"  of which story items", st.items_wall, st.items_cpu});
      table.Add({"  of which candidate pairs", st.candidates_wall, st.candidates_cpu});
      table.Add({"  of which agglomeration", st.merge_wall, st.merge_cpu});
      table.Add({"  of which stories + labels", st.make_wall, st.make_cpu});
      table.Add({"  of which splits", st.split_wall, st.split_cpu});
      table.Add({"novelty rank", st.rank_wall, st.rank_cpu});
      table.Add({"= stories (cluster + rank)", st.cluster_wall + st.rank_wall,
                 st.cluster_cpu + st.rank_cpu});
      std::printf("\n%zu stories\n", num_stories);
    }
    table.Add({cluster ? "END TO END dedup + cluster" : "END TO END dedup", end - w0,
               cpu_end - c0});
    std::printf("%zu docs, %zu copy groups, %zu verified pairs; per-core MB/s of normalize + "
                "shingle + MinHash: %.1f\n",
                docs, num_groups, num_pairs, par_cpu > 0 ? mb / par_cpu : 0.0);
    table.Print(cluster ? "dedup + story clustering" : "dedup", PeakRssMib(), tok.wall);
  }
  return 0;
}

}  // namespace
}  // namespace storysift

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // Tables appear as stages finish.
  storysift::Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) {
      args.threads = std::atoi(argv[++i]);
    } else if (a == "--posting-window" && i + 1 < argc) {
      args.posting_window = std::atoi(argv[++i]);
    } else if (a == "--min-similarity" && i + 1 < argc) {
      args.min_similarity = static_cast<float>(std::atof(argv[++i]));
    } else if (a == "--max-candidates" && i + 1 < argc) {
      args.max_candidates = std::atoi(argv[++i]);
    } else if (a == "--mode" && i + 1 < argc) {
      args.mode = argv[++i];
    } else if (!a.empty() && a[0] != '-' && args.path.empty()) {
      args.path = a;
    } else {
      std::fprintf(stderr,
                   "usage: corpus_bench CORPUS.jsonl [--threads N] [--mode dedup|cluster|both] "
                   "[--posting-window N] [--min-similarity S] [--max-candidates K]\n");
      return 2;
    }
  }
  if (args.path.empty() || (args.mode != "dedup" && args.mode != "cluster" &&
                            args.mode != "both")) {
    std::fprintf(stderr,
                 "usage: corpus_bench CORPUS.jsonl [--threads N] [--mode dedup|cluster|both] "
                   "[--posting-window N] [--min-similarity S] [--max-candidates K]\n");
    return 2;
  }
  return storysift::Run(args);
}
