// storysift command-line tool: parses arguments and hands each subcommand to
// its file in commands/. No algorithms live here.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

// Edit distance of two short words, for "did you mean".
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// For a command line that stops where a command is expected (`storysift
// idf`) or names none there (`storysift bogus`, `storysift state verfy
// DIR`), a message that says so, names the word and lists the commands
// there; "" otherwise (the parser's own message stands: an unknown flag, a
// missing argument).
std::string CommandWordMessage(CLI::App& app, int argc, char** argv) {
  CLI::App* at = &app;
  std::string where = "storysift";
  for (int i = 1;; ++i) {
    std::vector<std::string> names;
    CLI::App* named = nullptr;
    const std::string word = i < argc ? argv[i] : "";
    for (CLI::App* sub : at->get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_name().empty()) continue;  // An option group.
      names.push_back(sub->get_name());
      if (sub->get_name() == word) named = sub;
    }
    if (names.empty()) return "";
    if (i >= argc) {
      return absl::StrCat("`", where, "` needs a command: ", absl::StrJoin(names, ", "),
                          " (see `", where, " --help`)");
    }
    if (word.empty() || word[0] == '-') return "";
    if (named != nullptr) {
      at = named;
      where = absl::StrCat(where, " ", word);
      continue;
    }
    std::string message = absl::StrCat("unknown command '", word, "' for `", where,
                                       "`; the commands are: ", absl::StrJoin(names, ", "));
    for (const std::string& name : names) {
      if (EditDistance(word, name) <= 2) {
        absl::StrAppend(&message, " (did you mean '", name, "'?)");
        break;
      }
    }
    return message;
  }
}

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
    if (e.get_exit_code() != 0) {
      if (const std::string message = CommandWordMessage(app, argc, argv); !message.empty()) {
        std::fprintf(stderr, "storysift: %s\n", message.c_str());
        return FinishStandardOutput(kExitUsage);
      }
    }
    const int code = app.exit(e);  // --help and --version print to stdout, exit 0.
    return FinishStandardOutput(code == 0 ? kExitOk : kExitUsage);
  }
  // Every command's stdout, however it was written, is checked here.
  return FinishStandardOutput(exit_code);
}
