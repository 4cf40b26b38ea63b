// Ids in storysift's TSV files (`dedup --pairs`, the pair files `eval` and
// `tune` read): one escaping convention, PostgreSQL's text format's, so that
// any id survives a round trip. Written: a tab as `\t`, a line feed as `\n`,
// a carriage return as `\r`, a backslash as `\\`, and a `#` that is the
// field's first character other than ASCII whitespace as `\#` (the readers
// take a line starting with `#` for a comment); every other byte (spaces,
// non-ASCII) as it is. Read: those five escapes are undone, and a backslash
// before any other byte stands for itself. Thread-safe (pure functions).
#ifndef STORYSIFT_IO_TSV_FIELD_H_
#define STORYSIFT_IO_TSV_FIELD_H_

#include <string>
#include <string_view>

namespace storysift::internal {

// Appends `field` escaped to *out.
void AppendTsvField(std::string* out, std::string_view field);

// The field `escaped` stood for.
std::string UnescapeTsvField(std::string_view escaped);

}  // namespace storysift::internal

#endif  // STORYSIFT_IO_TSV_FIELD_H_
