// The options a `cluster --state` run records in the state, and the check
// of a run's options against the recorded ones (jobs.h, StateJobOptions::
// accept_option_change): re-clustering the retained stories with other
// options regroups them without a word, so a change must be meant.
#ifndef STORYSIFT_JOBS_STATE_OPTIONS_H_
#define STORYSIFT_JOBS_STATE_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storysift/jobs.h"
#include "storysift/story_state.h"

namespace storysift::internal {

// Every option of `options` and `state_options` that shapes the stories or
// their ids, in a fixed order, with its value as text: the flags' settings
// by keyword (window and retention in days), the library's other fields by
// their path. Not recorded: threads, outputs, waiting, the run's clock, and
// what only the views use. A setting of the other sketch method is left out.
std::vector<RecordedOption> ShapingOptions(const ClusterJobOptions& options,
                                           const StateJobOptions& state_options);

// The options recorded in both lists whose values differ, in `now`'s
// order. An option only one list holds (one a later version records, or of
// the other method, whose change the method's own shows) is not compared.
std::vector<OptionChange> ChangedOptions(const std::vector<RecordedOption>& recorded,
                                         const std::vector<RecordedOption>& now);

// The refusal of a run whose options differ: InvalidArgument naming each
// change (in `style`) and how to go on, marked for IsStateOptionChange.
absl::Status OptionChangeRefused(const std::string& dir, const std::vector<OptionChange>& changes,
                                 SettingStyle style);

// "--story-threshold 0.2 -> 0.3, --stem false -> true": for a note.
std::string DescribeChanges(const std::vector<OptionChange>& changes, SettingStyle style);

}  // namespace storysift::internal

#endif  // STORYSIFT_JOBS_STATE_OPTIONS_H_
