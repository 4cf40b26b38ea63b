#include "module.h"

#include <pybind11/stl.h>

#include "storysift/reader.h"

namespace py = pybind11;

PYBIND11_MODULE(_storysift, m) {
  m.doc() = "storysift's C++ core; use the storysift package, not this module.";
  using storysift::FieldNames;
  const FieldNames aliases;
  py::dict fields;
  fields["id"] = aliases.id;
  fields["title"] = aliases.title;
  fields["text"] = aliases.text;
  fields["date"] = aliases.date;
  fields["source"] = aliases.source;
  fields["url"] = aliases.url;
  m.attr("FIELD_ALIASES") = fields;
  storysift::python::RegisterJobs(m);
  storysift::python::RegisterText(m);
  storysift::python::RegisterStreaming(m);
  storysift::python::RegisterSharded(m);
}
