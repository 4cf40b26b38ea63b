// storysift command-line tool: parses arguments and hands each subcommand to
// its file in commands/. No algorithms live here.
#include <cstdio>

#include "CLI/CLI.hpp"

int main(int argc, char** argv) {
  CLI::App app{"storysift: near-duplicate and story-cluster detector for news"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
