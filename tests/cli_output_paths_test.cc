// End-to-end: where outputs may go and how input directories are walked.
// An output inside an input directory is refused (the next run would read
// it back as input); /dev/stdout and /dev/fd/N are written through the
// caller's descriptor (a `>>` appends, a pipe works); an unreadable
// subdirectory is a skipped record, not the end of the run; symlinked
// subdirectories are read, each directory once.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

std::string Doc(const std::string& id) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += id + "word" + std::to_string(i) + " ";
  return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}\n";
}

// Runs `command` with /bin/sh; its exit status, or -1.
// top/a.jsonl, ext/b.jsonl, and top/feeds -> ../ext: a walk of top reads both.
void WriteTopWithLinkToExt(const TempDir& tmp) {
  WriteFile(tmp / "top/a.jsonl", Doc("a"));
  WriteFile(tmp / "ext/b.jsonl", Doc("b"));
  fs::create_directory_symlink("../ext", tmp / "top/feeds");
}

int RunShell(const std::string& command) {
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const std::string& Cli() {
  static const std::string quoted = ShellQuote(STORYSIFT_CLI_PATH);
  return quoted;
}

TEST(CliOutputPathsTest, OutputsInsideAnInputDirectoryAreUsageErrors) {
  const TempDir tmp;
  const std::string day = tmp / "day";
  WriteFile(day + "/feed.jsonl", Doc("a") + Doc("b"));
  WriteFile(tmp / "gold.jsonl", "{\"id\":\"a\",\"label\":\"x\"}\n");
  struct Case {
    std::vector<std::string> args;
    std::string refused;  // "<flag> <path>" the message names.
  };
  const std::vector<Case> cases = {
      {{"cluster", day, "-o", "/dev/null", "--html", day + "/report.html"},
       "--html " + day + "/report.html"},
      {{"dedup", day, "--keep-first", "-o", day + "/kept.jsonl"}, "-o " + day + "/kept.jsonl"},
      {{"dedup", day, "--pairs", "-o", day + "/pairs.tsv"}, "-o " + day + "/pairs.tsv"},
      {{"normalize", day, "-o", day + "/new/n.jsonl"}, "-o " + day + "/new/n.jsonl"},
      {{"stats", day, "--report", day + "/report.json"}, "--report " + day + "/report.json"},
      {{"cluster", day, "--state", day + "/state", "-o", tmp / "stories.jsonl"},
       "--state " + day + "/state"},
      {{"idf", "build", day, "-o", day + "/model.bin"}, "-o " + day + "/model.bin"},
      {{"index", "build", day, "-o", day + "/x.idx"}, "the index " + day + "/x.idx"},
      {{"tune", day, "--gold", tmp / "gold.jsonl", "-o", day + "/tune.txt"},
       "-o " + day + "/tune.txt"},
      {{"report", tmp / "stories.jsonl", day, "-o", day + "/report.html"},
       "-o " + day + "/report.html"},
  };
  for (const Case& c : cases) {
    const CliResult r = RunCli(c.args, tmp.path());
    EXPECT_EQ(r.exit_code, 2) << c.refused << ": " << r.err;
    EXPECT_NE(r.err.find(c.refused + " is inside the input directory " + day), std::string::npos)
        << r.err;
    // Refused before anything was read or written.
    EXPECT_EQ(std::vector<std::string>{"feed.jsonl"}, [&] {
      std::vector<std::string> names;
      for (const auto& e : fs::directory_iterator(day)) {
        names.push_back(e.path().filename().string());
      }
      return names;
    }()) << c.refused;
  }
  EXPECT_FALSE(fs::exists(tmp / "stories.jsonl"));
  // Beside the directory, the same run works, and a second run reads what
  // the first did (its report is not an article).
  const std::vector<std::string> beside = {
      "cluster", day, "-o", tmp / "stories.jsonl", "--html", tmp / "report.html", "-q"};
  ASSERT_EQ(RunCli(beside, tmp.path()).exit_code, 0);
  const std::string first = ReadFileOrEmpty(tmp / "stories.jsonl");
  ASSERT_EQ(RunCli(beside, tmp.path()).exit_code, 0);
  EXPECT_EQ(ReadFileOrEmpty(tmp / "stories.jsonl"), first);
}

// The walk follows top/feeds into ext, so ext is an input directory too,
// and a relative output path or one through a symlink is resolved first.
TEST(CliOutputPathsTest, OutputsInsideADirectoryTheWalkReachesAreUsageErrors) {
  const TempDir tmp;
  WriteTopWithLinkToExt(tmp);
  fs::create_directory_symlink("top", tmp / "alias");
  const CliResult linked = RunCli({"dedup", tmp / "top", "-o", tmp / "ext/out.jsonl"}, tmp.path());
  EXPECT_EQ(linked.exit_code, 2);
  EXPECT_NE(linked.err.find("-o " + (tmp / "ext/out.jsonl") + " is inside " + (tmp / "top") +
                            "/feeds, which the input directory " + (tmp / "top") +
                            " reaches through a symbolic link"),
            std::string::npos)
      << linked.err;
  const int relative = RunShell("cd " + ShellQuote(tmp.path()) + " && " + Cli() +
                                " dedup top -q -o alias/out.jsonl 2>/dev/null");
  EXPECT_EQ(relative, 2);
  EXPECT_FALSE(fs::exists(tmp / "top/out.jsonl"));
  EXPECT_FALSE(fs::exists(tmp / "ext/out.jsonl"));
}

// `-o /dev/stdout >> log` appends (the log was renamed over and its earlier
// lines lost), and so does `/dev/fd/3 3>>log`; neither leaves a temporary
// file.
// The state directory's files are storysift's: -o DIR/CURRENT overwrote the
// pointer after the commit, -o DIR/gen-N/documents.jsonl the fallback.
TEST(CliOutputPathsTest, OutputsInsideTheStateDirectoryAreUsageErrors) {
  const TempDir tmp;
  WriteFile(tmp / "day.jsonl", Doc("a") + Doc("b"));
  const std::string state = tmp / "state";
  ASSERT_EQ(RunCli({"cluster", tmp / "day.jsonl", "--state", state, "-o", tmp / "o", "-q"},
                   tmp.path())
                .exit_code,
            0);
  const std::string current = ReadFileOrEmpty(state + "/CURRENT");
  ASSERT_FALSE(current.empty());
  for (const std::vector<std::string>& output :
       {std::vector<std::string>{"-o", state + "/CURRENT"},
        std::vector<std::string>{"--report", state + "/r.json"},
        std::vector<std::string>{"--html", state + "/new/x.html"}}) {
    std::vector<std::string> args = {"cluster", tmp / "day.jsonl", "--state", state, "-q"};
    args.insert(args.end(), output.begin(), output.end());
    if (output[0] != "-o") args.insert(args.end(), {"-o", tmp / "o2"});
    const CliResult r = RunCli(args, tmp.path());
    EXPECT_EQ(r.exit_code, 2) << output[1];
    EXPECT_NE(r.err.find("whose files storysift manages"), std::string::npos) << r.err;
  }
  EXPECT_EQ(ReadFileOrEmpty(state + "/CURRENT"), current);
  EXPECT_FALSE(std::filesystem::exists(state + "/r.json"));
  const CliResult report = RunCli({"report", state, "-o", state + "/report.html"}, tmp.path());
  EXPECT_EQ(report.exit_code, 2) << report.err;
}

// Every generation directory and CURRENT's contents: what a run changes
// when it commits.
std::string StateSnapshot(const std::string& state) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(state)) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  std::string snapshot = ReadFileOrEmpty(state + "/CURRENT");
  for (const std::string& n : names) snapshot += "\n" + n;
  return snapshot;
}

// An output that cannot be a file (an existing directory, or a path whose
// directory is missing or is a file) was found at its rename, after the
// run's work: with --state, after the day was committed. Every command now
// refuses it before reading anything, exit 2, naming the flag and path.
TEST(CliOutputPathsTest, OutputsThatCannotBeFilesAreUsageErrorsBeforeAnyWork) {
  const TempDir tmp;
  const std::string day = tmp / "day.jsonl";
  WriteFile(day, Doc("a") + Doc("b"));
  WriteFile(tmp / "gold.jsonl", "{\"id\":\"a\",\"label\":\"x\"}\n");
  WriteFile(tmp / "file", "a file\n");
  fs::create_directory(tmp / "dir");
  fs::create_directory_symlink(tmp / "dir", tmp / "dir-link");
  ASSERT_EQ(RunCli({"cluster", day, "-q", "-o", tmp / "stories.jsonl"}, tmp.path()).exit_code, 0);
  const std::string dir = tmp / "dir", missing = tmp / "missing/out", under_file = tmp / "file/out";
  struct Case {
    std::vector<std::string> args;
    std::string said;  // What the message says.
  };
  const std::vector<Case> cases = {
      {{"dedup", day, "-o", dir}, "-o " + dir + " is a directory"},
      {{"dedup", day, "--pairs", "-o", tmp / "dir-link"},
       "-o " + (tmp / "dir-link") + " (a symbolic link to " + dir + ") is a directory"},
      {{"dedup", day, "--report", dir}, "--report " + dir + " is a directory"},
      {{"dedup", day, "--html", missing}, "--html " + missing + " cannot be created: its "
                                           "directory " + (tmp / "missing") + " does not exist"},
      {{"cluster", day, "-o", under_file},
       "-o " + under_file + " cannot be created: " + (tmp / "file") + " is not a directory"},
      {{"cluster", day, "-o", "/dev/null", "--html", dir}, "--html " + dir + " is a directory"},
      {{"normalize", day, "-o", dir}, "-o " + dir + " is a directory"},
      {{"stats", day, "--report", missing}, "--report " + missing + " cannot be created"},
      {{"eval", tmp / "stories.jsonl", tmp / "gold.jsonl", "-o", dir}, "-o " + dir},
      {{"tune", day, "--gold", tmp / "gold.jsonl", "-o", dir}, "-o " + dir},
      {{"report", tmp / "stories.jsonl", "-o", dir}, "-o " + dir + " is a directory"},
      {{"idf", "build", day, "-o", dir}, "-o " + dir + " is a directory"},
      {{"index", "build", day, "-o", dir}, "the index " + dir + " is a directory"},
      {{"index", "build", day, "-o", tmp / "x.idx", "-v", missing}, "-v " + missing},
  };
  for (const Case& c : cases) {
    const CliResult r = RunCli(c.args, tmp.path());
    EXPECT_EQ(r.exit_code, 2) << c.said << ": " << r.err;
    EXPECT_NE(r.err.find(c.said), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing was read or written"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(fs::is_empty(dir));
  EXPECT_FALSE(fs::exists(tmp / "missing"));
  EXPECT_FALSE(fs::exists(tmp / "x.idx"));
}

// With --state, such an output had made the run commit the day and then
// fail at the rename (exit 1). Now nothing is committed: no new generation.
TEST(CliOutputPathsTest, ClusterStateWithAnOutputThatIsADirectoryCommitsNothing) {
  const TempDir tmp;
  WriteFile(tmp / "d1.jsonl", Doc("a") + Doc("b"));
  WriteFile(tmp / "d2.jsonl", Doc("c") + Doc("d"));
  const std::string state = tmp / "state", dir = tmp / "taken";
  fs::create_directory(dir);
  ASSERT_EQ(RunCli({"cluster", tmp / "d1.jsonl", "--state", state, "-q", "-o", tmp / "o1"},
                   tmp.path())
                .exit_code,
            0);
  const std::string before = StateSnapshot(state);
  for (const std::string flag : {"-o", "--report", "--html"}) {
    std::vector<std::string> args = {"cluster", tmp / "d2.jsonl", "--state", state, flag, dir};
    if (std::string(flag) != "-o") args.insert(args.end(), {"-o", tmp / "o2"});
    const CliResult r = RunCli(args, tmp.path());
    EXPECT_EQ(r.exit_code, 2) << flag << ": " << r.err;
    EXPECT_NE(r.err.find(std::string(flag) + " " + dir + " is a directory"), std::string::npos)
        << r.err;
    EXPECT_EQ(StateSnapshot(state), before) << flag;
    EXPECT_FALSE(fs::exists(tmp / "o2")) << flag;
  }
  EXPECT_TRUE(fs::is_empty(dir));
  // The same day with good outputs is new news, not a re-run of a day the
  // refused runs committed.
  const CliResult ok = RunCli(
      {"cluster", tmp / "d2.jsonl", "--state", state, "-o", tmp / "o2"}, tmp.path());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ReadFileOrEmpty(tmp / "o2").find("\"status\":\"new\""), std::string::npos);
}

TEST(CliOutputPathsTest, DescriptorOutputsAppendToTheCallersRedirection) {
  const TempDir tmp;
  WriteFile(tmp / "in.jsonl", Doc("a") + Doc("b"));
  WriteFile(tmp / "log.jsonl", "earlier\n");
  const std::string in = ShellQuote(tmp / "in.jsonl");
  const std::string log = ShellQuote(tmp / "log.jsonl");
  ASSERT_EQ(RunShell(Cli() + " dedup " + in + " -q -o /dev/stdout >> " + log), 0);
  ASSERT_EQ(RunShell(Cli() + " dedup " + in + " -q -o /dev/fd/3 3>> " + log), 0);
  ASSERT_EQ(
      RunShell(Cli() + " stats " + in + " -q --report /dev/stderr 2>> " + log + " >/dev/null"), 0);
  const std::vector<std::string> lines = SplitLines(ReadFileOrEmpty(tmp / "log.jsonl"));
  ASSERT_EQ(lines.size(), 6u) << ReadFileOrEmpty(tmp / "log.jsonl");
  EXPECT_EQ(lines[0], "earlier");
  EXPECT_EQ(JsonField(lines[1], "id"), "a");
  EXPECT_EQ(JsonField(lines[4], "id"), "b");
  EXPECT_EQ(JsonField(lines[5], "read"), "2");
  EXPECT_EQ(tmp.List(), (std::vector<std::string>{"in.jsonl", "log.jsonl"}));
}

// `-o /dev/stdout | cat` failed making a temporary file beside "pipe:[...]".
TEST(CliOutputPathsTest, DevStdoutIntoAPipeWorks) {
  const TempDir tmp;
  WriteFile(tmp / "in.jsonl", Doc("a") + Doc("b"));
  const int piped = RunShell("{ " + Cli() + " dedup " + ShellQuote(tmp / "in.jsonl") +
                             " -q -o /dev/stdout 2>" + ShellQuote(tmp / "err") + "; echo $? >" +
                             ShellQuote(tmp / "rc") + "; } | cat >" + ShellQuote(tmp / "out"));
  ASSERT_EQ(piped, 0);
  EXPECT_EQ(ReadFileOrEmpty(tmp / "rc"), "0\n") << ReadFileOrEmpty(tmp / "err");
  EXPECT_EQ(SplitLines(ReadFileOrEmpty(tmp / "out")).size(), 2u);
  const CliResult both =
      RunCli({"dedup", tmp / "in.jsonl", "-o", "-", "--report", "/dev/stdout"}, tmp.path());
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("both write standard output"), std::string::npos) << both.err;
}

// `--pairs /dev/stdout` (--pairs taken for an option with a value) read the
// run's own standard output: a pipe there hung the run for good, a `>>` log
// was read back as input.
TEST(CliOutputPathsTest, AnInputNamingAnOutputDescriptorIsAUsageError) {
  const TempDir tmp;
  WriteFile(tmp / "in.jsonl", Doc("a"));
  const std::string in = ShellQuote(tmp / "in.jsonl");
  const std::string err = ShellQuote(tmp / "err");
  ASSERT_EQ(RunShell("{ timeout 20 " + Cli() + " dedup " + in + " -q --pairs /dev/stdout 2>" +
                     err + "; echo $? >" + ShellQuote(tmp / "rc") + "; } | cat >/dev/null"),
            0);
  EXPECT_EQ(ReadFileOrEmpty(tmp / "rc"), "2\n");
  EXPECT_NE(ReadFileOrEmpty(tmp / "err").find("/dev/stdout names standard output"),
            std::string::npos)
      << ReadFileOrEmpty(tmp / "err");
  WriteFile(tmp / "log.jsonl", Doc("b"));
  EXPECT_EQ(RunShell(Cli() + " dedup " + in + " /proc/self/fd/1 -q >> " +
                     ShellQuote(tmp / "log.jsonl") + " 2>" + err),
            2);
  EXPECT_EQ(RunShell(Cli() + " dedup " + in + " /dev/fd/3 -q -o /dev/fd/3 3>> " +
                     ShellQuote(tmp / "log.jsonl") + " 2>" + err),
            2);
  EXPECT_NE(ReadFileOrEmpty(tmp / "err").find("names descriptor 3"), std::string::npos)
      << ReadFileOrEmpty(tmp / "err");
  EXPECT_EQ(ReadFileOrEmpty(tmp / "log.jsonl"), Doc("b"));  // Nothing read back or written.
  // Standard input by name is still an input.
  EXPECT_EQ(RunShell(Cli() + " dedup /dev/stdin -q < " + in + " >/dev/null"), 0);
}

// Root reads a mode-000 directory anyway: as root the run is made as
// nobody (setpriv), so the test means the same under CI's root.
TEST(CliOutputPathsTest, UnreadableSubdirectoryIsASkippedRecordAndTheRunGoesOn) {
  const TempDir tmp;
  const std::string dir = tmp / "d";
  WriteFile(dir + "/a.jsonl", Doc("a"));
  WriteFile(dir + "/locked/b.jsonl", Doc("b"));
  WriteFile(dir + "/secret.txt", "a private note");
  WriteFile(dir + "/z.jsonl", Doc("z"));
  std::string prefix;
  if (::geteuid() == 0) {
    prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
    if (RunShell(prefix + Cli() + " --help >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "cannot run the CLI as nobody here (setpriv, or the build's permissions)";
    }
  }
  ::chmod((dir + "/locked").c_str(), 0);
  ::chmod((dir + "/secret.txt").c_str(), 0);
  const int rc = RunShell(prefix + Cli() + " dedup " + ShellQuote(dir) + " -o - >" +
                          ShellQuote(tmp / "out") + " 2>" + ShellQuote(tmp / "err"));
  ::chmod((dir + "/locked").c_str(), 0755);
  ::chmod((dir + "/secret.txt").c_str(), 0644);
  const std::string err = ReadFileOrEmpty(tmp / "err");
  ASSERT_EQ(rc, 0) << err;
  const std::vector<std::string> lines = SplitLines(ReadFileOrEmpty(tmp / "out"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(JsonField(lines[0], "id"), "a");
  EXPECT_EQ(JsonField(lines[1], "role"), "skipped");
  EXPECT_EQ(JsonField(lines[1], "reason"), "unreadable");
  EXPECT_EQ(JsonField(lines[1], "origin"), dir + "/locked");
  EXPECT_EQ(JsonField(lines[2], "origin"), dir + "/secret.txt");
  EXPECT_EQ(JsonField(lines[3], "id"), "z");
  // Each says its path once.
  EXPECT_NE(err.find("skipped " + dir + "/locked: Permission denied (unreadable)"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("skipped " + dir + "/secret.txt: Permission denied (unreadable)"),
            std::string::npos)
      << err;
}

TEST(CliOutputPathsTest, SymlinkedSubdirectoriesAreReadAndALoopEnds) {
  const TempDir tmp;
  WriteTopWithLinkToExt(tmp);
  fs::create_directory_symlink("../top", tmp / "ext/back");
  const CliResult r = RunCli({"dedup", tmp / "top", "-o", "-"}, tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(JsonField(lines[0], "id"), "a");
  EXPECT_EQ(JsonField(lines[1], "id"), "b");  // Read as top/feeds/b.jsonl.
  EXPECT_NE(r.err.find("read 2, processed 2, skipped 0"), std::string::npos) << r.err;
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// Every file a run replaces keeps the permission bits its owner gave it,
// as `sed -i` does: -o, --report, --html, an index, an IDF model, and the
// files of a state's next generation (with its directory and CURRENT). They
// all became 0644 (world-readable) at the next run.
TEST(CliOutputPathsTest, ReplacedOutputsKeepTheirPermissionBits) {
  const TempDir tmp;
  WriteFile(tmp / "in.jsonl", Doc("a") + Doc("b"));
  const std::string in = tmp / "in.jsonl";
  const std::vector<std::string> outputs = {tmp / "out.jsonl", tmp / "report.json",
                                            tmp / "page.html", tmp / "stories.jsonl",
                                            tmp / "feed.idx", tmp / "model.bin"};
  for (const std::string& o : outputs) {
    WriteFile(o, "old\n");
    ASSERT_EQ(::chmod(o.c_str(), 0600), 0);
  }
  const std::vector<std::vector<std::string>> runs = {
      {"dedup", in, "-q", "-o", tmp / "out.jsonl", "--report", tmp / "report.json"},
      {"cluster", in, "-q", "-o", tmp / "stories.jsonl", "--html", tmp / "page.html"},
      {"index", "build", in, "-q", "-o", tmp / "feed.idx"},
      {"index", "add", tmp / "feed.idx", in, "-q"},
      {"idf", "build", in, "-q", "-o", tmp / "model.bin"}};
  for (const std::vector<std::string>& args : runs) {
    const CliResult r = RunCli(args, tmp.path());
    ASSERT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
  }
  for (const std::string& o : outputs) {
    EXPECT_NE(ReadFileOrEmpty(o), "old\n") << o;
    EXPECT_EQ(ModeOf(o), 0600u) << o;
  }
  // A state made private stays private run after run.
  const std::string state = tmp / "state";
  const std::vector<std::string> day = {"cluster", in, "-q", "-o", tmp / "o.jsonl",
                                        "--state", state};
  ASSERT_EQ(RunCli(day, tmp.path()).exit_code, 0);
  ASSERT_EQ(RunShell("chmod -R go-rwx " + ShellQuote(state)), 0);
  WriteFile(tmp / "in.jsonl", Doc("a") + Doc("b") + Doc("c"));  // News: a new generation.
  const std::string before = ReadFileOrEmpty(state + "/CURRENT");
  ASSERT_EQ(RunCli(day, tmp.path()).exit_code, 0);
  ASSERT_NE(ReadFileOrEmpty(state + "/CURRENT"), before);
  for (const auto& e : fs::recursive_directory_iterator(state)) {
    const mode_t mode = ModeOf(e.path().string());
    EXPECT_EQ(mode & 077, 0u) << e.path() << " " << std::oct << mode;
  }
}

// A legal output name near NAME_MAX (255 bytes) failed: its temporary
// "<name>.tmp.<pid>.<n>" was too long.
TEST(CliOutputPathsTest, OutputNamesNearNameMaxAreWritten) {
  const TempDir tmp;
  WriteFile(tmp / "in.jsonl", Doc("a") + Doc("b"));
  const std::string jsonl = tmp / (std::string(249, 's') + ".jsonl");
  const std::string idx = tmp / (std::string(251, 'i') + ".idx");
  WriteFile(jsonl, "old\n");
  const CliResult dedup = RunCli({"dedup", tmp / "in.jsonl", "-q", "-o", jsonl}, tmp.path());
  EXPECT_EQ(dedup.exit_code, 0) << dedup.err;
  EXPECT_NE(ReadFileOrEmpty(jsonl).find("\"id\":\"a\""), std::string::npos);
  for (const char* command : {"build", "add"}) {
    std::vector<std::string> args = {"index", command};
    if (std::string(command) == "add") args.push_back(idx);
    args.insert(args.end(), {tmp / "in.jsonl", "-q"});
    if (std::string(command) == "build") args.insert(args.end(), {"-o", idx});
    const CliResult r = RunCli(args, tmp.path());
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
  }
  EXPECT_EQ(RunCli({"index", "info", idx}, tmp.path()).exit_code, 0);
  for (const auto& e : fs::directory_iterator(tmp.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
}

// A symlink loop as an output was replaced by a regular file, exit 0.
TEST(CliOutputPathsTest, ASymlinkLoopOutputIsAUsageErrorAndStaysALink) {
  const TempDir tmp;
  WriteFile(tmp / "in.jsonl", Doc("a") + Doc("b"));
  const std::string in = tmp / "in.jsonl";
  fs::create_symlink("self.jsonl", tmp / "self.jsonl");
  fs::create_symlink("b.jsonl", tmp / "a.jsonl");
  fs::create_symlink("a.jsonl", tmp / "b.jsonl");
  fs::create_symlink("x.idx", tmp / "x.idx");
  fs::create_symlink("m.bin", tmp / "m.bin");
  const std::vector<std::vector<std::string>> runs = {
      {"dedup", in, "-q", "-o", tmp / "self.jsonl"},
      {"dedup", in, "-q", "-o", tmp / "a.jsonl"},
      {"dedup", in, "-q", "--report", tmp / "a.jsonl"},
      {"cluster", in, "-q", "--html", tmp / "self.jsonl"},
      {"index", "build", in, "-q", "-o", tmp / "x.idx"},
      {"index", "add", tmp / "x.idx", in, "-q"},
      {"idf", "build", in, "-q", "-o", tmp / "m.bin"}};
  for (const std::vector<std::string>& args : runs) {
    const CliResult r = RunCli(args, tmp.path());
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("is a loop of symbolic links"), std::string::npos) << r.err;
  }
  for (const char* name : {"self.jsonl", "a.jsonl", "b.jsonl", "x.idx", "m.bin"}) {
    EXPECT_TRUE(fs::is_symlink(tmp / name)) << name;
  }
  // Nothing beside them: no output, no temporary, no x.idx.lock.
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(tmp.path())) {
    if (e.path().filename().string().rfind(".cli_run_", 0) != 0) ++files;
  }
  EXPECT_EQ(files, 6u);
}

}  // namespace
}  // namespace storysift::cli_test
