#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "doctest.h"
#include "pyod_fast/hbos.hpp"

using pyod_fast::Index;
using pyod_fast::MatrixView;
using namespace pyod_fast::hbos;

namespace {

std::vector<double> normal_rows(Index n, Index d, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> data(static_cast<size_t>(n * d));
  for (auto& v : data) v = normal(rng);
  return data;
}

std::vector<double> scores_of(const Histograms& histograms, const std::vector<double>& rows, Index d, int threads = 1) {
  const Index m = static_cast<Index>(rows.size()) / d;
  std::vector<double> scores(static_cast<size_t>(m));
  score(histograms, MatrixView<double>(rows.data(), m, d), 0.1, 0.5, threads, scores.data());
  return scores;
}

}  // namespace

TEST_CASE("edges and counts follow numpy.histogram") {
  // numpy.histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], bins=4):
  // edges [0, 2.5, 5, 7.5, 10], counts [3, 2, 3, 3] (5 falls in [5, 7.5)).
  std::vector<double> column{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const auto histograms = fit(MatrixView<double>(column.data(), 11, 1), 4, 1);
  REQUIRE(histograms.bins(0) == 4);
  const std::vector<double> edges(histograms.feature_edges(0), histograms.feature_edges(0) + 5);
  CHECK(edges == std::vector<double>{0.0, 2.5, 5.0, 7.5, 10.0});
  const double* density = histograms.feature_density(0);
  const double counts[4] = {3, 2, 3, 3};
  for (int k = 0; k < 4; ++k) CHECK(density[k] == doctest::Approx(counts[k] / 2.5 / 11.0).epsilon(1e-15));
}

TEST_CASE("scores sum log2(density + alpha) with digitize(right=True) lookup") {
  std::vector<double> column{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const auto histograms = fit(MatrixView<double>(column.data(), 11, 1), 4, 1);
  const double* density = histograms.feature_density(0);
  auto term = [&](int bin) { return -std::log2(density[bin] + 0.1); };
  // 5.0 lies on the inner edge between bins 1 and 2: the lookup takes bin 1.
  // 0.0 is on the first edge and 10.0 on the last: the outer bins.
  const std::vector<double> queries{5.0, 0.0, 10.0, 6.0, -1.0, -2.0, 11.0, 12.0};
  const auto scores = scores_of(histograms, queries, 1);
  CHECK(scores[0] == term(1));
  CHECK(scores[1] == term(0));
  CHECK(scores[2] == term(3));
  CHECK(scores[3] == term(2));
  // Within tol = 0.5 bin widths (1.25) of the range: the outer bin.
  CHECK(scores[4] == term(0));
  CHECK(scores[6] == term(3));
  // Farther out: the lowest log-density of the feature, that of bin 1.
  CHECK(scores[5] == term(1));
  CHECK(scores[7] == term(1));
}

TEST_CASE("constant and near-constant features give finite scores") {
  // A constant feature spans [c - 0.5, c + 0.5] as in NumPy.
  std::vector<double> constant(50, 7.0);
  const auto histograms = fit(MatrixView<double>(constant.data(), 50, 1), 10, 1);
  CHECK(histograms.feature_edges(0)[0] == 6.5);
  CHECK(histograms.feature_edges(0)[10] == 7.5);
  for (double s : scores_of(histograms, {7.0, 7.2, 100.0, -1e300}, 1)) CHECK(std::isfinite(s));

  // c +- 0.5 rounds back to c in float32 here, so every edge is equal and
  // NumPy would divide by a zero width.
  std::vector<float> huge(30, 3.0e7f);
  const auto collapsed = fit(MatrixView<float>(huge.data(), 30, 1), 10, 1);
  for (Index k = 0; k < collapsed.bins(0); ++k) CHECK(std::isfinite(collapsed.feature_density(0)[k]));
  std::vector<double> scores(2);
  const std::vector<float> queries{3.0e7f, 1.0f};
  score(collapsed, MatrixView<float>(queries.data(), 2, 1), 0.1, 0.5, 1, scores.data());
  CHECK(std::isfinite(scores[0]));
  CHECK(std::isfinite(scores[1]));
}

TEST_CASE("automatic bins: Birge-Rozenholc on uniform and bimodal data") {
  const Index n = 2500;
  std::vector<double> uniform(n);
  for (Index i = 0; i < n; ++i) uniform[i] = static_cast<double>(i) / n;
  const auto flat = fit(MatrixView<double>(uniform.data(), n, 1), 0, 1);
  // A flat density needs no bins to speak of: the penalty wins.
  CHECK(flat.bins(0) == 1);

  std::vector<double> bimodal(n);
  for (Index i = 0; i < n; ++i) bimodal[i] = (i % 2 ? 10.0 : 0.0) + static_cast<double>(i % 50) / 500.0;
  const auto peaks = fit(MatrixView<double>(bimodal.data(), n, 1), 0, 1);
  CHECK(peaks.bins(0) >= 2);
  CHECK(peaks.bins(0) < 50);
}

TEST_CASE("HBOS results do not depend on the thread count") {
  const Index n = 20000, d = 6;
  const auto data = normal_rows(n, d, 5);
  MatrixView<double> X(data.data(), n, d);
  for (Index bins : {Index{10}, Index{0}}) {
    const auto one = fit(X, bins, 1);
    const auto three = fit(X, bins, 3);
    CHECK(one.offsets == three.offsets);
    CHECK(one.edges == three.edges);
    CHECK(one.density == three.density);
    CHECK(scores_of(one, data, d, 1) == scores_of(one, data, d, 3));
  }
}

TEST_CASE("every training value is counted once") {
  const Index n = 1000, d = 3;
  const auto data = normal_rows(n, d, 9);
  const auto histograms = fit(MatrixView<double>(data.data(), n, d), 13, 1);
  for (Index j = 0; j < d; ++j) {
    const double* edges = histograms.feature_edges(j);
    double mass = 0.0;
    for (Index k = 0; k < 13; ++k) mass += histograms.feature_density(j)[k] * (edges[k + 1] - edges[k]);
    CHECK(mass == doctest::Approx(1.0).epsilon(1e-12));
  }
}

TEST_CASE("fit_and_score equals fit followed by score") {
  // Integer-valued data put many training values exactly on bin edges.
  const Index n = 3000, d = 4;
  std::mt19937 rng(13);
  std::uniform_int_distribution<int> small(0, 20);
  std::vector<double> data(static_cast<size_t>(n * d));
  for (auto& v : data) v = small(rng);
  std::vector<float> data32(data.begin(), data.end());
  for (Index bins : {Index{10}, Index{4}, Index{0}}) {
    std::vector<double> direct(n), combined(n);
    const MatrixView<double> X(data.data(), n, d);
    const auto histograms = fit(X, bins, 1);
    score(histograms, X, 0.1, 0.5, 2, direct.data());
    const auto same = fit_and_score(X, bins, 0.1, 0.5, 2, combined.data());
    CHECK(same.density == histograms.density);
    CHECK(combined == direct);

    const MatrixView<float> X32(data32.data(), n, d);
    const auto histograms32 = fit(X32, bins, 1);
    score(histograms32, X32, 0.1, 0.5, 1, direct.data());
    fit_and_score(X32, bins, 0.1, 0.5, 1, combined.data());
    CHECK(combined == direct);
  }
}
