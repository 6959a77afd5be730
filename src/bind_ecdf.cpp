// Binding of pyod_fast::ecdf: the sorted training columns and skewness
// signs behind COPOD and ECOD, and their scores. The state lives in NumPy
// arrays held by the Python detector, so it pickles with the detector.
#include "bindings.hpp"
#include "pyod_fast/ecdf.hpp"

namespace pyod_fast::bindings {

namespace {

// Calls body(T{}) with T = float for a float32 array, else T = double.
template <class Body>
py::object with_float_type(const py::array& array, Body&& body) {
  if (has_dtype<float>(array)) return py::object(body(float{}));
  return py::object(body(double{}));
}

// A view of sorted training columns stored as a (n_features, n_samples) array.
template <class T>
ecdf::SortedColumns<T> sorted_view(const py::array& sorted) {
  const auto array = exact_array<T>(sorted, "sorted_columns", 2);
  return ecdf::SortedColumns<T>{array.data(), static_cast<Index>(array.shape(1)), static_cast<Index>(array.shape(0))};
}

const double* signs_data(const py::array& signs, Index n_features) {
  const auto array = exact_array<double>(signs, "skew_signs", 1);
  if (array.shape(0) != n_features) {
    throw py::value_error("skew_signs has " + std::to_string(array.shape(0)) + " entries, expected one per feature (" +
                          std::to_string(n_features) + ")");
  }
  return array.data();
}

}  // namespace

void bind_ecdf(py::module_& m) {
  m.def(
      "ecdf_fit",
      [](const py::array& x, const std::string& aggregation, int n_jobs) {
        const auto how = ecdf::parse_aggregation(aggregation);
        const int threads = core::resolve_threads(n_jobs);
        return with_float_type(x, [&](auto tag) {
          using T = decltype(tag);
          const auto view = matrix_view<T>(x, "X");
          py::array_t<T> sorted({view.cols, view.rows});
          py::array_t<double> signs(view.cols), scores(view.rows);
          T* sorted_data = sorted.mutable_data();
          double* signs_out = signs.mutable_data();
          double* scores_out = scores.mutable_data();
          {
            py::gil_scoped_release release;
            ecdf::fit(view, how, threads, sorted_data, signs_out, scores_out);
          }
          return py::make_tuple(sorted, signs, scores);
        });
      },
      py::arg("X"), py::arg("aggregation"), py::arg("n_jobs") = 1,
      "Fit the ECDFs of every column of X; return (sorted_columns of shape (n_features, n_samples), skew_signs, "
      "training scores). aggregation is 'copod' or 'ecod'.");

  m.def(
      "ecdf_sort_columns",
      [](const py::array& x, int n_jobs) {
        const int threads = core::resolve_threads(n_jobs);
        return with_float_type(x, [&](auto tag) {
          using T = decltype(tag);
          const auto view = matrix_view<T>(x, "X");
          py::array_t<T> sorted({view.cols, view.rows});
          T* out = sorted.mutable_data();
          {
            py::gil_scoped_release release;
            ecdf::sort_columns(view, threads, out);
          }
          return sorted;
        });
      },
      py::arg("X"), py::arg("n_jobs") = 1, "Return the columns of X sorted, as an (n_features, n_samples) array.");

  m.def(
      "ecdf_skew_signs",
      [](const py::array& first, const py::array& second, int n_jobs) {
        const int threads = core::resolve_threads(n_jobs);
        return with_float_type(first, [&](auto first_tag) {
          using T = decltype(first_tag);
          return with_float_type(second, [&](auto second_tag) {
            using Q = decltype(second_tag);
            const auto a = matrix_view<T>(first, "first");
            const auto b = matrix_view<Q>(second, "second");
            py::array_t<double> signs(a.cols);
            double* out = signs.mutable_data();
            {
              py::gil_scoped_release release;
              ecdf::skew_signs(a, b, threads, out);
            }
            return signs;
          });
        });
      },
      py::arg("first"), py::arg("second"), py::arg("n_jobs") = 1,
      "Signs (-1, 0, 1) of the skewness of every column over the rows of first followed by those of second.");

  m.def(
      "ecdf_score",
      [](const py::array& sorted, const py::array& signs, const py::array& x, const std::string& aggregation,
         const std::string& reference, bool per_feature, int n_jobs) {
        const auto how = ecdf::parse_aggregation(aggregation);
        const auto against = ecdf::parse_reference(reference);
        const int threads = core::resolve_threads(n_jobs);
        return with_float_type(sorted, [&](auto train_tag) {
          using T = decltype(train_tag);
          return with_float_type(x, [&](auto query_tag) -> py::object {
            using Q = decltype(query_tag);
            const auto train = sorted_view<T>(sorted);
            const double* sign_data = signs_data(signs, train.n_features);
            const auto view = matrix_view<Q>(x, "X");
            if (view.cols != train.n_features) {
              throw py::value_error("X has " + std::to_string(view.cols) + " features, but the detector was fitted with " +
                                    std::to_string(train.n_features) + " features");
            }
            ecdf::ScoreOutputs outputs;
            if (!per_feature) {
              py::array_t<double> scores(view.rows);
              outputs.scores = scores.mutable_data();
              {
                py::gil_scoped_release release;
                ecdf::score(train, sign_data, view, how, against, threads, outputs);
              }
              return std::move(scores);
            }
            py::array_t<double> left({view.rows, view.cols}), right({view.rows, view.cols}),
                combined({view.rows, view.cols});
            outputs.left = left.mutable_data();
            outputs.right = right.mutable_data();
            outputs.combined = combined.mutable_data();
            {
              py::gil_scoped_release release;
              ecdf::score(train, sign_data, view, how, against, threads, outputs);
            }
            return py::make_tuple(left, right, combined);
          });
        });
      },
      py::arg("sorted_columns"), py::arg("skew_signs"), py::arg("X"), py::arg("aggregation"),
      py::arg("reference") = "fitted", py::arg("per_feature") = false, py::arg("n_jobs") = 1,
      "Score the rows of X against the fitted ECDFs. reference 'fitted' scores each row on its own, 'batch' "
      "against the training rows and all rows of X together (PyOD's behaviour). With per_feature, return "
      "(U_left, U_right, O), each of shape (n_samples, n_features), instead of the row scores.");
}

}  // namespace pyod_fast::bindings
