// End-to-end: every output file is compressed as its name asks (.gz, .zst,
// .xz), holds exactly the plain output's bytes, is deterministic, keeps
// what the output layer guarantees (mode bits, the old file on a full
// disk), and reads back wherever storysift reads its own outputs.
#include <sys/stat.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

struct Codec {
  std::string suffix;      // As the output is named.
  std::string decompress;  // A shell filter from stdin to stdout.
  std::string magic;
};

const std::vector<Codec>& Codecs() {
  static const auto* codecs = new std::vector<Codec>{
      {".gz", "gzip -dc", "\x1f\x8b"},
      {".zst", "zstd -dcq", "\x28\xb5\x2f\xfd"},
      {".xz", "xz -dc", std::string("\xfd" "7zXZ\0", 6)},
  };
  return *codecs;
}

// What the standard tool makes of `path` (ADD_FAILURE when it refuses it).
std::string Decompressed(const Codec& codec, const std::string& path) {
  const std::string out = path + ".unpacked";
  const std::string cmd = codec.decompress + " < " + ShellQuote(path) + " > " + ShellQuote(out);
  if (std::system(cmd.c_str()) != 0) ADD_FAILURE() << cmd;
  std::string bytes = ReadFileOrEmpty(out);
  fs::remove(out);
  return bytes;
}

// Words that differ between groups, so that stories and copy groups form.
std::string Body(const std::string& topic, int variant) {
  std::string text;
  for (int i = 0; i < 40; ++i) absl::StrAppend(&text, topic, i, " ");
  absl::StrAppend(&text, "reported on day ", variant, " by the desk");
  return text;
}

// A day of news: 6 stories of 3 articles each, two of them copies (one a
// lightly edited one), and gold labels by story.
class CompressedOutputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string jsonl, gold;
    for (int story = 0; story < 6; ++story) {
      const std::string topic = absl::StrCat("topic", story, "word");
      for (int k = 0; k < 3; ++k) {
        const std::string id = absl::StrCat("s", story, "a", k);
        absl::StrAppend(&jsonl, "{\"id\":\"", id, "\",\"title\":\"Story ", story,
                        "\",\"date\":\"2024-03-0", 1 + k, "\",\"text\":\"",
                        Body(topic, k == 2 ? 2 : 1), "\"}\n");
        absl::StrAppend(&gold, "{\"id\":\"", id, "\",\"label\":\"g", story, "\"}\n");
      }
    }
    corpus_ = tmp_ / "day.jsonl";
    gold_ = tmp_ / "gold.jsonl";
    WriteFile(corpus_, jsonl);
    WriteFile(gold_, gold);
  }

  CliResult Run(const std::vector<std::string>& args) { return RunCli(args, tmp_.path()); }

  // `args` with {OUT} replaced by `out` and {STATE} by a new state
  // directory.
  std::vector<std::string> Filled(const std::vector<std::string>& args, const std::string& out) {
    std::vector<std::string> filled;
    for (const std::string& a : args) {
      filled.push_back(absl::StrReplaceAll(
          a, {{"{OUT}", out}, {"{STATE}", tmp_ / absl::StrCat("state", states_++)}}));
    }
    return filled;
  }

  // Runs `args` with {OUT} a plain file, then named .gz, .zst and .xz:
  // each is that format and holds the plain file's bytes exactly.
  void ExpectCompressedAsNamed(const std::vector<std::string>& args, const std::string& name) {
    const std::string plain = tmp_ / name;
    const CliResult r = Run(Filled(args, plain));
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    const std::string expected = ReadFileOrEmpty(plain);
    ASSERT_FALSE(expected.empty()) << name;
    for (const Codec& codec : Codecs()) {
      const std::string packed = plain + codec.suffix;
      const CliResult c = Run(Filled(args, packed));
      ASSERT_EQ(c.exit_code, 0) << packed << ": " << c.err;
      const std::string bytes = ReadFileOrEmpty(packed);
      EXPECT_TRUE(bytes.starts_with(codec.magic)) << packed;
      EXPECT_TRUE(Decompressed(codec, packed) == expected)
          << packed << " does not hold the plain output's " << expected.size() << " bytes";
    }
  }

  const TempDir tmp_;
  std::string corpus_, gold_;
  int states_ = 0;
};

TEST_F(CompressedOutputsTest, EveryCommandsOutputFileIsCompressedAsItsNameSays) {
  const std::string pairs = tmp_ / "pairs.tsv";
  const std::string stories = tmp_ / "stories.jsonl";
  const std::string index = tmp_ / "feed.idx";
  ASSERT_EQ(Run({"dedup", corpus_, "--pairs", "-q", "-o", pairs}).exit_code, 0);
  ASSERT_EQ(Run({"cluster", corpus_, "-q", "-o", stories}).exit_code, 0);
  ASSERT_EQ(Run({"index", "build", corpus_, "-q", "-o", index}).exit_code, 0);
  const std::map<std::string, std::vector<std::string>> cases = {
      {"verdicts.jsonl", {"dedup", corpus_, "-q", "-o", "{OUT}"}},
      {"pairs.tsv", {"dedup", corpus_, "--pairs", "-q", "-o", "{OUT}"}},
      {"explain.jsonl", {"dedup", corpus_, "--explain", "-q", "-o", "{OUT}"}},
      {"dedup.html", {"dedup", corpus_, "-q", "-o", "/dev/null", "--html", "{OUT}"}},
      {"dedup-report.json", {"dedup", corpus_, "-q", "-o", "/dev/null", "--report", "{OUT}"}},
      {"stories.jsonl", {"cluster", corpus_, "-q", "-o", "{OUT}"}},
      {"stories.txt", {"cluster", corpus_, "-q", "--format", "text", "-o", "{OUT}"}},
      {"stories.html", {"cluster", corpus_, "-q", "-o", "/dev/null", "--html", "{OUT}"}},
      {"state-stories.jsonl", {"cluster", corpus_, "--state", "{STATE}", "-q", "-o", "{OUT}"}},
      {"state-report.json",
       {"cluster", corpus_, "--state", "{STATE}", "-q", "-o", "/dev/null", "--report", "{OUT}"}},
      {"state-stories.html",
       {"cluster", corpus_, "--state", "{STATE}", "-q", "-o", "/dev/null", "--html", "{OUT}"}},
      {"normalized.jsonl", {"normalize", corpus_, "--json", "-q", "-o", "{OUT}"}},
      {"stats-report.json", {"stats", corpus_, "--report", "{OUT}"}},
      {"eval.json", {"eval", pairs, gold_, "--json", "-o", "{OUT}"}},
      {"tune.txt", {"tune", corpus_, "--gold", gold_, "-q", "-o", "{OUT}"}},
      {"report.html", {"report", stories, corpus_, "-q", "-o", "{OUT}"}},
      {"report.txt", {"report", stories, corpus_, "--format", "text", "-q", "-o", "{OUT}"}},
      {"model.bin", {"idf", "build", corpus_, "-q", "-o", "{OUT}"}},
      {"built.idx", {"index", "build", corpus_, "-q", "-o", "{OUT}"}},
      {"build-verdicts.jsonl",
       {"index", "build", corpus_, "-q", "-o", "{STATE}.idx", "-v", "{OUT}"}},
      {"query-verdicts.jsonl", {"index", "query", index, corpus_, "-q", "-o", "{OUT}"}},
  };
  for (const auto& [name, args] : cases) {
    SCOPED_TRACE(name);
    ExpectCompressedAsNamed(args, name);
  }
}

// Standard output stays plain whatever else is named, also when held until
// a state's commit.
TEST_F(CompressedOutputsTest, StandardOutputStaysPlain) {
  const std::string plain = tmp_ / "stories.jsonl";
  ASSERT_EQ(Run({"cluster", corpus_, "--state", tmp_ / "s1", "-q", "-o", plain}).exit_code, 0);
  const CliResult held =
      Run({"cluster", corpus_, "--state", tmp_ / "s2", "-q", "--report", tmp_ / "r.json.gz"});
  ASSERT_EQ(held.exit_code, 0) << held.err;
  EXPECT_EQ(held.out, ReadFileOrEmpty(plain));
  const CliResult dash = Run({"dedup", corpus_, "-q", "-o", "-"});
  ASSERT_EQ(dash.exit_code, 0) << dash.err;
  EXPECT_TRUE(dash.out.starts_with("{")) << dash.out;
}

// No time or name in a gzip header, fixed levels, and the codec fed the
// same chunks whatever the writers' threads: byte-identical files.
TEST_F(CompressedOutputsTest, CompressedOutputsAreTheSameForAnyThreadCount) {
  for (const Codec& codec : Codecs()) {
    for (const std::string command : {"dedup", "cluster"}) {
      std::string first;
      for (const char* threads : {"1", "4"}) {
        const std::string out = tmp_ / absl::StrCat(command, threads, "out", codec.suffix);
        const CliResult r = Run({command, corpus_, "-q", "--threads", threads, "-o", out});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const std::string bytes = ReadFileOrEmpty(out);
        if (first.empty()) {
          first = bytes;
        } else {
          EXPECT_TRUE(bytes == first) << command << " " << codec.suffix;
        }
      }
    }
  }
  const std::string gz = ReadFileOrEmpty(tmp_ / "dedup1out.gz");
  ASSERT_GE(gz.size(), 10u);
  EXPECT_EQ(gz[3], 0) << "gzip flags: no file name, comment or extra field";
  EXPECT_EQ(gz.substr(4, 4), std::string(4, '\0')) << "gzip modification time";
}

// Where storysift reads its own outputs back, a compressed one reads as the
// plain one: eval of pairs and stories, tune --scored, report, cluster
// --idf, idf info, index query, add and info.
TEST_F(CompressedOutputsTest, CompressedOutputsReadBackWhereverStorysiftReadsThem) {
  const std::string pairs = tmp_ / "pairs.tsv", stories = tmp_ / "stories.jsonl";
  const std::string model = tmp_ / "model.bin", index = tmp_ / "feed.idx";
  for (const std::string& suffix : {std::string(), std::string(".gz"), std::string(".zst")}) {
    ASSERT_EQ(Run({"dedup", corpus_, "--pairs", "-q", "-o", pairs + suffix}).exit_code, 0);
    ASSERT_EQ(Run({"cluster", corpus_, "-q", "-o", stories + suffix}).exit_code, 0);
    ASSERT_EQ(Run({"idf", "build", corpus_, "-q", "-o", model + suffix}).exit_code, 0);
    ASSERT_EQ(Run({"index", "build", corpus_, "-q", "-o", index + suffix}).exit_code, 0);
  }
  const std::vector<std::vector<std::string>> readers = {
      {"eval", "{PAIRS}", gold_, "--json"},
      {"eval", "{STORIES}", gold_, "--json"},
      {"tune", "--scored", "{PAIRS}", "--gold", gold_, "--json"},
      {"report", "{STORIES}", corpus_, "--format", "text", "-q"},
      {"cluster", corpus_, "--idf", "{MODEL}", "-q"},
      {"index", "query", "{INDEX}", corpus_, "-q"},
      {"index", "info", "{INDEX}"},
  };
  for (const std::vector<std::string>& args : readers) {
    std::string plain_out;
    for (const std::string& suffix : {std::string(), std::string(".gz"), std::string(".zst")}) {
      std::vector<std::string> a;
      for (const std::string& arg : args) {
        a.push_back(absl::StrReplaceAll(arg, {{"{PAIRS}", pairs + suffix},
                                              {"{STORIES}", stories + suffix},
                                              {"{MODEL}", model + suffix},
                                              {"{INDEX}", index + suffix}}));
      }
      const CliResult r = Run(a);
      SCOPED_TRACE(absl::StrCat(args[0], " ", args[1], " ", suffix));
      ASSERT_EQ(r.exit_code, 0) << r.err;
      if (suffix.empty()) {
        plain_out = r.out;
        ASSERT_FALSE(plain_out.empty());
      } else {
        EXPECT_EQ(r.out, plain_out);
      }
    }
  }
  // The pairs scored something: the round trip is not of an empty file.
  const CliResult scored = Run({"eval", pairs + ".gz", gold_, "--json"});
  EXPECT_EQ(scored.out.find("\"predicted\":0"), std::string::npos) << scored.out;
  // idf info: the same model, whichever file holds it.
  const CliResult info = Run({"idf", "info", model + ".zst"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(info.out, Run({"idf", "info", model}).out);
  // index add to a compressed index keeps it compressed and readable.
  const std::string more = tmp_ / "more.jsonl";
  WriteFile(more, "{\"id\":\"extra\",\"text\":\"" + Body("fresh", 1) + "\"}\n");
  const CliResult added = Run({"index", "add", index + ".gz", more, "-q"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_TRUE(ReadFileOrEmpty(index + ".gz").starts_with("\x1f\x8b"));
  const CliResult after = Run({"index", "info", index + ".gz"});
  EXPECT_NE(after.out.find("\"documents\":19"), std::string::npos) << after.out;
}

// The mode bits of a replaced compressed output are kept, as for a plain one.
TEST_F(CompressedOutputsTest, AReplacedCompressedOutputKeepsItsMode) {
  const std::string out = tmp_ / "private.jsonl.xz";
  ASSERT_EQ(Run({"dedup", corpus_, "-q", "-o", out}).exit_code, 0);
  ASSERT_EQ(::chmod(out.c_str(), 0600), 0);
  ASSERT_EQ(Run({"dedup", corpus_, "-q", "-o", out}).exit_code, 0);
  struct stat st;
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(ReadFileOrEmpty(out).starts_with(Codecs()[2].magic));
}

// A disk that fills while the compressed bytes are written (a file size
// limit here: writes past it fail with EFBIG) fails the run, exit 1, naming
// the output, and leaves the file it would have replaced as it was.
TEST_F(CompressedOutputsTest, AFullDiskLeavesTheOldFileAndFails) {
  if (std::system("command -v prlimit >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "no prlimit here";
  }
  // Enough distinct ids that the compressed verdicts pass the limit.
  std::string big;
  for (int i = 0; i < 4000; ++i) {
    absl::StrAppend(&big, "{\"id\":\"doc-", i * 7919 % 100003, "-", i, "\",\"text\":\"",
                    Body(absl::StrCat("w", i), i), "\"}\n");
  }
  const std::string input = tmp_ / "big.jsonl";
  WriteFile(input, big);
  constexpr int kLimitBytes = 8192;
  for (const Codec& codec : Codecs()) {
    const std::string out = tmp_ / ("verdicts.jsonl" + codec.suffix);
    WriteFile(out, "the old file\n");
    // Ignored, SIGXFSZ does not kill the run: its write fails with EFBIG.
    const std::string cmd =
        absl::StrCat("trap '' XFSZ; prlimit --fsize=", kLimitBytes, " ",
                     ShellQuote(STORYSIFT_CLI_PATH), " dedup ", ShellQuote(input), " -q -o ",
                     ShellQuote(out), " > /dev/null 2> ", ShellQuote(tmp_ / "err"));
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << codec.suffix;
    EXPECT_EQ(WEXITSTATUS(status), 1) << codec.suffix;
    const std::string err = ReadFileOrEmpty(tmp_ / "err");
    EXPECT_NE(err.find("cannot write " + out), std::string::npos) << err;
    EXPECT_EQ(ReadFileOrEmpty(out), "the old file\n") << codec.suffix;
    // And without the limit the same output is larger than it: the limit
    // was met by the compressed bytes.
    const CliResult whole = Run({"dedup", input, "-q", "-o", out});
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    EXPECT_GT(ReadFileOrEmpty(out).size(), static_cast<size_t>(kLimitBytes)) << codec.suffix;
  }
  for (const auto& entry : fs::directory_iterator(tmp_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos)
        << entry.path();
  }
}

}  // namespace
}  // namespace storysift::cli_test
