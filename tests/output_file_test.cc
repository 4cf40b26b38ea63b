#include "io/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/byte_stream.h"
#include "temp_dir.h"

namespace storysift {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(OutputFileTest, NothingAppearsUnderFinalNameBeforeCommit) {
  const testing_util::TempDir tmp;
  const std::string path = tmp / "out_commit.jsonl";
  std::filesystem::remove(path);
  auto out = OutputFile::Open(path);
  ASSERT_TRUE(out.ok()) << out.status();
  (*out)->WriteLine("{\"a\":1}");
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE((*out)->Commit().ok());
  EXPECT_EQ(ReadFile(path), "{\"a\":1}\n");
}

TEST(OutputFileTest, AbandonedOutputLeavesPreviousFileIntact) {
  const testing_util::TempDir tmp;
  const std::string path = tmp / "out_abandon.jsonl";
  ASSERT_TRUE(WriteFileAtomically(path, "old\n").ok());
  {
    auto out = OutputFile::Open(path);
    ASSERT_TRUE(out.ok());
    (*out)->Write("half-writ");
  }  // Destroyed without Commit(), as when a run fails midway.
  EXPECT_EQ(ReadFile(path), "old\n");
  for (const auto& entry : std::filesystem::directory_iterator(tmp.path())) {
    EXPECT_EQ(entry.path().string().find("out_abandon.jsonl.tmp"), std::string::npos);
  }
}

TEST(OutputFileTest, MissingDirectoryIsNotFound) {
  auto out = OutputFile::Open("/nonexistent-dir-storysift/x.jsonl");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(out.status().message().find("nonexistent-dir-storysift"), absl::string_view::npos);
}

// A descriptor of its own (not 0-2), open on `path` for appending.
int OpenForAppend(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return -1;
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 20);
  ::close(fd);
  return high;
}

ino_t InodeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// `-o /dev/stdout >> log` and `/dev/fd/N` opened by the shell with `N>>`:
// the output goes through the caller's descriptor, so it appends, and the
// file behind it is never renamed over (that lost the log's earlier lines).
TEST(OutputFileTest, DescriptorPathsAppendThroughTheOpenDescriptor) {
  const testing_util::TempDir tmp;
  const std::string log = tmp.Write("log.jsonl", "old\n");
  const ino_t inode = InodeOf(log);
  const int fd = OpenForAppend(log);
  ASSERT_GE(fd, 0);
  for (const std::string& path :
       {"/dev/fd/" + std::to_string(fd), "/proc/self/fd/" + std::to_string(fd)}) {
    auto out = OutputFile::Open(path);
    ASSERT_TRUE(out.ok()) << path << ": " << out.status();
    (*out)->WriteLine(path);
    ASSERT_TRUE((*out)->Commit().ok()) << path;
  }
  ::close(fd);
  EXPECT_EQ(ReadFile(log),
            "old\n/dev/fd/" + std::to_string(fd) + "\n/proc/self/fd/" + std::to_string(fd) + "\n");
  EXPECT_EQ(InodeOf(log), inode);
  EXPECT_EQ(tmp.List(), std::vector<std::string>{"log.jsonl"});  // No temporary file.
}

// A symlink to /dev/fd/N is the descriptor too.
TEST(OutputFileTest, SymlinkToADescriptorPathIsTheDescriptor) {
  const testing_util::TempDir tmp;
  const std::string log = tmp.Write("log.jsonl", "old\n");
  const int fd = OpenForAppend(log);
  ASSERT_GE(fd, 0);
  std::filesystem::create_symlink("/dev/fd/" + std::to_string(fd), tmp / "out.jsonl");
  auto out = OutputFile::Open(tmp / "out.jsonl");
  ASSERT_TRUE(out.ok()) << out.status();
  (*out)->WriteLine("new");
  ASSERT_TRUE((*out)->Commit().ok());
  ::close(fd);
  EXPECT_EQ(ReadFile(log), "old\nnew\n");
  EXPECT_TRUE(std::filesystem::is_symlink(tmp / "out.jsonl"));
}

// `-o /dev/stdout | cat`: the descriptor is a pipe, which has no directory
// to make a temporary file in (that was "cannot create pipe:[...].tmp").
TEST(OutputFileTest, DescriptorPathOnAPipeWritesIntoThePipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  auto out = OutputFile::Open("/dev/fd/" + std::to_string(fds[1]));
  ASSERT_TRUE(out.ok()) << out.status();
  (*out)->WriteLine("through");
  ASSERT_TRUE((*out)->Commit().ok());
  ::close(fds[1]);  // Our copy is closed by Commit(): the pipe ends here.
  std::string got;
  char buf[64];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) got.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  EXPECT_EQ(got, "through\n");
}

TEST(OutputFileTest, DescriptorPathThatIsNotOpenIsAnErrorNamingIt) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  ::close(fds[1]);  // Now a number no descriptor has.
  const std::string path = "/dev/fd/" + std::to_string(fds[1]);
  auto out = OutputFile::Open(path);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find(path), absl::string_view::npos) << out.status();
}

TEST(OutputFileTest, DevStdoutAndDashAreOneOutput) {
  const absl::Status s = CheckOutputPaths({{"-o", "-"}, {"--report", "/dev/stdout"}}, {});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("standard output"), absl::string_view::npos) << s;
  EXPECT_TRUE(CheckOutputPaths({{"-o", "-"}, {"--report", "/dev/stderr"}}, {}).ok());
  EXPECT_TRUE(CheckOutputPaths({{"-o", "/dev/null"}, {"--report", "/dev/null"}}, {}).ok());
}

// An output written inside a directory input is read back as input by the
// next run (a report.html as an article): refused, existing or not.
TEST(OutputFileTest, OutputInsideAnInputDirectoryIsRefused) {
  const testing_util::TempDir tmp;
  const std::string day = tmp / "day";
  tmp.Write("day/feed.jsonl", "{\"text\":\"a\"}\n");
  tmp.Write("day/sub/old.jsonl", "{\"text\":\"b\"}\n");
  const std::vector<NamedPath> inputs = {{"an input", day}};
  for (const std::string& out : {day + "/report.html", day + "/sub/old.jsonl",
                                 day + "/sub/new/x.jsonl", day + "/../day/kept.jsonl"}) {
    const absl::Status s = CheckOutputPaths({{"-o", "-"}, {"--html", out}}, inputs);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << out;
    EXPECT_NE(s.message().find("--html " + out + " is inside the input directory " + day),
              absl::string_view::npos)
        << s;
  }
  EXPECT_FALSE(std::filesystem::exists(day + "/report.html"));
  // Beside the directory is fine; inside a directory read as a whole (a
  // state directory, whose files storysift manages) is not.
  EXPECT_TRUE(CheckOutputPaths({{"-o", tmp / "kept.jsonl"}}, inputs).ok());
  EXPECT_EQ(CheckOutputPaths({{"-o", day + "/x"}}, {{"a state", day, false}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckOutputPaths({{"-o", tmp / "x"}}, {{"a state", day, false}}).ok());
  EXPECT_TRUE(CheckOutputPaths({{"-o", "/dev/null"}}, {{"an input", "/dev"}}).ok());
  // A file input's directory is not an input directory.
  EXPECT_TRUE(
      CheckOutputPaths({{"-o", day + "/out.jsonl"}}, {{"an input", day + "/feed.jsonl"}}).ok());
}

TEST(OutputFileTest, OutputInsideAnInputDirectoryIsRefusedThroughSymlinks) {
  const testing_util::TempDir tmp;
  tmp.Write("top/a.jsonl", "{\"text\":\"a\"}\n");
  tmp.Write("ext/b.jsonl", "{\"text\":\"b\"}\n");
  std::filesystem::create_directory_symlink("../ext", tmp / "top/feeds");
  std::filesystem::create_directory_symlink(tmp / "top", tmp / "alias");
  std::filesystem::create_symlink(tmp / "top/out.jsonl", tmp / "out-link.jsonl");
  std::filesystem::create_symlink(tmp / "elsewhere.jsonl", tmp / "top/latest.jsonl");
  const std::vector<NamedPath> inputs = {{"an input", tmp / "top"}};
  // The output names the directory through a link, is a link into it, or
  // is a link in it (the walk reads top/latest.jsonl, wherever it leads).
  for (const std::string& out :
       {tmp / "alias/out.jsonl", tmp / "out-link.jsonl", tmp / "top/latest.jsonl"}) {
    const absl::Status s = CheckOutputPaths({{"-o", out}}, inputs);
    EXPECT_NE(s.message().find("is inside the input directory " + (tmp / "top")),
              absl::string_view::npos)
        << out << ": " << s;
  }
  // The walk of top follows top/feeds into ext: ext is read as input too.
  const absl::Status s = CheckOutputPaths({{"-o", tmp / "ext/out.jsonl"}}, inputs);
  EXPECT_NE(s.message().find("-o " + (tmp / "ext/out.jsonl") + " is inside " + (tmp / "top") +
                             "/feeds, which the input directory " + (tmp / "top") +
                             " reaches through a symbolic link"),
            absl::string_view::npos)
      << s;
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// As `sed -i` and editors do: a replaced file keeps the permission bits its
// owner gave it (a private 0600 output stayed world-readable 0644 before).
TEST(OutputFileTest, ReplacingAFileKeepsItsPermissionBits) {
  const testing_util::TempDir tmp;
  const std::string path = tmp / "private.jsonl";
  for (const mode_t mode : {0600, 0640, 0664, 0444}) {
    ASSERT_TRUE(WriteFileAtomically(path, "old\n").ok());
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    ASSERT_TRUE(WriteFileAtomically(path, "new\n").ok());
    EXPECT_EQ(ModeOf(path), mode);
    EXPECT_EQ(ReadFile(path), "new\n");
  }
  // Through a symlink: the target is replaced and keeps its mode.
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  std::filesystem::create_symlink("private.jsonl", tmp / "link.jsonl");
  ASSERT_TRUE(WriteFileAtomically(tmp / "link.jsonl", "linked\n").ok());
  EXPECT_TRUE(std::filesystem::is_symlink(tmp / "link.jsonl"));
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ReadFile(path), "linked\n");
  // A new file gets the umask's mode.
  const mode_t umask = ::umask(022);
  ASSERT_TRUE(WriteFileAtomically(tmp / "fresh.jsonl", "x\n").ok());
  ::umask(umask);
  EXPECT_EQ(ModeOf(tmp / "fresh.jsonl"), 0644u);
}

TEST(OutputFileTest, RootReplacingAnotherUsersFileGivesItBack) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root can give a file to another user";
  const testing_util::TempDir tmp;
  const std::string path = tmp / "theirs.jsonl";
  ASSERT_TRUE(WriteFileAtomically(path, "old\n").ok());
  ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  ASSERT_TRUE(WriteFileAtomically(path, "new\n").ok());
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 65534u);
  EXPECT_EQ(st.st_gid, 65534u);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

// Names of the files in `dir` that start with `prefix`.
std::vector<std::string> NamesStartingWith(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) == 0) names.push_back(name);
  }
  return names;
}

// A writer that dies before its commit (a child that exits without one)
// leaves its temporary file; returns its name.
std::string TempLeftByADeadWriter(const std::string& dir, const std::string& target) {
  const pid_t child = ::fork();
  if (child == 0) {
    auto out = OutputFile::Open(target);
    if (!out.ok()) ::_exit(1);
    (*out)->Write("half");
    (void)(*out)->Sync();
    ::_exit(0);  // No Commit, no destructor: as a crash.
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::vector<std::string> temps;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(".tmp.") != std::string::npos) temps.push_back(name);
  }
  EXPECT_EQ(temps.size(), 1u);
  return temps.empty() ? "" : temps[0];
}

// A legal name within the temp suffix's length of NAME_MAX (255) could not
// be written ("File name too long" for <name>.tmp.<pid>.<n>): the temp
// name is shortened with a hash, and stale ones are still found.
TEST(OutputFileTest, NamesNearNameMaxAreWrittenAndTheirStaleTempsRemoved) {
  const testing_util::TempDir tmp;
  const std::string long_name = std::string(249, 's') + ".jsonl";  // 255 bytes.
  const std::string sibling = std::string(249, 's') + ".jsonx";    // Same first 249.
  for (const std::string& name : {long_name, sibling, std::string(244, 'e') + ".jsonl"}) {
    ASSERT_TRUE(WriteFileAtomically(tmp / name, "v1\n").ok()) << name.size();
    EXPECT_EQ(ReadFile(tmp / name), "v1\n");
  }
  const std::string stale = TempLeftByADeadWriter(tmp.path(), tmp / long_name);
  ASSERT_FALSE(stale.empty());
  EXPECT_LE(stale.size(), 255u);
  EXPECT_EQ(stale.compare(0, 100, long_name, 0, 100), 0) << stale;  // Recognisably its.
  // The sibling's writers leave it alone; the target's own next writer
  // removes it (its writer is dead), as RemoveOrphanTempFiles does.
  ASSERT_TRUE(WriteFileAtomically(tmp / sibling, "v2\n").ok());
  EXPECT_TRUE(std::filesystem::exists(tmp / stale));
  RemoveOrphanTempFiles(tmp / sibling);
  EXPECT_TRUE(std::filesystem::exists(tmp / stale));
  ASSERT_TRUE(WriteFileAtomically(tmp / long_name, "v2\n").ok());
  EXPECT_FALSE(std::filesystem::exists(tmp / stale));
  EXPECT_EQ(ReadFile(tmp / long_name), "v2\n");
  const std::string again = TempLeftByADeadWriter(tmp.path(), tmp / long_name);
  RemoveOrphanTempFiles(tmp / long_name);
  EXPECT_FALSE(std::filesystem::exists(tmp / again));
  // A multi-byte character is not cut in two: after "x", each "é" (two
  // bytes) starts at an odd offset.
  std::string accented = "x";
  while (accented.size() < 240) accented += "\xc3\xa9";
  accented += ".jsonl";
  const std::string temp = TempLeftByADeadWriter(tmp.path(), tmp / accented);
  ASSERT_FALSE(temp.empty());
  const size_t tilde = temp.find('~');
  ASSERT_NE(tilde, std::string::npos) << temp;
  EXPECT_EQ(tilde % 2, 1u) << temp;  // "x" and whole characters before it.
  RemoveOrphanTempFiles(tmp / accented);
  EXPECT_TRUE(NamesStartingWith(tmp.path(), temp).empty());
}

// README: "a symlink is followed (its target is replaced, the link stays)".
// A loop leads to no target: writing through it had replaced the link.
TEST(OutputFileTest, ASymlinkLoopIsRefusedAndLeftAsItIs) {
  const testing_util::TempDir tmp;
  std::filesystem::create_symlink("self.jsonl", tmp / "self.jsonl");
  std::filesystem::create_symlink("b.jsonl", tmp / "a.jsonl");
  std::filesystem::create_symlink("a.jsonl", tmp / "b.jsonl");
  std::filesystem::create_directory_symlink("loopdir", tmp / "loopdir");
  for (const std::string& path :
       {tmp / "self.jsonl", tmp / "a.jsonl", tmp / "loopdir/out.jsonl"}) {
    auto out = OutputFile::Open(path);
    ASSERT_FALSE(out.ok()) << path;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << out.status();
    EXPECT_NE(out.status().message().find(path + " is a loop of symbolic links"),
              absl::string_view::npos)
        << out.status();
    const absl::Status checked = CheckOutputPaths({{"-o", path}}, {});
    EXPECT_NE(checked.message().find("-o " + path + " is a loop of symbolic links"),
              absl::string_view::npos)
        << checked;
  }
  EXPECT_TRUE(std::filesystem::is_symlink(tmp / "self.jsonl"));
  EXPECT_TRUE(std::filesystem::is_symlink(tmp / "a.jsonl"));
  EXPECT_TRUE(std::filesystem::is_symlink(tmp / "b.jsonl"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(tmp.path()),
                          std::filesystem::directory_iterator()),
            4);  // Nothing written beside them.
}


// The name asks for the compression: the file holds the codec's stream of
// exactly what was written, and reads back through the input layer's
// decompression; other names stay plain.
TEST(OutputFileTest, AFileIsCompressedAsItsNameAsks) {
  const testing_util::TempDir tmp;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "{\"line\":" + std::to_string(i) + "}\n";
  for (const auto& [name, magic] : std::vector<std::pair<std::string, std::string>>{
           {"out.jsonl.gz", "\x1f\x8b"},
           {"out.jsonl.GZ", "\x1f\x8b"},
           {"out.jsonl.zst", "\x28\xb5\x2f\xfd"},
           {"out.jsonl.zstd", "\x28\xb5\x2f\xfd"},
           {"out.jsonl.xz", std::string("\xfd" "7zXZ\0", 6)},
           {"out.jsonl", "{"}}) {
    auto out = OutputFile::Open(tmp / name);
    ASSERT_TRUE(out.ok()) << out.status();
    // In uneven pieces: the codec sees the same bytes however they come.
    for (size_t at = 0; at < text.size(); at += 7777) (*out)->Write(text.substr(at, 7777));
    ASSERT_TRUE((*out)->Commit().ok()) << name;
    const std::string bytes = ReadFile(tmp / name);
    EXPECT_TRUE(bytes.starts_with(magic)) << name;
    if (name != "out.jsonl") {
      EXPECT_LT(bytes.size(), text.size() / 4) << name;
    }
    absl::StatusOr<std::string> back = internal::DecompressWholeFile(bytes, name);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TRUE(*back == text) << name;
  }
  // Nothing written is still a valid (empty) compressed file.
  ASSERT_TRUE(WriteFileAtomically(tmp / "empty.gz", "").ok());
  EXPECT_EQ(internal::DecompressWholeFile(ReadFile(tmp / "empty.gz"), "empty.gz").value(), "");
}

// The same bytes written in other pieces give the same file.
TEST(OutputFileTest, ACompressedFileDependsOnItsBytesAlone) {
  const testing_util::TempDir tmp;
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "line " + std::to_string(i * 31 % 977) + "\n";
  for (const std::string suffix : {".gz", ".zst", ".xz"}) {
    std::string first;
    for (size_t piece : {size_t{1} << 20, size_t{13}, size_t{4096}}) {
      const std::string path = tmp / ("p" + std::to_string(piece) + suffix);
      auto out = OutputFile::Open(path);
      ASSERT_TRUE(out.ok()) << out.status();
      for (size_t at = 0; at < text.size(); at += piece) (*out)->Write(text.substr(at, piece));
      ASSERT_TRUE((*out)->Commit().ok());
      if (first.empty()) first = ReadFile(path);
      EXPECT_TRUE(ReadFile(path) == first) << suffix << " in pieces of " << piece;
    }
  }
}

// EndMember makes gzip members (a .warc.gz holds a record each); the other
// formats ignore it.
TEST(OutputFileTest, EndMemberStartsANewGzipMember) {
  const testing_util::TempDir tmp;
  for (const std::string name : {"m.gz", "m.zst", "m.txt"}) {
    auto out = OutputFile::Open(tmp / name);
    ASSERT_TRUE(out.ok());
    (*out)->Write("first\n");
    (*out)->EndMember();
    (*out)->EndMember();  // Nothing since the last: no empty member.
    (*out)->Write("second\n");
    ASSERT_TRUE((*out)->Commit().ok());
    const std::string bytes = ReadFile(tmp / name);
    EXPECT_EQ(internal::DecompressWholeFile(bytes, name).value(), "first\nsecond\n") << name;
    if (name == "m.gz") {
      EXPECT_NE(bytes.find("\x1f\x8b\x08", 2), std::string::npos) << "a second member";
    }
  }
}

// Paths that cannot be written as a file are refused up front, naming the
// flag; a --state directory (directory = true) is not a file to write.
TEST(OutputFileTest, AnOutputThatCannotBeAFileIsRefused) {
  const testing_util::TempDir tmp;
  tmp.Write("file", "x");
  std::filesystem::create_directory(tmp / "dir");
  std::filesystem::create_symlink(tmp / "dir", tmp / "link");
  std::filesystem::create_symlink(tmp / "nowhere/x", tmp / "dangling");
  for (const auto& [path, said] : std::vector<std::pair<std::string, std::string>>{
           {tmp / "dir", "-o " + (tmp / "dir") + " is a directory"},
           {tmp / "dir/", "-o " + (tmp / "dir/") + " is a directory"},
           {tmp / "link", "-o " + (tmp / "link") + " (a symbolic link to " + (tmp / "dir") +
                              ") is a directory"},
           {tmp / "no/x", "its directory " + (tmp / "no") + " does not exist"},
           {tmp / "dangling", "its directory " + (tmp / "nowhere") + " does not exist"},
           {tmp / "file/x", (tmp / "file") + " is not a directory"},
       }) {
    const absl::Status s = CheckOutputPaths({{"-o", path}}, {});
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_NE(s.message().find(said), absl::string_view::npos) << s;
  }
  NamedPath state{"--state", tmp / "dir"};
  state.directory = true;
  EXPECT_TRUE(CheckOutputPaths({state, {"-o", tmp / "dir/../out"}}, {}).ok());
  EXPECT_TRUE(CheckOutputPaths({{"-o", "-"}, {"--report", "/dev/null"}}, {}).ok());
  EXPECT_TRUE(CheckOutputPaths({{"-o", tmp / "dangling-new"}}, {}).ok());
}

}  // namespace
}  // namespace storysift
