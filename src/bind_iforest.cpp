// Binding of pyod_fast::iforest: the IsolationForest class behind IForest.
#include <memory>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "pyod_fast/iforest.hpp"

namespace pyod_fast::bindings {

namespace {

using iforest::IsolationForest;

template <class T>
py::array_t<T> to_numpy(const std::vector<T>& values) {
  py::array_t<T> out(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

// Reads a 1-D array of T from a pickled state. Compared with equal(), not
// is(): an unpickled array's dtype is an equal but distinct object.
template <class T>
std::vector<T> from_numpy(const py::handle& handle, const char* name) {
  const auto array = py::reinterpret_borrow<py::array>(handle);
  if (!array.dtype().equal(py::dtype::of<T>()) || array.ndim() != 1) {
    throw py::value_error(std::string("cannot unpickle IsolationForest: ") + name + " must be a 1-D " +
                          std::string(py::str(py::dtype::of<T>())) + " array");
  }
  const auto contiguous = py::array_t<T, py::array::c_style>::ensure(array);
  return std::vector<T>(contiguous.data(), contiguous.data() + contiguous.size());
}

template <class T>
IsolationForest fit_typed(const py::array& x, const iforest::FitParams& params, int threads) {
  const auto view = matrix_view<T>(x, "X");
  py::gil_scoped_release release;
  return IsolationForest::fit(view, params, threads);
}

std::shared_ptr<IsolationForest> fit(const py::array& x, Index n_estimators, Index max_samples, Index max_features,
                                     bool bootstrap, std::uint64_t seed, int n_jobs) {
  iforest::FitParams params;
  params.n_estimators = n_estimators;
  params.max_samples = max_samples;
  params.max_features = max_features;
  params.bootstrap = bootstrap;
  params.seed = seed;
  const int threads = core::resolve_threads(n_jobs);
  if (x.dtype().is(py::dtype::of<float>())) return std::make_shared<IsolationForest>(fit_typed<float>(x, params, threads));
  return std::make_shared<IsolationForest>(fit_typed<double>(x, params, threads));
}

// Runs one of the forest's per-row kernels on float32 or float64 rows. The
// thresholds are doubles, so both dtypes compare exactly.
template <class Kernel>
py::array_t<double> per_row(const py::array& x, int n_jobs, Kernel&& kernel) {
  const int threads = core::resolve_threads(n_jobs);
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const auto view = matrix_view<T>(x, "X");
    py::array_t<double> out(view.rows);
    double* data = out.mutable_data();
    {
      py::gil_scoped_release release;
      kernel(view, threads, data);
    }
    return out;
  };
  if (x.dtype().is(py::dtype::of<float>())) return run(float{});
  return run(double{});
}

// State kept by pickle: the flat node arrays, from which the scoring tables
// are derived again on load.
constexpr int kPickleVersion = 1;

}  // namespace

void bind_iforest(py::module_& m) {
  py::class_<IsolationForest, std::shared_ptr<IsolationForest>>(
      m, "IsolationForest", "Fitted isolation forest stored as flat node arrays; build it with IsolationForest.fit.")
      .def_static("fit", &fit, py::arg("X"), py::arg("n_estimators"), py::arg("max_samples"),
                  py::arg("max_features") = -1, py::arg("bootstrap") = false, py::arg("seed") = 0,
                  py::arg("n_jobs") = 1,
                  "Grow n_estimators trees on X (float32 or float64, rows contiguous). max_samples is the number of "
                  "rows per tree (>= 2), max_features the number of columns per tree (-1 for all).")
      .def(
          "anomaly_scores",
          [](const IsolationForest& self, const py::array& x, int n_jobs) {
            return per_row(x, n_jobs, [&](const auto& view, int threads, double* out) {
              self.anomaly_scores(view, threads, out);
            });
          },
          py::arg("X"), py::arg("n_jobs") = 1,
          "Return the anomaly score 2^(-E[h(x)] / c(max_samples)) of each row, in (0, 1]; higher is more abnormal.")
      .def(
          "path_length_sums",
          [](const IsolationForest& self, const py::array& x, int n_jobs) {
            return per_row(x, n_jobs, [&](const auto& view, int threads, double* out) {
              self.path_length_sums(view, threads, out);
            });
          },
          py::arg("X"), py::arg("n_jobs") = 1, "Return the path length of each row summed over the trees.")
      .def("split_counts", [](const IsolationForest& self) { return to_numpy(self.split_counts()); },
           "Return the number of splits on each feature over all trees.")
      .def_property_readonly("n_estimators", &IsolationForest::n_estimators)
      .def_property_readonly("n_features", &IsolationForest::n_features)
      .def_property_readonly("max_samples", &IsolationForest::max_samples)
      .def_property_readonly("node_count", &IsolationForest::node_count)
      .def_property_readonly("tree_offsets", [](const IsolationForest& self) { return to_numpy(self.tree_offsets()); },
                             "Tree t owns the nodes [tree_offsets[t], tree_offsets[t + 1]).")
      .def_property_readonly("feature", [](const IsolationForest& self) { return to_numpy(self.feature()); },
                             "Split feature of each node; -1 for a leaf.")
      .def_property_readonly("threshold", [](const IsolationForest& self) { return to_numpy(self.threshold()); },
                             "Split threshold of each node: rows with x <= threshold go left.")
      .def_property_readonly("left", [](const IsolationForest& self) { return to_numpy(self.left()); },
                             "Left child of each node, local to its tree (the right child is left + 1); -1 for a leaf.")
      .def_property_readonly("n_node_samples", [](const IsolationForest& self) { return to_numpy(self.n_samples()); },
                             "Number of sample rows that reached each node while growing the tree.")
      .def(py::pickle(
          [](const IsolationForest& self) {
            return py::make_tuple(kPickleVersion, self.n_features(), self.max_samples(), to_numpy(self.tree_offsets()),
                                  to_numpy(self.feature()), to_numpy(self.threshold()), to_numpy(self.left()),
                                  to_numpy(self.n_samples()));
          },
          [](const py::tuple& state) {
            if (state.size() != 8 || state[0].cast<int>() != kPickleVersion) {
              throw py::value_error(
                  "cannot unpickle IsolationForest: the state comes from another pyod_fast version");
            }
            return std::make_shared<IsolationForest>(
                state[1].cast<Index>(), state[2].cast<Index>(), from_numpy<Index>(state[3], "tree_offsets"),
                from_numpy<std::int32_t>(state[4], "feature"), from_numpy<double>(state[5], "threshold"),
                from_numpy<std::int32_t>(state[6], "left"), from_numpy<std::int32_t>(state[7], "n_node_samples"));
          }));
}

}  // namespace pyod_fast::bindings
