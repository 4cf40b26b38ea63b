#include "state/fault_point.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <string_view>

namespace storysift::internal {
namespace {

struct FaultPlan {
  std::string step;  // Empty: no fault planned.
  long count = 0;
  bool error = false;  // FaultError's ("...:error"), not FaultPoint's.
  std::atomic<long> seen{0};
};

FaultPlan* ReadPlan() {
  auto* plan = new FaultPlan();  // Lives for the process, like the env var.
  const char* spec = std::getenv("STORYSIFT_FAULT");
  if (spec == nullptr) return plan;
  std::string s(spec);
  constexpr std::string_view kError = ":error";
  if (s.ends_with(kError)) {
    plan->error = true;
    s.resize(s.size() - kError.size());
  }
  const size_t colon = s.rfind(':');
  if (colon == std::string::npos) return plan;
  plan->step = s.substr(0, colon);
  plan->count = std::strtol(s.c_str() + colon + 1, nullptr, 10);
  if (plan->count < 1) plan->step.clear();
  return plan;
}

// The plan of this process, read once.
FaultPlan& Plan() {
  static FaultPlan* const plan = ReadPlan();
  return *plan;
}

// Whether this call at `step` is the planned n-th of a fault of that kind.
bool IsPlannedCall(std::string_view step, bool error) {
  FaultPlan& plan = Plan();
  if (plan.step.empty() || plan.error != error || plan.step != step) return false;
  return plan.seen.fetch_add(1) + 1 == plan.count;
}

}  // namespace

void FaultPoint(std::string_view step) {
  if (IsPlannedCall(step, /*error=*/false)) ::_exit(kFaultExitCode);
}

bool FaultError(std::string_view step) { return IsPlannedCall(step, /*error=*/true); }

}  // namespace storysift::internal
