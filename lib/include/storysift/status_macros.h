// Propagation macros for absl::Status. Abseil 20220623 (Debian 12) ships none.
#ifndef STORYSIFT_STATUS_MACROS_H_
#define STORYSIFT_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define STORYSIFT_CONCAT_(a, b) STORYSIFT_CONCAT_INNER_(a, b)
#define STORYSIFT_CONCAT_INNER_(a, b) a##b

// Returns from the enclosing function if `expr` is not OK.
#define STORYSIFT_RETURN_IF_ERROR(expr)                            \
  do {                                                             \
    if (absl::Status _ss_st = (expr); !_ss_st.ok()) return _ss_st; \
  } while (0)

// `lhs = value of expr`, or returns its status. Expands to several
// statements: always brace an `if` around it.
#define STORYSIFT_ASSIGN_OR_RETURN(lhs, expr) \
  STORYSIFT_AOR_IMPL_(STORYSIFT_CONCAT_(_ss_sor_, __LINE__), lhs, expr)
#define STORYSIFT_AOR_IMPL_(tmp, lhs, expr)             \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return std::move(tmp).status();        \
  lhs = std::move(tmp).value()

#endif  // STORYSIFT_STATUS_MACROS_H_
