#include "huge_page_heap.h"

#include <limits.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "pipeline/huge_pages.h"

namespace storysift::cli {
namespace {

constexpr char kTunable[] = "glibc.malloc.hugetlb";

}  // namespace

void StartWithHugePageHeap(char** argv) {
#if defined(__linux__) && defined(__GLIBC__)
  const char* opt_out = std::getenv("STORYSIFT_HUGE_PAGE_HEAP");
  if (opt_out != nullptr && std::strcmp(opt_out, "0") == 0) return;
  const char* old = std::getenv("GLIBC_TUNABLES");
  if (old != nullptr && std::strstr(old, kTunable) != nullptr) return;
  if (!internal::TransparentHugePagesOn()) return;
  // The binary's own path, not /proc/self/exe: the process is named after
  // what it executes (ps would list "exe").
  char self[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (length <= 0) return;
  self[length] = '\0';
  const bool had_tunables = old != nullptr;
  const std::string kept = had_tunables ? old : "";  // setenv may free `old`.
  const std::string tunables =
      (kept.empty() ? "" : kept + ":") + std::string(kTunable) + "=1";
  if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  execv(self, argv);
  // Still here: the exec failed. The run goes on with the heap as it is.
  if (had_tunables) {
    setenv("GLIBC_TUNABLES", kept.c_str(), 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
#else
  (void)argv;
#endif
}

}  // namespace storysift::cli
