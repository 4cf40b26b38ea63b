// One registration function per subcommand (cli/commands/<name>.cc). Each
// adds its flags to the app and, when chosen, stores its exit code.
#ifndef STORYSIFT_CLI_COMMANDS_H_
#define STORYSIFT_CLI_COMMANDS_H_

#include "CLI/CLI.hpp"

namespace storysift::cli {

void RegisterStatsCommand(CLI::App& app, int* exit_code);
void RegisterNormalizeCommand(CLI::App& app, int* exit_code);
void RegisterDedupCommand(CLI::App& app, int* exit_code);
void RegisterClusterCommand(CLI::App& app, int* exit_code);
void RegisterIdfCommand(CLI::App& app, int* exit_code);
void RegisterEvalCommand(CLI::App& app, int* exit_code);
void RegisterTuneCommand(CLI::App& app, int* exit_code);
void RegisterIndexCommand(CLI::App& app, int* exit_code);
void RegisterStateCommand(CLI::App& app, int* exit_code);
void RegisterReportCommand(CLI::App& app, int* exit_code);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_COMMANDS_H_
