// The parts of the storysift._storysift extension, each registered by its
// own file.
#ifndef STORYSIFT_PYTHON_MODULE_H_
#define STORYSIFT_PYTHON_MODULE_H_

#include <pybind11/pybind11.h>

namespace storysift::python {

void RegisterJobs(pybind11::module_& m);       // jobs.cc: _dedup, _cluster.
void RegisterText(pybind11::module_& m);       // text.cc: normalize, minhash.
void RegisterStreaming(pybind11::module_& m);  // streaming.cc: Deduplicator, StoryAssigner.
void RegisterSharded(pybind11::module_& m);    // sharded.cc: the Dask steps.

}  // namespace storysift::python

#endif  // STORYSIFT_PYTHON_MODULE_H_
