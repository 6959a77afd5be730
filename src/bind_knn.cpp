// Binding of pyod_fast::knn: the KnnIndex class behind KNN, LOF and every
// other neighbour-based detector, and the kNN score aggregation.
#include <pybind11/stl.h>

#include <memory>
#include <variant>

#include "bindings.hpp"
#include "pyod_fast/knn.hpp"

namespace pyod_fast::bindings {

namespace {

// KnnIndex<float> or KnnIndex<double>, chosen by the training dtype: float32
// data stays float32 and is never copied to double.
class PyKnnIndex {
 public:
  // Builds the index over x. A C-contiguous x is read in place, without a
  // copy, and this object keeps a reference to it, as scikit-learn's
  // NearestNeighbors does with its training data; other layouts are copied.
  PyKnnIndex(const py::array& x, double p, const std::string& algorithm, Index leaf_size) {
    const auto requested = knn::parse_algorithm(algorithm);
    requested_algorithm_ = algorithm;
    const bool in_place = (x.flags() & py::array::c_style) != 0;
    if (in_place) training_rows_ = x;
    if (has_dtype<float>(x)) {
      const auto view = matrix_view<float>(x, "X");
      py::gil_scoped_release release;
      index_ = std::make_shared<knn::KnnIndex<float>>(view, p, requested, leaf_size, !in_place);
    } else {
      const auto view = matrix_view<double>(x, "X");
      py::gil_scoped_release release;
      index_ = std::make_shared<knn::KnnIndex<double>>(view, p, requested, leaf_size, !in_place);
    }
  }

  // Without return_indices the search keeps distances only, which saves
  // n x k indices; the second element of the tuple is then None.
  py::tuple query(const py::array& x, Index k, int n_jobs, bool return_indices) const {
    return std::visit(
        [&](const auto& index) {
          using T = typename std::decay_t<decltype(*index)>::value_type;
          const auto view = matrix_view<T>(x, "X");
          const int threads = core::resolve_threads(n_jobs);
          return run_search(view.rows, k, return_indices,
                            [&](double* d, Index* i) { index->query(view, k, threads, d, i); });
        },
        index_);
  }

  py::tuple query_training(Index k, int n_jobs, bool return_indices) const {
    return std::visit(
        [&](const auto& index) {
          const int threads = core::resolve_threads(n_jobs);
          return run_search(index->n_samples(), k, return_indices,
                            [&](double* d, Index* i) { index->query_training(k, threads, d, i); });
        },
        index_);
  }

  py::array training_data() const {
    return std::visit(
        [&](const auto& index) -> py::array {
          using T = typename std::decay_t<decltype(*index)>::value_type;
          py::array_t<T> out({index->n_samples(), index->n_features()});
          index->training_data(out.mutable_data());
          return out;
        },
        index_);
  }

  Index n_samples() const { return std::visit([](const auto& index) { return index->n_samples(); }, index_); }
  Index n_features() const { return std::visit([](const auto& index) { return index->n_features(); }, index_); }
  double p() const { return std::visit([](const auto& index) { return index->p(); }, index_); }
  Index leaf_size() const { return std::visit([](const auto& index) { return index->leaf_size(); }, index_); }
  std::string algorithm() const {
    return std::visit([](const auto& index) { return std::string(knn::algorithm_name(index->algorithm())); }, index_);
  }
  const std::string& requested_algorithm() const { return requested_algorithm_; }

 private:
  // Allocates the outputs of a search for n rows and runs search(d, i)
  // without the GIL.
  template <class Search>
  static py::tuple run_search(Index n, Index k, bool return_indices, Search&& search) {
    py::array_t<double> distances({n, k});
    py::object indices = py::none();
    Index* index_data = nullptr;
    if (return_indices) {
      py::array_t<Index> buffer({n, k});
      index_data = buffer.mutable_data();
      indices = buffer;
    }
    double* distance_data = distances.mutable_data();
    {
      py::gil_scoped_release release;
      search(distance_data, index_data);
    }
    return py::make_tuple(distances, indices);
  }
  std::variant<std::shared_ptr<knn::KnnIndex<float>>, std::shared_ptr<knn::KnnIndex<double>>> index_;
  std::string requested_algorithm_;
  py::object training_rows_;  // keeps an in-place training array alive
};

// State kept by pickle: the training rows and the build parameters. The
// tree is rebuilt on load; the build is deterministic, so scores match.
constexpr int kPickleVersion = 1;

}  // namespace

void bind_knn(py::module_& m) {
  py::class_<PyKnnIndex>(m, "KnnIndex",
                         "Exact k-nearest-neighbour index over float32 or float64 training rows; a C-contiguous array is read in place and referenced, any other layout is copied.")
      .def(py::init<const py::array&, double, const std::string&, Index>(), py::arg("X"), py::arg("p") = 2.0,
           py::arg("algorithm") = "auto", py::arg("leaf_size") = 30)
      .def("query", &PyKnnIndex::query, py::arg("X"), py::arg("k"), py::arg("n_jobs") = 1,
           py::arg("return_indices") = true,
           "Return (distances, indices), each of shape (n_queries, k), sorted by distance; indices is None "
           "when return_indices is False.")
      .def("query_training", &PyKnnIndex::query_training, py::arg("k"), py::arg("n_jobs") = 1,
           py::arg("return_indices") = true,
           "Like query on the training rows, where no row is its own neighbour.")
      .def("training_data", &PyKnnIndex::training_data, "Return a copy of the training rows.")
      .def_property_readonly("n_samples", &PyKnnIndex::n_samples)
      .def_property_readonly("n_features", &PyKnnIndex::n_features)
      .def_property_readonly("p", &PyKnnIndex::p)
      .def_property_readonly("leaf_size", &PyKnnIndex::leaf_size)
      .def_property_readonly("algorithm", &PyKnnIndex::algorithm, "The algorithm in use: 'brute' or 'kd_tree'.")
      .def(py::pickle(
          [](const PyKnnIndex& self) {
            return py::make_tuple(kPickleVersion, self.training_data(), self.p(), self.requested_algorithm(),
                                  self.leaf_size());
          },
          [](const py::tuple& state) {
            if (state.size() != 5 || state[0].cast<int>() != kPickleVersion) {
              throw py::value_error("cannot unpickle KnnIndex: the state comes from another pyod_fast version");
            }
            return PyKnnIndex(state[1].cast<py::array>(), state[2].cast<double>(), state[3].cast<std::string>(),
                              state[4].cast<Index>());
          }));

  m.def(
      "knn_scores",
      [](const py::array& distances, const std::string& method) {
        const auto dist = exact_array<double>(distances, "distances", 2);
        const auto how = knn::parse_score_method(method);
        const Index n = dist.shape(0), k = dist.shape(1);
        if (k < 1) throw py::value_error("distances needs at least one column");
        py::array_t<double> scores(n);
        knn::score_neighbors(dist.data(), n, k, how, scores.mutable_data());
        return scores;
      },
      py::arg("distances"), py::arg("method"),
      "Score rows from their sorted neighbour distances: method is 'largest', 'mean' or 'median'.");
}

}  // namespace pyod_fast::bindings
