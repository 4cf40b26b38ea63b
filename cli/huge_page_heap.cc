#include "huge_page_heap.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "ingest/reader_internal.h"
#include "pipeline/huge_pages.h"

namespace storysift::cli {
namespace {

#if defined(STORYSIFT_CLI_JEMALLOC)
constexpr HugePageHeapSetting kHeapSetting = {"MALLOC_CONF", "thp", "thp:always", ','};
#else
constexpr HugePageHeapSetting kHeapSetting = {"GLIBC_TUNABLES", "glibc.malloc.hugetlb",
                                              "glibc.malloc.hugetlb=1", ':'};
#endif

// Whether `value` (items joined by the separator) has an item for the
// setting's name: "thp:never" does, "metadata_thp:auto" does not.
bool NamesSetting(std::string_view value, const HugePageHeapSetting& s) {
  const std::string_view name = s.name;
  const char assign = s.setting[name.size()];  // ':' or '=', as the setting writes it.
  while (!value.empty()) {
    const size_t end = value.find(s.separator);
    const std::string_view item = value.substr(0, end);
    if (item.size() > name.size() && item.substr(0, name.size()) == name &&
        item[name.size()] == assign) {
      return true;
    }
    if (end == std::string_view::npos) break;
    value.remove_prefix(end + 1);
  }
  return false;
}

// Below this much input the heap's arrays span too little for the TLB to
// matter, and a fresh 2 MiB page costs its whole zeroing at first touch
// (docs/performance.md, session 18).
constexpr uint64_t kLargeInputBytes = uint64_t{512} << 20;
// A compressed input is counted at this many times its size on disk.
constexpr uint64_t kCompressedRatio = 4;

}  // namespace

bool MayReadLargeInput(int argc, char** argv) {
  uint64_t bytes = 0;
  bool named_a_file = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-") return true;  // Standard input: its size is unknown.
    if (arg.empty() || arg[0] == '-') continue;
    struct stat st;
    if (stat(argv[i], &st) != 0) continue;  // A subcommand, a flag's value.
    if (S_ISFIFO(st.st_mode)) return true;
    if (!S_ISREG(st.st_mode)) continue;
    named_a_file = true;
    const auto size = static_cast<uint64_t>(st.st_size);
    const bool compressed = internal::StripCompressionSuffix(arg).size() != arg.size();
    bytes += compressed ? size * kCompressedRatio : size;
  }
  // No file named: the input comes from standard input.
  return !named_a_file || bytes >= kLargeInputBytes;
}

HugePageHeapSetting HeapSetting() { return kHeapSetting; }

void StartWithHugePageHeap(int argc, char** argv) {
#if defined(__linux__) && defined(__GLIBC__)
  const char* opt_out = std::getenv("STORYSIFT_HUGE_PAGE_HEAP");
  if (opt_out != nullptr && std::strcmp(opt_out, "0") == 0) return;
  const HugePageHeapSetting& heap = kHeapSetting;
  const char* old = std::getenv(heap.variable);
  if (old != nullptr && NamesSetting(old, heap)) return;
  if (!internal::TransparentHugePagesOn()) return;
  if (!MayReadLargeInput(argc, argv)) return;
  // The binary's own path, not /proc/self/exe: the process is named after
  // what it executes (ps would list "exe").
  char self[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (length <= 0) return;
  self[length] = '\0';
  const bool had_settings = old != nullptr;
  const std::string kept = had_settings ? old : "";  // setenv may free `old`.
  const std::string settings =
      (kept.empty() ? "" : kept + heap.separator) + std::string(heap.setting);
  if (setenv(heap.variable, settings.c_str(), 1) != 0) return;
  execv(self, argv);
  // Still here: the exec failed. The run goes on with the heap as it is.
  if (had_settings) {
    setenv(heap.variable, kept.c_str(), 1);
  } else {
    unsetenv(heap.variable);
  }
#else
  (void)argc;
  (void)argv;
#endif
}

}  // namespace storysift::cli
