// storysift command-line tool: parses arguments and hands each subcommand to
// its file in commands/. No algorithms live here.
#include "CLI/CLI.hpp"
#include "commands.h"
#include "input_flags.h"

int main(int argc, char** argv) {
  using namespace storysift::cli;
  CLI::App app{"storysift: near-duplicate and story-cluster detector for news"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "storysift 0.1.0");
  int exit_code = kExitOk;
  RegisterStatsCommand(app, &exit_code);
  RegisterNormalizeCommand(app, &exit_code);
  RegisterDedupCommand(app, &exit_code);
  RegisterClusterCommand(app, &exit_code);
  RegisterIdfCommand(app, &exit_code);
  RegisterIndexCommand(app, &exit_code);
  RegisterEvalCommand(app, &exit_code);
  RegisterTuneCommand(app, &exit_code);
  RegisterStateCommand(app, &exit_code);
  RegisterReportCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return exit_code;
}
