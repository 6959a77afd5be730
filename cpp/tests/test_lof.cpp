#include <cmath>
#include <vector>

#include "doctest.h"
#include "pyod_fast/knn.hpp"
#include "pyod_fast/lof.hpp"

using pyod_fast::Index;
using pyod_fast::MatrixView;

TEST_CASE("LOF on a line, computed by hand") {
  // Points 0, 1, 2 and 10 on a line with k = 1. Neighbours: 0->1, 1->0
  // (tie with 2, lower index wins), 2->1, 10->2. k-distances: 1, 1, 1, 8.
  const std::vector<double> x{0.0, 1.0, 2.0, 10.0};
  pyod_fast::knn::KnnIndex<double> index(MatrixView<double>(x.data(), 4, 1), 2.0,
                                         pyod_fast::knn::Algorithm::brute, 30);
  std::vector<double> dist(4), density(4), scores(4);
  std::vector<Index> idx(4);
  index.query_training(1, 1, dist.data(), idx.data());
  CHECK(idx == std::vector<Index>{1, 0, 1, 2});

  const std::vector<double> k_distance = dist;
  pyod_fast::lof::reachability_density(dist.data(), idx.data(), 4, 1, k_distance.data(), 4, density.data());
  // reach-dist(10, 2) = max(k-distance(2) = 1, d = 8) = 8, so lrd(10) = 1/8.
  CHECK(density[3] == doctest::Approx(1.0 / 8.0));
  CHECK(density[0] == doctest::Approx(1.0));

  pyod_fast::lof::outlier_factor(idx.data(), 4, 1, density.data(), density.data(), scores.data());
  CHECK(scores[3] == doctest::Approx(8.0));  // lrd(2) / lrd(10) = 1 / (1/8)
  CHECK(scores[0] == doctest::Approx(1.0));
}

TEST_CASE("LOF stays finite when duplicates outnumber k") {
  std::vector<double> x(40, 3.0);
  x.push_back(5.0);
  const Index n = static_cast<Index>(x.size()), k = 5;
  pyod_fast::knn::KnnIndex<double> index(MatrixView<double>(x.data(), n, 1), 2.0,
                                         pyod_fast::knn::Algorithm::kd_tree, 30);
  std::vector<double> dist(n * k), k_distance(n), density(n), scores(n);
  std::vector<Index> idx(n * k);
  index.query_training(k, 2, dist.data(), idx.data());
  for (Index i = 0; i < n; ++i) k_distance[i] = dist[i * k + k - 1];
  pyod_fast::lof::reachability_density(dist.data(), idx.data(), n, k, k_distance.data(), n, density.data());
  pyod_fast::lof::outlier_factor(idx.data(), n, k, density.data(), density.data(), scores.data());
  for (Index i = 0; i < n; ++i) CHECK(std::isfinite(scores[i]));
  CHECK(scores[0] == doctest::Approx(1.0));
  CHECK(scores[n - 1] > 1e6);
}
