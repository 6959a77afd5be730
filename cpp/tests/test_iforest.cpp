#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include "doctest.h"
#include "pyod_fast/iforest.hpp"

using pyod_fast::Index;
using pyod_fast::MatrixView;
using namespace pyod_fast::iforest;

namespace {

template <class T>
std::vector<T> gaussian_rows(Index n, Index d, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<T> data(static_cast<size_t>(n * d));
  for (auto& v : data) v = static_cast<T>(normal(rng));
  return data;
}

// Path length of one row in tree t, by walking the node arrays directly.
double naive_path_length(const IsolationForest& forest, Index t, const double* row) {
  const Index begin = forest.tree_offsets()[t];
  Index node = 0;
  int depth = 0;
  while (forest.feature()[begin + node] >= 0) {
    const auto f = forest.feature()[begin + node];
    node = forest.left()[begin + node] + (row[f] <= forest.threshold()[begin + node] ? 0 : 1);
    ++depth;
  }
  return depth + average_path_length(forest.n_samples()[begin + node]);
}

IsolationForest restore(const IsolationForest& forest) {
  return IsolationForest(forest.n_features(), forest.max_samples(), forest.tree_offsets(), forest.feature(),
                         forest.threshold(), forest.left(), forest.n_samples());
}

}  // namespace

TEST_CASE("average path length matches the formula") {
  CHECK(average_path_length(1) == 0.0);
  CHECK(average_path_length(2) == 1.0);
  CHECK(average_path_length(3) == doctest::Approx(2.0 * (std::log(2.0) + kEulerGamma) - 4.0 / 3.0));
  CHECK(average_path_length(256) == doctest::Approx(10.244770920116851).epsilon(1e-12));
}

TEST_CASE("height limit is ceil(log2(n))") {
  CHECK(height_limit(2) == 1);
  CHECK(height_limit(3) == 2);
  CHECK(height_limit(256) == 8);
  CHECK(height_limit(257) == 9);
}

TEST_CASE("random stream is reproducible and bounded") {
  Random a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    CHECK(x == b.next());
    differs = differs || x != c.next();
  }
  CHECK(differs);
  std::vector<int> histogram(7, 0);
  for (int i = 0; i < 70000; ++i) ++histogram[a.below(7)];
  for (int count : histogram) CHECK(std::abs(count - 10000) < 500);
  for (int i = 0; i < 1000; ++i) {
    const double u = a.uniform_open();
    CHECK(u > 0.0);
    CHECK(u < 1.0);
  }
}

TEST_CASE("row sampling draws distinct sorted rows") {
  Random rng(7);
  for (Index n : {300, 100000}) {  // selection sampling, then Floyd's algorithm
    const auto rows = detail::draw_rows(n, 256, false, rng);
    REQUIRE(rows.size() == 256);
    CHECK(std::is_sorted(rows.begin(), rows.end()));
    CHECK(std::adjacent_find(rows.begin(), rows.end()) == rows.end());
    CHECK(rows.front() >= 0);
    CHECK(rows.back() < n);
  }
  const auto all = detail::draw_rows(50, 50, false, rng);
  for (Index i = 0; i < 50; ++i) CHECK(all[i] == i);
  const auto with_replacement = detail::draw_rows(10, 200, true, rng);
  CHECK(with_replacement.size() == 200);
  CHECK(with_replacement.back() < 10);
}

TEST_CASE("trees respect the sample size, height limit and split rules") {
  const Index n = 1000, d = 4;
  const auto data = gaussian_rows<double>(n, d, 1);
  FitParams params;
  params.n_estimators = 20;
  params.max_samples = 100;
  params.seed = 3;
  const auto forest = IsolationForest::fit(MatrixView<double>(data.data(), n, d), params, 1);
  REQUIRE(forest.n_estimators() == 20);
  for (Index t = 0; t < forest.n_estimators(); ++t) {
    const Index begin = forest.tree_offsets()[t], end = forest.tree_offsets()[t + 1];
    CHECK(forest.n_samples()[begin] == 100);
    std::vector<int> depth(static_cast<size_t>(end - begin), 0);
    for (Index node = begin; node < end; ++node) {
      const Index local = node - begin;
      if (forest.feature()[node] < 0) {
        CHECK(depth[local] <= height_limit(100));
        if (depth[local] < height_limit(100)) CHECK(forest.n_samples()[node] == 1);
        continue;
      }
      const Index left = forest.left()[node];
      CHECK(forest.n_samples()[begin + left] + forest.n_samples()[begin + left + 1] == forest.n_samples()[node]);
      CHECK(forest.n_samples()[begin + left] >= 1);
      CHECK(forest.n_samples()[begin + left + 1] >= 1);
      depth[left] = depth[left + 1] = depth[local] + 1;
    }
  }
}

TEST_CASE("scores match a naive traversal and do not depend on threads") {
  const Index n = 700, d = 5;
  auto data = gaussian_rows<double>(n, d, 2);
  for (Index f = 0; f < d; ++f) data[f] = 8.0;  // row 0 is far from the rest
  FitParams params;
  params.n_estimators = 50;
  params.max_samples = 128;
  params.max_features = 3;
  params.seed = 11;
  const MatrixView<double> x(data.data(), n, d);
  const auto forest = IsolationForest::fit(x, params, 1);
  const auto forest_threaded = IsolationForest::fit(x, params, 2);
  CHECK(forest.threshold() == forest_threaded.threshold());

  std::vector<double> scores(n), scores_threaded(n), scores_restored(n);
  forest.anomaly_scores(x, 1, scores.data());
  forest_threaded.anomaly_scores(x, 2, scores_threaded.data());
  restore(forest).anomaly_scores(x, 2, scores_restored.data());
  const double denominator = 50 * average_path_length(128);
  for (Index i = 0; i < n; ++i) {
    double sum = 0.0;
    for (Index t = 0; t < 50; ++t) sum += naive_path_length(forest, t, &data[i * d]);
    CHECK(scores[i] == doctest::Approx(std::exp2(-sum / denominator)).epsilon(1e-14));
    CHECK(scores[i] == scores_threaded[i]);
    CHECK(scores[i] == scores_restored[i]);
  }
  CHECK(scores[0] == *std::max_element(scores.begin(), scores.end()));
  CHECK(scores[0] > 0.6);

  // Each tree splits on at most max_features distinct features.
  for (Index t = 0; t < forest.n_estimators(); ++t) {
    std::set<int> used;
    for (Index node = forest.tree_offsets()[t]; node < forest.tree_offsets()[t + 1]; ++node)
      if (forest.feature()[node] >= 0) used.insert(forest.feature()[node]);
    CHECK(used.size() <= 3);
  }
}

TEST_CASE("float and double copies of the same values give the same forest") {
  const Index n = 400, d = 3;
  const auto data32 = gaussian_rows<float>(n, d, 5);
  const std::vector<double> data64(data32.begin(), data32.end());
  FitParams params;
  params.n_estimators = 10;
  params.seed = 5;
  const auto f32 = IsolationForest::fit(MatrixView<float>(data32.data(), n, d), params, 2);
  const auto f64 = IsolationForest::fit(MatrixView<double>(data64.data(), n, d), params, 2);
  CHECK(f32.threshold() == f64.threshold());
  std::vector<double> s32(n), s64(n);
  f32.anomaly_scores(MatrixView<float>(data32.data(), n, d), 1, s32.data());
  f64.anomaly_scores(MatrixView<double>(data64.data(), n, d), 1, s64.data());
  CHECK(s32 == s64);
}

TEST_CASE("constant columns are never split and constant data gives one-node trees") {
  const Index n = 300, d = 3;
  auto data = gaussian_rows<double>(n, d, 9);
  for (Index i = 0; i < n; ++i) data[i * d + 1] = 4.0;
  FitParams params;
  params.n_estimators = 15;
  params.seed = 1;
  const auto forest = IsolationForest::fit(MatrixView<double>(data.data(), n, d), params, 1);
  for (const auto f : forest.feature()) CHECK(f != 1);
  CHECK(forest.split_counts()[1] == 0.0);
  CHECK(forest.split_counts()[0] > 0.0);

  const std::vector<double> constant(static_cast<size_t>(n * d), 2.5);
  const auto flat = IsolationForest::fit(MatrixView<double>(constant.data(), n, d), params, 1);
  CHECK(flat.node_count() == 15);
  std::vector<double> scores(n);
  flat.anomaly_scores(MatrixView<double>(constant.data(), n, d), 1, scores.data());
  for (double s : scores) CHECK(s == doctest::Approx(0.5));  // h = c(psi) in every tree
}

TEST_CASE("duplicated rows end in one leaf") {
  const Index n = 64, d = 2;
  std::vector<double> data(static_cast<size_t>(n * d), 1.0);
  data[0] = 5.0;  // one distinct row among 63 copies
  FitParams params;
  params.n_estimators = 5;
  params.max_samples = 64;
  params.seed = 2;
  const auto forest = IsolationForest::fit(MatrixView<double>(data.data(), n, d), params, 1);
  CHECK(forest.node_count() == 15);  // per tree: the root and two leaves
  for (Index t = 0; t < 5; ++t) CHECK(forest.feature()[forest.tree_offsets()[t]] == 0);
}

TEST_CASE("bad parameters and corrupted states raise") {
  const auto data = gaussian_rows<double>(50, 2, 4);
  const MatrixView<double> x(data.data(), 50, 2);
  FitParams params;
  params.max_samples = 1;
  CHECK_THROWS_AS(IsolationForest::fit(x, params, 1), std::invalid_argument);
  params.max_samples = 51;
  CHECK_THROWS_AS(IsolationForest::fit(x, params, 1), std::invalid_argument);
  params.max_samples = 20;
  params.max_features = 3;
  CHECK_THROWS_AS(IsolationForest::fit(x, params, 1), std::invalid_argument);
  params.max_features = -1;
  params.n_estimators = 0;
  CHECK_THROWS_AS(IsolationForest::fit(x, params, 1), std::invalid_argument);

  params.n_estimators = 2;
  const auto forest = IsolationForest::fit(x, params, 1);
  auto left = forest.left();
  left[0] = 0;  // a node that points to itself would loop forever
  CHECK_THROWS_AS(IsolationForest(2, 20, forest.tree_offsets(), forest.feature(), forest.threshold(), left,
                                  forest.n_samples()),
                  std::invalid_argument);
  auto feature = forest.feature();
  feature[0] = 7;
  CHECK_THROWS_AS(IsolationForest(2, 20, forest.tree_offsets(), feature, forest.threshold(), forest.left(),
                                  forest.n_samples()),
                  std::invalid_argument);
  std::vector<double> out(50);
  const std::vector<double> wide(150, 0.0);
  CHECK_THROWS_AS(forest.anomaly_scores(MatrixView<double>(wide.data(), 50, 3), 1, out.data()),
                  std::invalid_argument);
}

TEST_CASE("huge value ranges still split between min and max") {
  const Index n = 40;
  std::vector<double> data(static_cast<size_t>(n));
  for (Index i = 0; i < n; ++i) data[i] = (i % 2 == 0 ? -1.0 : 1.0) * 1e308 * (0.5 + 0.01 * i);
  FitParams params;
  params.n_estimators = 3;
  params.max_samples = n;
  params.seed = 8;
  const auto forest = IsolationForest::fit(MatrixView<double>(data.data(), n, 1), params, 1);
  for (Index node = 0; node < forest.node_count(); ++node) {
    if (forest.feature()[node] < 0) continue;
    CHECK(std::isfinite(forest.threshold()[node]));
  }
  std::vector<double> scores(n);
  forest.anomaly_scores(MatrixView<double>(data.data(), n, 1), 1, scores.data());
  for (double s : scores) CHECK(std::isfinite(s));
  // Falling back to the minimum as threshold would cut off one row per split.
  const double minimum = *std::min_element(data.begin(), data.end());
  for (Index t = 0; t < 3; ++t) CHECK(forest.threshold()[forest.tree_offsets()[t]] > minimum);
}
