// corpus_bench CORPUS.jsonl [--threads N] [--mode dedup|cluster|both]:
// runs the library's real stages (LoadCorpus, GroupCopies, TfidfVectorizer,
// BuildRankedStories = StoryClusterer + RankByNovelty) over a corpus and
// prints per stage and end to end: documents/s, MB/s, wall seconds, process
// CPU seconds and peak RSS; plus a bare tokenize-only pass over the same
// bytes (read + split on non-alphanumeric bytes) and the ratio of each full
// run to it. MB/s is always input file bytes / wall seconds.
// --posting-window / --min-similarity override the story candidate options
// (for exploring the cost of the story stage; the CLI uses the defaults);
// --batch overrides PipelineOptions::batch_size.
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "storysift/copy_grouper.h"
#include "storysift/corpus.h"
#include "storysift/input_stream.h"
#include "storysift/story_pipeline.h"
#include "storysift/tfidf.h"

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
  bool no_stories = false;     // Cluster mode stops after the TF-IDF build.
  size_t batch = 0;            // 0: the PipelineOptions default.
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
    const double w0 = WallNow(), c0 = ProcessCpu();
    auto normalizer = Normalizer::Create(NormalizeOptions());
    auto input = InputStream::Open({args.path}, ReaderOptions());
    auto vectorizer = TfidfVectorizer::Create(TfidfOptions());
    if (!normalizer.ok() || !input.ok() || !vectorizer.ok()) {
      std::fprintf(stderr, "corpus_bench: setup failed\n");
      return 1;
    }
    CorpusOptions corpus_options;
    PipelineTimings pt;
    corpus_options.pipeline.threads = args.threads;
    if (args.batch > 0) corpus_options.pipeline.batch_size = args.batch;
    corpus_options.pipeline.timings = &pt;
    // As the CLI: the corpus keeps b-bit rows and band keys, not signatures.
    CopyGrouperOptions grouper;
    grouper.threads = args.threads;
    auto verifier = Verifier::Create(grouper, corpus_options.sketch);
    if (!verifier.ok()) return 1;
    corpus_options.verifier = *verifier;
    auto corpus = LoadCorpus(*input, *normalizer, corpus_options,
                             cluster ? &*vectorizer : nullptr);
    if (!corpus.ok()) {
      std::fprintf(stderr, "corpus_bench: %s\n", corpus.status().ToString().c_str());
      return 1;
    }
    const double w1 = WallNow(), c1 = ProcessCpu();
    auto groups = GroupCopies(corpus->sketch_table(), corpus->meta, *verifier);
    if (!groups.ok()) return 1;
    const double w2 = WallNow(), c2 = ProcessCpu();

    const size_t docs = corpus->num_docs();
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
    double end = w2;
    double cpu_end = c2;
    if (cluster) {
      corpus->ReleaseSketches();  // As `storysift cluster` does.
      auto matrix = vectorizer->Build();
      if (!matrix.ok()) return 1;
      const double w3 = WallNow(), c3 = ProcessCpu();
      table.Add({"TF-IDF build", w3 - w2, c3 - c2});
      end = w3;
      cpu_end = c3;
      if (args.no_stories) {
        table.Add({"END TO END (no stories)", end - w0, cpu_end - c0});
        table.Print("dedup + TF-IDF (--no-stories)", PeakRssMib(), tok.wall);
        continue;
      }
      StoryPipelineOptions so;
      if (args.posting_window > 0) so.story.candidates.posting_window = args.posting_window;
      if (args.min_similarity >= 0) so.story.candidates.min_similarity = args.min_similarity;
      if (args.max_candidates >= 0) {
        so.story.candidates.max_candidates_per_item = args.max_candidates;
      }
      so.story.candidates.threads = args.threads;
      StoryPipelineTimings st;
      so.timings = &st;
      auto stories = BuildRankedStories(*corpus, *groups, *matrix, so);
      if (!stories.ok()) {
        std::fprintf(stderr, "corpus_bench: %s\n", stories.status().ToString().c_str());
        return 1;
      }
      end = WallNow();
      cpu_end = ProcessCpu();
      table.Add({"story cluster", st.cluster_wall, -1});
      table.Add({"  of which candidate pairs", st.candidates_wall, -1});
      table.Add({"  of which agglomeration", st.merge_wall, -1});
      table.Add({"novelty rank", st.rank_wall, -1});
      table.Add({"= stories (cluster + rank)", end - w3, cpu_end - c3});
      std::printf("\n%zu stories\n", stories->size());
    }
    table.Add({cluster ? "END TO END dedup + cluster" : "END TO END dedup", end - w0,
               cpu_end - c0});
    std::printf("%zu docs, %zu copy groups, %zu verified pairs; per-core MB/s of normalize + "
                "shingle + MinHash: %.1f\n",
                docs, groups->num_groups, groups->pairs.size(),
                par_cpu > 0 ? mb / par_cpu : 0.0);
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
    } else if (a == "--batch" && i + 1 < argc) {
      args.batch = static_cast<size_t>(std::atol(argv[++i]));
    } else if (a == "--no-stories") {
      args.no_stories = true;
    } else if (a == "--mode" && i + 1 < argc) {
      args.mode = argv[++i];
    } else if (!a.empty() && a[0] != '-' && args.path.empty()) {
      args.path = a;
    } else {
      std::fprintf(stderr,
                   "usage: corpus_bench CORPUS.jsonl [--threads N] [--mode dedup|cluster|both] "
                   "[--posting-window N] [--min-similarity S] [--max-candidates K] [--no-stories] [--batch N]\n");
      return 2;
    }
  }
  if (args.path.empty() || (args.mode != "dedup" && args.mode != "cluster" &&
                            args.mode != "both")) {
    std::fprintf(stderr,
                 "usage: corpus_bench CORPUS.jsonl [--threads N] [--mode dedup|cluster|both] "
                   "[--posting-window N] [--min-similarity S] [--max-candidates K] [--no-stories] [--batch N]\n");
    return 2;
  }
  return storysift::Run(args);
}
