// storysift command-line tool: parses arguments and hands each subcommand to
// its file in commands/. No algorithms live here.
#include <cstring>

#include "CLI/CLI.hpp"
#include "commands.h"
#include "huge_page_heap.h"
#include "input_flags.h"
#include "standard_output.h"

namespace {

using storysift::cli::kExitOk;
using storysift::cli::kExitUsage;
using storysift::cli::FinishStandardOutput;

struct Subcommand {
  const char* name;
  void (*add)(CLI::App&, int*);
};

// In the order `storysift --help` lists them.
constexpr Subcommand kSubcommands[] = {
    {"stats", storysift::cli::RegisterStatsCommand},
    {"normalize", storysift::cli::RegisterNormalizeCommand},
    {"dedup", storysift::cli::RegisterDedupCommand},
    {"cluster", storysift::cli::RegisterClusterCommand},
    {"idf", storysift::cli::RegisterIdfCommand},
    {"index", storysift::cli::RegisterIndexCommand},
    {"eval", storysift::cli::RegisterEvalCommand},
    {"tune", storysift::cli::RegisterTuneCommand},
    {"state", storysift::cli::RegisterStateCommand},
    {"report", storysift::cli::RegisterReportCommand},
};

}  // namespace

int main(int argc, char** argv) {
  storysift::cli::StartWithHugePageHeap(argc, argv);
  CLI::App app{"storysift: near-duplicate and story-cluster detector for news"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "storysift 0.1.0");
  int exit_code = kExitOk;
  // Only the subcommand named first is set up (its options are most of the
  // start-up of a small run): a later argument is never taken for another
  // subcommand, so parsing is the same. Anything else (--help, a typo)
  // gets them all, for the listing and the error.
  const Subcommand* named = nullptr;
  for (const Subcommand& s : kSubcommands) {
    if (argc > 1 && std::strcmp(argv[1], s.name) == 0) named = &s;
  }
  if (named != nullptr) {
    named->add(app, &exit_code);
  } else {
    for (const Subcommand& s : kSubcommands) s.add(app, &exit_code);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // --help and --version print to stdout, exit 0.
    return FinishStandardOutput(code == 0 ? kExitOk : kExitUsage);
  }
  // Every command's stdout, however it was written, is checked here.
  return FinishStandardOutput(exit_code);
}
