// absl::Status -> Python exception, carrying the C++ status message.
#ifndef STORYSIFT_PYTHON_ERRORS_H_
#define STORYSIFT_PYTHON_ERRORS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pybind11/pybind11.h"

namespace storysift::python {

// Throws (as a pybind11 error_already_set) when !status.ok():
// InvalidArgument / OutOfRange / FailedPrecondition / AlreadyExists ->
// ValueError, NotFound -> FileNotFoundError (KeyError with
// `not_found_is_key`), PermissionDenied -> PermissionError, anything else
// (DataLoss, Unimplemented, Internal) -> RuntimeError.
void ThrowIfError(const absl::Status& status, bool not_found_is_key = false);

template <typename T>
T ValueOrThrow(absl::StatusOr<T> value, bool not_found_is_key = false) {
  ThrowIfError(value.status(), not_found_is_key);
  return std::move(value).value();
}

// Runs `call` (a long C++ call touching no Python object) with the GIL
// released, so other Python threads run meanwhile; returns its result.
template <typename Call>
auto WithoutGil(Call&& call) {
  pybind11::gil_scoped_release release;
  return call();
}

}  // namespace storysift::python

#endif  // STORYSIFT_PYTHON_ERRORS_H_
