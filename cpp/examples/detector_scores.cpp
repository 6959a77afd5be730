// Example consumer of the pyod_fast kernel library: HBOS, ECOD, COPOD and
// Isolation Forest scores of a small generated matrix with one planted
// outlier. Exits non-zero when any detector fails to rank the outlier first.
#include <cstdio>
#include <random>
#include <vector>

#include "pyod_fast/ecdf.hpp"
#include "pyod_fast/hbos.hpp"
#include "pyod_fast/iforest.hpp"

namespace {

using pyod_fast::Index;

Index top_row(const std::vector<double>& scores) {
  Index top = 0;
  for (Index i = 1; i < static_cast<Index>(scores.size()); ++i)
    if (scores[i] > scores[top]) top = i;
  return top;
}

}  // namespace

int main() {
  // 200 Gaussian rows in 3 features; the last row sits far out.
  const Index n = 200, d = 3;
  std::mt19937 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> rows(n * d);
  for (auto& value : rows) value = normal(rng);
  for (Index j = 0; j < d; ++j) rows[(n - 1) * d + j] = 8.0;
  const pyod_fast::MatrixView<double> X(rows.data(), n, d);
  const int threads = pyod_fast::core::resolve_threads(-1);

  std::vector<double> hbos_scores(n);
  pyod_fast::hbos::fit_and_score(X, /*bins=*/10, /*alpha=*/0.1, /*tol=*/0.5, threads, hbos_scores.data());

  std::vector<double> sorted(n * d), signs(d), ecod_scores(n), copod_scores(n);
  pyod_fast::ecdf::fit(X, pyod_fast::ecdf::Aggregation::ecod, threads, sorted.data(), signs.data(),
                       ecod_scores.data());
  pyod_fast::ecdf::fit(X, pyod_fast::ecdf::Aggregation::copod, threads, sorted.data(), signs.data(),
                       copod_scores.data());

  pyod_fast::iforest::FitParams params;
  params.n_estimators = 100;
  params.max_samples = 128;
  params.seed = 42;
  const auto forest = pyod_fast::iforest::IsolationForest::fit(X, params, threads);
  std::vector<double> forest_scores(n);
  forest.anomaly_scores(X, threads, forest_scores.data());

  int failures = 0;
  const struct {
    const char* name;
    const std::vector<double>& scores;
  } results[] = {{"HBOS", hbos_scores}, {"ECOD", ecod_scores}, {"COPOD", copod_scores}, {"IForest", forest_scores}};
  for (const auto& result : results) {
    const Index top = top_row(result.scores);
    std::printf("%-8s top row %lld, score %.4f\n", result.name, static_cast<long long>(top), result.scores[top]);
    if (top != n - 1) ++failures;
  }
  return failures == 0 ? 0 : 1;
}
