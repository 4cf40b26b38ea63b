#include "state/fault_point.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace storysift::internal {
namespace {

struct FaultPlan {
  std::string step;  // Empty: no fault planned.
  long count = 0;
  std::atomic<long> seen{0};
};

FaultPlan* ReadPlan() {
  auto* plan = new FaultPlan();  // Lives for the process, like the env var.
  const char* spec = std::getenv("STORYSIFT_FAULT");
  if (spec == nullptr) return plan;
  const std::string s(spec);
  const size_t colon = s.rfind(':');
  if (colon == std::string::npos) return plan;
  plan->step = s.substr(0, colon);
  plan->count = std::strtol(s.c_str() + colon + 1, nullptr, 10);
  if (plan->count < 1) plan->step.clear();
  return plan;
}

}  // namespace

void FaultPoint(std::string_view step) {
  static FaultPlan* const plan = ReadPlan();
  if (plan->step.empty() || plan->step != step) return;
  if (plan->seen.fetch_add(1) + 1 == plan->count) ::_exit(kFaultExitCode);
}

}  // namespace storysift::internal
