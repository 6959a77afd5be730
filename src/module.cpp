// The extension module pyod_fast._core: kernel bindings only. The public API
// lives in the Python package; see docs/architecture.md.
#include <Python.h>

#include "bindings.hpp"
#include "pyod_fast/core/errors.hpp"
#include "pyod_fast/core/parallel.hpp"

namespace py = pybind11;

namespace {

// Polled by the calling thread between kernel tasks, with the GIL released:
// reports a pending Ctrl-C so the kernel stops early and raises
// KeyboardInterrupt instead of running to the end.
bool python_interrupt_pending() {
  py::gil_scoped_acquire acquire;
  if (PyErr_CheckSignals() != 0) {
    PyErr_Clear();  // the kernel raises KeyboardInterrupt itself once it stops
    return true;
  }
  return false;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "Compiled kernels of pyod_fast (private: use pyod_fast.models).";
#ifdef PYOD_FAST_VERSION
  m.attr("__version__") = PYOD_FAST_VERSION;
#endif

  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const pyod_fast::core::Interrupted&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });
  pyod_fast::core::interrupt_hook().store(&python_interrupt_pending);

  m.def("max_threads", &pyod_fast::core::max_threads, "Number of threads OpenMP may use (all cores by default).");
  m.def("resolve_threads", &pyod_fast::core::resolve_threads, py::arg("n_jobs"),
        "Map scikit-learn's n_jobs (None is 1, -1 all cores) onto a thread count.");

  pyod_fast::bindings::bind_knn(m);
  pyod_fast::bindings::bind_lof(m);
  pyod_fast::bindings::bind_iforest(m);
  pyod_fast::bindings::bind_hbos(m);
  pyod_fast::bindings::bind_ecdf(m);
}
