#include "cluster/dot_table.h"

#include <memory>

namespace storysift::internal {

DotTable& ThreadDotTable(size_t id_bound) {
  thread_local std::unique_ptr<DotTable> table;
  thread_local size_t bound = 0;
  // Remade only for a vocabulary of another size (another corpus): a dense
  // table must cover every id, and a smaller one should not keep a large
  // array's cache footprint.
  if (table == nullptr || bound != id_bound) {
    table = std::make_unique<DotTable>(id_bound);
    bound = id_bound;
  }
  return *table;
}

}  // namespace storysift::internal
