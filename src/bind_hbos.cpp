// Binding of pyod_fast::hbos: per-feature histograms and HBOS scores. The
// histograms travel as three NumPy arrays (offsets, edges, density) held by
// the Python detector, so they pickle with it.
#include "bindings.hpp"
#include "pyod_fast/hbos.hpp"

namespace pyod_fast::bindings {

namespace {

template <class T>
py::array_t<T> to_array(const std::vector<T>& values) {
  py::array_t<T> out(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

}  // namespace

void bind_hbos(py::module_& m) {
  m.def(
      "hbos_fit",
      [](const py::array& x, Index n_bins, double alpha, double tol, int n_jobs) {
        const int threads = core::resolve_threads(n_jobs);
        hbos::Histograms histograms;
        py::array_t<double> scores(x.ndim() == 2 ? x.shape(0) : 0);
        double* out = scores.mutable_data();
        if (has_dtype<float>(x)) {
          const auto view = matrix_view<float>(x, "X");
          py::gil_scoped_release release;
          histograms = hbos::fit_and_score(view, n_bins, alpha, tol, threads, out);
        } else {
          const auto view = matrix_view<double>(x, "X");
          py::gil_scoped_release release;
          histograms = hbos::fit_and_score(view, n_bins, alpha, tol, threads, out);
        }
        return py::make_tuple(to_array(histograms.offsets), to_array(histograms.edges), to_array(histograms.density),
                              scores);
      },
      py::arg("X"), py::arg("n_bins"), py::arg("alpha"), py::arg("tol"), py::arg("n_jobs") = 1,
      "Build one histogram per column of X with n_bins bins (0 chooses per feature by Birge and Rozenholc's "
      "rule) and score the rows of X; return (offsets, edges, density, scores), feature j having "
      "offsets[j+1] - offsets[j] bins.");

  m.def(
      "hbos_score",
      [](const py::array& x, const py::array& offsets, const py::array& edges, const py::array& density, double alpha,
         double tol, int n_jobs) {
        const auto offsets_array = exact_array<Index>(offsets, "offsets", 1);
        const auto edges_array = exact_array<double>(edges, "edges", 1);
        const auto density_array = exact_array<double>(density, "density", 1);
        hbos::Histograms histograms;
        histograms.offsets.assign(offsets_array.data(), offsets_array.data() + offsets_array.shape(0));
        histograms.edges.assign(edges_array.data(), edges_array.data() + edges_array.shape(0));
        histograms.density.assign(density_array.data(), density_array.data() + density_array.shape(0));
        const Index d = histograms.n_features();
        bool consistent = d >= 1 && histograms.offsets[0] == 0;
        for (Index j = 0; consistent && j < d; ++j) consistent = histograms.bins(j) >= 1;
        consistent = consistent && static_cast<Index>(histograms.density.size()) == histograms.offsets[d] &&
                     static_cast<Index>(histograms.edges.size()) == histograms.offsets[d] + d;
        if (!consistent) throw py::value_error("inconsistent histogram arrays: refit the detector");

        const int threads = core::resolve_threads(n_jobs);
        py::array_t<double> scores(x.ndim() == 2 ? x.shape(0) : 0);
        double* out = scores.mutable_data();
        if (has_dtype<float>(x)) {
          const auto view = matrix_view<float>(x, "X");
          py::gil_scoped_release release;
          hbos::score(histograms, view, alpha, tol, threads, out);
        } else {
          const auto view = matrix_view<double>(x, "X");
          py::gil_scoped_release release;
          hbos::score(histograms, view, alpha, tol, threads, out);
        }
        return scores;
      },
      py::arg("X"), py::arg("offsets"), py::arg("edges"), py::arg("density"), py::arg("alpha"), py::arg("tol"),
      py::arg("n_jobs") = 1, "HBOS scores of the rows of X (higher means more abnormal).");
}

}  // namespace pyod_fast::bindings
