// storysift state {verify,recover} DIR: check a `cluster --state` directory
// against its manifest, and go back on purpose to the last complete
// generation when the committed one is damaged.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "input_flags.h"
#include "lock_flags.h"
#include "standard_output.h"
#include "storysift/file_lock.h"
#include "storysift/status_macros.h"
#include "storysift/story_state.h"

namespace storysift::cli {
namespace {

struct StateFlags {
  std::string dir;
  double wait_seconds = 0;
};

absl::Status RunVerify(const StateFlags& flags) {
  // Shared: a writer cannot prune the generation being checked. A directory
  // that holds no state is refused, and gets no LOCK file.
  STORYSIFT_ASSIGN_OR_RETURN(FileLock lock,
                             LockStoryStateForReading(flags.dir, flags.wait_seconds));
  STORYSIFT_ASSIGN_OR_RETURN(std::string report, VerifyStoryState(flags.dir));
  std::fputs(report.c_str(), stdout);
  return absl::OkStatus();
}

absl::Status RunRecover(const StateFlags& flags) {
  // Before the lock, which would make DIR/LOCK in any directory.
  STORYSIFT_RETURN_IF_ERROR(CheckStoryStateDirectory(flags.dir));
  STORYSIFT_ASSIGN_OR_RETURN(
      FileLock lock,
      FileLock::Acquire(StateLockPath(flags.dir), LockMode::kExclusive, flags.wait_seconds));
  STORYSIFT_RETURN_IF_ERROR(lock.CheckStillHeld());
  absl::StatusOr<std::string> report = RecoverStoryState(flags.dir);
  if (absl::IsFailedPrecondition(report.status())) {
    std::printf("%s\n", std::string(report.status().message()).c_str());
    return absl::OkStatus();
  }
  if (!report.ok()) return report.status();
  std::fputs(report->c_str(), stdout);
  if (absl::Status written = FlushStandardOutput(); !written.ok()) {
    // The recovery is committed, and its report (what was lost) cannot be
    // made again: it goes to stderr rather than nowhere.
    std::string shown = *report;
    if (!shown.empty() && shown.back() == '\n') shown.pop_back();
    return absl::Status(written.code(),
                        absl::StrCat(written.message(),
                                     "; the state was recovered all the same, and its report "
                                     "(it cannot be made again) follows here:\n",
                                     shown));
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterStateCommand(CLI::App& app, int* exit_code) {
  CLI::App* state = app.add_subcommand("state", "Check or recover a `cluster --state` directory");
  state->require_subcommand(1);

  auto verify = std::make_shared<StateFlags>();
  CLI::App* v = state->add_subcommand("verify",
                                      "Check every file of the committed generation; exit 1 naming "
                                      "what is damaged");
  v->add_option("dir", verify->dir, "State directory")->required();
  AddWaitFlag(v, &verify->wait_seconds);
  v->callback([verify, exit_code] {
    const absl::Status s = RunVerify(*verify);
    *exit_code = s.ok() ? kExitOk : ReportRunError(s);
  });

  auto recover = std::make_shared<StateFlags>();
  CLI::App* r = state->add_subcommand("recover",
                                      "When the committed generation is damaged, go back to the "
                                      "newest complete one and "
                                      "print what is lost");
  r->add_option("dir", recover->dir, "State directory")->required();
  AddWaitFlag(r, &recover->wait_seconds);
  r->callback([recover, exit_code] {
    const absl::Status s = RunRecover(*recover);
    *exit_code = s.ok() ? kExitOk : ReportRunError(s);
  });
}

}  // namespace storysift::cli
