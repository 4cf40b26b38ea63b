// The CLI starts itself once more with its allocator's heap in transparent
// huge pages (cli/huge_page_heap.h): jemalloc's MALLOC_CONF where it is built
// with jemalloc, else glibc's GLIBC_TUNABLES. Seen from outside: the running
// process's own environment (/proc/PID/environ) holds the setting, after the
// user's own settings, and the run then does its job. (Every other CLI test
// runs the binary the same way, so their outputs cover the second start too.)
// Only a run that may read a large input starts again: MayReadLargeInput on
// named files of known sizes.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "huge_page_heap.h"
#include "pipeline/huge_pages.h"
#include "temp_dir.h"

namespace {

using storysift::cli::HeapSetting;
using storysift::cli::MayReadLargeInput;
using storysift::internal::TransparentHugePagesOn;
using storysift::testing_util::ReadFileOrEmpty;

const bool kJemalloc = std::string(HeapSetting().variable) == "MALLOC_CONF";
// "MALLOC_CONF=" or "GLIBC_TUNABLES=".
const std::string kVariable = std::string(HeapSetting().variable) + "=";
const std::string kHugePageSetting = HeapSetting().setting;
// Another setting of the same allocator, and the huge-page one turned off.
const std::string kOtherSetting = kJemalloc ? "narenas:4" : "glibc.malloc.tcache_count=7";
const std::string kHugePagesOff = kJemalloc ? "thp:never" : "glibc.malloc.hugetlb=0";
// Whether `env` holds the variable with `first`, then the huge-page setting.
// glibc 2.36 ends each tunable's value in place as it reads them, so the ':'
// may read as the end of the variable: both read as a line break here.
bool HoldsSettingAfter(std::string env, const std::string& first) {
  if (!kJemalloc) std::replace(env.begin(), env.end(), ':', '\n');
  const std::string joined = kJemalloc ? "," : "\n";
  return env.find(kVariable + first + joined + kHugePageSetting + "\n") != std::string::npos;
}

constexpr char kDocument[] = "{\"id\":\"a\",\"text\":\"One small document about a harbour.\"}\n";

// `storysift dedup -` with this environment plus `extra` ("NAME=value";
// a NAME given there replaces this environment's), stdin a pipe held open
// so that the process waits for its input.
class WaitingCli {
 public:
  explicit WaitingCli(const std::vector<std::string>& extra) {
    std::vector<std::string> env = extra;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string var = *e;
      const std::string name = var.substr(0, var.find('='));
      bool replaced = false;
      for (const std::string& x : extra) replaced |= x.rfind(name + "=", 0) == 0;
      if (!replaced) env.push_back(var);
    }
    // Built before fork: the child may only exec (the test process has threads).
    std::vector<char*> envp;
    for (std::string& var : env) envp.push_back(var.data());
    envp.push_back(nullptr);
    std::string path = STORYSIFT_CLI_PATH, cmd = "dedup", from_stdin = "-", quiet = "--quiet";
    char* argv[] = {path.data(), cmd.data(), quiet.data(), from_stdin.data(), nullptr};
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[0], STDIN_FILENO);
      const int null_fd = open("/dev/null", O_WRONLY);
      dup2(null_fd, STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execve(argv[0], argv, envp.data());
      _exit(127);
    }
    close(fds[0]);
    stdin_fd_ = fds[1];
  }
  ~WaitingCli() {
    if (stdin_fd_ >= 0) close(stdin_fd_);
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  bool started() const { return pid_ > 0 && stdin_fd_ >= 0; }
  pid_t pid() const { return pid_; }

  // The process's environment now, one variable a line.
  std::string Environment() const {
    std::string env = ReadFileOrEmpty("/proc/" + std::to_string(pid_) + "/environ");
    std::replace(env.begin(), env.end(), '\0', '\n');
    return env;
  }

  // The environment once it holds `wanted`, or after ten seconds.
  std::string EnvironmentHolding(const std::string& wanted) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string env = Environment();
    while (env.find(wanted) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      env = Environment();
    }
    return env;
  }

  // Sends one document, ends the input and returns the exit code (-1: no
  // normal exit).
  int FinishWithOneDocument() {
    const ssize_t n = static_cast<ssize_t>(sizeof(kDocument) - 1);
    const bool written = write(stdin_fd_, kDocument, sizeof(kDocument) - 1) == n;
    close(stdin_fd_);
    stdin_fd_ = -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    return written && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  bool waited_ = false;
};

TEST(CliHugePageHeapTest, RunsWithTheSettingAddedToTheUsersOwn) {
  if (!TransparentHugePagesOn()) GTEST_SKIP() << "transparent huge pages are off here";
  WaitingCli cli({kVariable + kOtherSetting});
  ASSERT_TRUE(cli.started());
  const std::string env = cli.EnvironmentHolding(kHugePageSetting);
  EXPECT_TRUE(HoldsSettingAfter(env, kOtherSetting)) << env;
  EXPECT_EQ(cli.FinishWithOneDocument(), 0);
}

TEST(CliHugePageHeapTest, RunsWithTheSettingWhenTheUserSetNone) {
  if (!TransparentHugePagesOn()) GTEST_SKIP() << "transparent huge pages are off here";
  WaitingCli cli({kVariable});
  ASSERT_TRUE(cli.started());
  const std::string wanted = kVariable + kHugePageSetting + "\n";
  EXPECT_NE(cli.EnvironmentHolding(wanted).find(wanted), std::string::npos);
  // Named after its binary, as before the second start.
  EXPECT_EQ(ReadFileOrEmpty("/proc/" + std::to_string(cli.pid()) + "/comm"), "storysift\n");
  EXPECT_EQ(cli.FinishWithOneDocument(), 0);
}

TEST(CliHugePageHeapTest, UsersOwnHugePageChoiceIsKept) {
  WaitingCli cli({kVariable + kHugePagesOff});
  ASSERT_TRUE(cli.started());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // Time to start again, if it did.
  const std::string env = cli.Environment();
  EXPECT_NE(env.find(kVariable + kHugePagesOff + "\n"), std::string::npos) << env;
  EXPECT_EQ(env.find(kHugePageSetting), std::string::npos) << env;
  EXPECT_EQ(cli.FinishWithOneDocument(), 0);
}

// A setting whose name merely ends in the huge-page setting's name is not
// the user's choice of it: the CLI still starts again with its own.
TEST(CliHugePageHeapTest, ASettingWithALongerNameIsNotTheChoice) {
  if (!TransparentHugePagesOn()) GTEST_SKIP() << "transparent huge pages are off here";
  // glibc ignores a tunable it does not know.
  const std::string longer = kJemalloc ? "metadata_thp:auto" : "glibc.malloc.hugetlbx=0";
  WaitingCli cli({kVariable + longer});
  ASSERT_TRUE(cli.started());
  const std::string env = cli.EnvironmentHolding(kHugePageSetting);
  EXPECT_TRUE(HoldsSettingAfter(env, longer)) << env;
  EXPECT_EQ(cli.FinishWithOneDocument(), 0);
}

TEST(CliHugePageHeapTest, OptOutStartsOnce) {
  WaitingCli cli({"STORYSIFT_HUGE_PAGE_HEAP=0", kVariable});
  ASSERT_TRUE(cli.started());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(cli.Environment().find(kHugePageSetting), std::string::npos);
  EXPECT_EQ(cli.FinishWithOneDocument(), 0);
}

// The CLI's allocator is the one its build names: jemalloc prints its
// statistics at exit when MALLOC_CONF asks, glibc's malloc ignores that.
TEST(CliHugePageHeapTest, CliRunsOnTheAllocatorItIsBuiltWith) {
  const std::string command = std::string("MALLOC_CONF=stats_print:true ") +
                              "STORYSIFT_HUGE_PAGE_HEAP=0 " + STORYSIFT_CLI_PATH +
                              " --version 2>&1";
  FILE* out = popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  std::string text;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof(buf), out)) > 0;) text.append(buf, n);
  ASSERT_EQ(pclose(out), 0) << text;
  EXPECT_NE(text.find("storysift"), std::string::npos) << text;
  EXPECT_EQ(text.find("jemalloc statistics") != std::string::npos, kJemalloc) << text;
}

// A file of `bytes` that takes no disk space (a hole).
std::string SparseFile(const storysift::testing_util::TempDir& dir, const std::string& name,
                       off_t bytes) {
  const std::string path = dir.Write(name, "");
  EXPECT_EQ(truncate(path.c_str(), bytes), 0);
  return path;
}

bool MayReadLarge(std::vector<std::string> args) {
  args.insert(args.begin(), "storysift");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return MayReadLargeInput(static_cast<int>(args.size()), argv.data());
}

TEST(CliHugePageHeapTest, OnlyALargeOrUnknownInputAsksForTheHugePageHeap) {
  storysift::testing_util::TempDir dir;
  const std::string small = dir.Write("day.jsonl", kDocument);
  const off_t mib = off_t{1} << 20;
  const std::string big = SparseFile(dir, "big.jsonl", 600 * mib);
  const std::string mid = SparseFile(dir, "mid.jsonl", 200 * mib);
  const std::string mid_gz = SparseFile(dir, "mid.jsonl.gz", 200 * mib);
  // A day's dump, with flags, a subcommand and a directory beside it.
  EXPECT_FALSE(MayReadLarge({"cluster", "--threads", "2", "--state", dir.path(), small}));
  EXPECT_FALSE(MayReadLarge({"dedup", mid, small}));
  EXPECT_TRUE(MayReadLarge({"dedup", big}));
  EXPECT_TRUE(MayReadLarge({"dedup", mid, SparseFile(dir, "more.jsonl", 400 * mib)}));
  EXPECT_TRUE(MayReadLarge({"dedup", mid_gz}));  // Counted at four times its size.
  // Sizes unknown: standard input, named or not, and a pipe.
  EXPECT_TRUE(MayReadLarge({"dedup", small, "-"}));
  EXPECT_TRUE(MayReadLarge({"dedup", "--quiet"}));
  const std::string fifo = dir / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_TRUE(MayReadLarge({"dedup", fifo}));
}

}  // namespace
