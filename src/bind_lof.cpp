// Binding of pyod_fast::lof: densities and factors from a neighbour search.
#include "bindings.hpp"
#include "pyod_fast/lof.hpp"

namespace pyod_fast::bindings {

void bind_lof(py::module_& m) {
  m.def(
      "lof_training",
      [](const py::array& distances, const py::array& indices) {
        const auto dist = exact_array<double>(distances, "distances", 2);
        const auto idx = exact_array<Index>(indices, "indices", 2);
        const Index n = dist.shape(0), k = dist.shape(1);
        if (idx.shape(0) != n || idx.shape(1) != k || k < 1) {
          throw py::value_error("distances and indices must have the same shape (n_samples, k) with k >= 1");
        }
        py::array_t<double> k_distance(n), density(n), scores(n);
        double* kd = k_distance.mutable_data();
        double* lrd = density.mutable_data();
        double* out = scores.mutable_data();
        const double* d = dist.data();
        const Index* i = idx.data();
        {
          py::gil_scoped_release release;
          for (Index r = 0; r < n; ++r) kd[r] = d[r * k + k - 1];
          lof::reachability_density(d, i, n, k, kd, n, lrd);
          lof::outlier_factor(i, n, k, lrd, lrd, out);
        }
        return py::make_tuple(k_distance, density, scores);
      },
      py::arg("distances"), py::arg("indices"),
      "From the training rows' own neighbours, return (k_distance, density, lof_scores).");

  m.def(
      "lof_scores",
      [](const py::array& distances, const py::array& indices, const py::array& k_distance,
         const py::array& train_density) {
        const auto dist = exact_array<double>(distances, "distances", 2);
        const auto idx = exact_array<Index>(indices, "indices", 2);
        const auto kd = exact_array<double>(k_distance, "k_distance", 1);
        const auto lrd = exact_array<double>(train_density, "train_density", 1);
        const Index n = dist.shape(0), k = dist.shape(1), n_train = kd.shape(0);
        if (idx.shape(0) != n || idx.shape(1) != k || k < 1 || lrd.shape(0) != n_train) {
          throw py::value_error("inconsistent shapes: distances and indices (n, k), k_distance and train_density (n_train,)");
        }
        py::array_t<double> density(n), scores(n);
        double* row_lrd = density.mutable_data();
        double* out = scores.mutable_data();
        {
          py::gil_scoped_release release;
          lof::reachability_density(dist.data(), idx.data(), n, k, kd.data(), n_train, row_lrd);
          lof::outlier_factor(idx.data(), n, k, row_lrd, lrd.data(), out);
        }
        return scores;
      },
      py::arg("distances"), py::arg("indices"), py::arg("k_distance"), py::arg("train_density"),
      "LOF scores of new rows from their neighbours among the training rows.");
}

}  // namespace pyod_fast::bindings
