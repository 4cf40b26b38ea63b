// The allocator's heap in transparent huge pages, for the whole run. The
// allocator reads its settings only when a process starts, so the CLI starts
// itself once more with the setting added to the environment: jemalloc's
// thp:always in MALLOC_CONF where the CLI is linked with jemalloc (the
// default build), else glibc's glibc.malloc.hugetlb=1 in GLIBC_TUNABLES. At
// 1M documents `cluster` took 0.87-0.92x the wall time with glibc (page
// faults 616k -> 105k; the arrays read at random had most of their TLB
// misses go), and 0.97x with jemalloc (one pair); at 20k none when runs
// follow each other, and 1.06x when the memory is fresh (a 2 MiB page is
// zeroed whole at its first touch): so only for large inputs
// (docs/performance.md, sessions 15, 18 and 19).
#ifndef STORYSIFT_CLI_HUGE_PAGE_HEAP_H_
#define STORYSIFT_CLI_HUGE_PAGE_HEAP_H_

namespace storysift::cli {

// Whether the command line may read a large input: it names standard input
// ("-") or a pipe, or no file at all (then it reads standard input), or
// regular files of 512 MiB or more (compressed ones counted at four times
// their size). Arguments that name no file are ignored.
bool MayReadLargeInput(int argc, char** argv);

// The allocator setting that puts the heap in huge pages, as this build's
// allocator reads it: its environment variable, the setting's name, and the
// setting, the name followed by its assignment ("thp:always" in
// "MALLOC_CONF", items joined by ','; or "glibc.malloc.hugetlb=1" in
// "GLIBC_TUNABLES", joined by ':').
struct HugePageHeapSetting {
  const char* variable;
  const char* name;
  const char* setting;
  char separator;
};
HugePageHeapSetting HeapSetting();

// Call first in main(), before anything reads input or starts a thread.
// Replaces the process (execv of its own binary, /proc/self/exe, with the
// same arguments and descriptors) unless the variable already names the
// setting (the second start, or the user's own choice),
// STORYSIFT_HUGE_PAGE_HEAP=0, transparent huge pages are off, the C library
// is not glibc, or the exec fails, or MayReadLargeInput() is false; then it
// returns and the run goes on as it is.
void StartWithHugePageHeap(int argc, char** argv);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_HUGE_PAGE_HEAP_H_
