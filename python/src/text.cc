// storysift.normalize and storysift.minhash: the Normalizer and Sketcher
// every command uses, on Python strings.
#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "errors.h"
#include "module.h"
#include "options.h"
#include "records.h"
#include "storysift/normalize.h"
#include "pipeline/parallel.h"
#include "storysift/sketcher.h"

namespace py = pybind11;

namespace storysift::python {
namespace {

// Texts per parallel chunk: enough to amortise a chunk's scratch.
constexpr size_t kTextsPerChunk = 64;

// The UTF-8 of a text argument: a view of the str's own UTF-8 (cached in
// the str object: valid while it lives, and the caller's list keeps it), or,
// for a str with lone surrogates or a bytes object, TextArgument's repair
// kept in *owned.
std::string_view Utf8View(const py::handle& text, std::deque<std::string>* owned,
                          bool* repaired) {
  if (PyUnicode_Check(text.ptr())) {
    Py_ssize_t size = 0;
    if (const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size)) {
      return {data, static_cast<size_t>(size)};
    }
    PyErr_Clear();  // Lone surrogates: repaired below.
  }
  owned->push_back(TextArgument(text, "texts", repaired));
  return owned->back();
}

// What the records' reading warns of (RunReport's utf8_repaired), for a
// text given directly.
void WarnIfRepaired(bool repaired) {
  if (!repaired) return;
  if (PyErr_WarnEx(PyExc_UserWarning,
                   "storysift: invalid UTF-8 replaced by U+FFFD (utf8_repaired)", 2) != 0) {
    throw py::error_already_set();  // Warnings made errors by the caller's filter.
  }
}

py::dict Normalize(const py::handle& text_arg, const py::dict& kwargs) {
  const JobOptions options = ParseOptions(kwargs, OptionSet::kNormalize);
  bool repaired = false;
  const std::string text = TextArgument(text_arg, "text", &repaired);
  WarnIfRepaired(repaired);
  const Normalizer normalizer = ValueOrThrow(Normalizer::Create(options.normalize));
  NormalizedText out;
  {
    py::gil_scoped_release release;
    normalizer.Normalize(text, &out);
  }
  py::list tokens;
  for (size_t i = 0; i < out.tokens.size(); ++i) tokens.append(py::str(std::string(out.folded_token(i))));
  py::dict result;
  result["clean"] = out.clean;
  result["folded"] = out.folded;
  result["tokens"] = tokens;
  return result;
}

py::array_t<uint64_t> MinHash(const py::handle& texts, const py::dict& kwargs) {
  const JobOptions options = ParseOptions(kwargs, OptionSet::kMinHash);
  if (options.dedup.sketch.kind != SketchKind::kMinHash) {
    throw py::value_error("minhash: method must be minhash");
  }
  // One text (str, or bytes as README says: not a sequence of ints).
  const bool single = PyUnicode_Check(texts.ptr()) || PyBytes_Check(texts.ptr());
  std::vector<std::string_view> views;
  std::deque<std::string> owned;  // Repaired texts (a deque keeps them in place).
  // The views point into the strs: each is held here while the GIL is
  // released, since another thread may empty the caller's list meanwhile
  // (and an iterator's items may have no other owner).
  std::vector<py::object> held;
  bool repaired = false;
  if (single) {
    views.push_back(Utf8View(texts, &owned, &repaired));
  } else {
    for (py::handle t : texts) {
      held.push_back(py::reinterpret_borrow<py::object>(t));
      views.push_back(Utf8View(t, &owned, &repaired));
    }
  }
  WarnIfRepaired(repaired);
  const Normalizer normalizer = ValueOrThrow(Normalizer::Create(options.normalize));
  const Sketcher sketcher = ValueOrThrow(Sketcher::Create(options.dedup.sketch));
  const size_t k = static_cast<size_t>(sketcher.num_perm());
  py::array_t<uint64_t> out({views.size(), k});
  uint64_t* data = out.mutable_data();
  {
    py::gil_scoped_release release;
    const size_t chunks = (views.size() + kTextsPerChunk - 1) / kTextsPerChunk;
    ParallelFor(chunks, options.threads, [&](size_t c) {
      NormalizedText text;
      Sketcher::Scratch scratch;
      std::vector<uint32_t> signature(k);
      uint64_t unused = 0;
      const size_t end = std::min(views.size(), (c + 1) * kTextsPerChunk);
      for (size_t i = c * kTextsPerChunk; i < end; ++i) {
        text.Clear();
        normalizer.Normalize(views[i], &text);
        sketcher.Compute(text, absl::MakeSpan(signature), &unused, &scratch);
        std::copy(signature.begin(), signature.end(), data + i * k);
      }
    });
  }
  if (single) return out.reshape({static_cast<py::ssize_t>(k)});
  return out;
}

}  // namespace

void RegisterText(py::module_& m) {
  m.def("_normalize", &Normalize, py::arg("text"), py::arg("options"));
  m.def("_minhash", &MinHash, py::arg("texts"), py::arg("options"));
}

}  // namespace storysift::python
