// Example consumer of the pyod_fast kernel library: kNN outlier scores of a
// small matrix with one obvious outlier, printed one per row.
#include <cstdio>
#include <vector>

#include "pyod_fast/knn.hpp"

int main() {
  using pyod_fast::Index;
  // Six 2-D points: five near the origin and one far away.
  const std::vector<double> rows{0.0, 0.0, 0.1, 0.0, 0.0, 0.1, 0.1, 0.1, 0.05, 0.05, 5.0, 5.0};
  const Index n = 6, d = 2, k = 2;

  pyod_fast::knn::KnnIndex<double> index(pyod_fast::MatrixView<double>(rows.data(), n, d), /*p=*/2.0,
                                         pyod_fast::knn::Algorithm::automatic, /*leaf_size=*/30);
  std::vector<double> distances(n * k), scores(n);
  std::vector<Index> neighbours(n * k);
  index.query_training(k, pyod_fast::core::resolve_threads(-1), distances.data(), neighbours.data());
  pyod_fast::knn::score_neighbors(distances.data(), n, k, pyod_fast::knn::ScoreMethod::largest, scores.data());

  Index top = 0;
  for (Index i = 0; i < n; ++i) {
    std::printf("row %lld: score %.4f\n", static_cast<long long>(i), scores[i]);
    if (scores[i] > scores[top]) top = i;
  }
  // The far point must rank first; a non-zero exit code fails the ctest run.
  return top == n - 1 ? 0 : 1;
}
