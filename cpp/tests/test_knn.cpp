#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "doctest.h"
#include "pyod_fast/knn.hpp"

using pyod_fast::Index;
using pyod_fast::MatrixView;
using namespace pyod_fast::knn;

namespace {

template <class T>
std::vector<T> random_rows(Index n, Index d, unsigned seed, bool with_duplicates) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<T> data(static_cast<size_t>(n * d));
  for (auto& v : data) v = static_cast<T>(normal(rng) + 100.0);  // offset tests the centring
  if (with_duplicates) {
    for (Index r = n / 2; r < n / 2 + 12 && r < n; ++r) std::copy_n(data.data(), d, data.data() + r * d);
  }
  return data;
}

// Sorts every candidate by (distance, index): the oracle for both algorithms.
template <class T>
void naive(const std::vector<T>& train, const std::vector<T>& queries, Index d, Index k, double p, bool exclude_self,
           std::vector<double>& dist, std::vector<Index>& idx) {
  const Index n = static_cast<Index>(train.size()) / d, m = static_cast<Index>(queries.size()) / d;
  Minkowski metric(p);
  dist.assign(m * k, 0.0);
  idx.assign(m * k, 0);
  for (Index q = 0; q < m; ++q) {
    std::vector<std::pair<double, Index>> all;
    for (Index t = 0; t < n; ++t) {
      if (exclude_self && t == q) continue;
      all.emplace_back(metric.reduced(&queries[q * d], &train[t * d], d), t);
    }
    std::sort(all.begin(), all.end());
    for (Index j = 0; j < k; ++j) {
      dist[q * k + j] = metric.to_distance(all[j].first);
      idx[q * k + j] = all[j].second;
    }
  }
}

template <class T>
void check_against_naive(Index n, Index d, Index k, double p, Algorithm algorithm, int threads) {
  const auto train = random_rows<T>(n, d, 7, true);
  const auto queries = random_rows<T>(97, d, 11, false);
  KnnIndex<T> index(MatrixView<T>(train.data(), n, d), p, algorithm, 8);

  std::vector<double> expected_dist, dist(97 * k);
  std::vector<Index> expected_idx, idx(97 * k);
  naive(train, queries, d, k, p, false, expected_dist, expected_idx);
  index.query(MatrixView<T>(queries.data(), 97, d), k, threads, dist.data(), idx.data());
  for (size_t i = 0; i < dist.size(); ++i) {
    CHECK(idx[i] == expected_idx[i]);
    CHECK(dist[i] == doctest::Approx(expected_dist[i]).epsilon(1e-12));
  }

  std::vector<double> train_dist(n * k);
  std::vector<Index> train_idx(n * k);
  naive(train, train, d, k, p, true, expected_dist, expected_idx);
  index.query_training(k, threads, train_dist.data(), train_idx.data());
  for (size_t i = 0; i < train_dist.size(); ++i) {
    CHECK(train_idx[i] == expected_idx[i]);
    CHECK(train_dist[i] == doctest::Approx(expected_dist[i]).epsilon(1e-12));
  }
}

}  // namespace

TEST_CASE("brute force matches the sorted oracle") {
  for (double p : {1.0, 2.0, 3.0, double(INFINITY)}) {
    CAPTURE(p);
    check_against_naive<double>(700, 5, 6, p, Algorithm::brute, 1);
    check_against_naive<double>(1500, 20, 4, p, Algorithm::brute, 2);
    check_against_naive<float>(700, 5, 6, p, Algorithm::brute, 2);
  }
}

TEST_CASE("kd-tree matches the sorted oracle") {
  for (double p : {1.0, 2.0, 3.0, double(INFINITY)}) {
    CAPTURE(p);
    check_against_naive<double>(900, 3, 7, p, Algorithm::kd_tree, 1);
    check_against_naive<double>(400, 8, 3, p, Algorithm::kd_tree, 2);
    check_against_naive<float>(900, 3, 7, p, Algorithm::kd_tree, 2);
  }
}

TEST_CASE("near-duplicate rows get exact distances") {
  // Rows far from the origin that differ in the last bits: the matrix-product
  // expansion alone would return 0 or garbage for their distance.
  const Index d = 4;
  std::vector<double> train;
  for (int r = 0; r < 50; ++r)
    for (Index j = 0; j < d; ++j) train.push_back(1e6 + r * 1e-6 + j);
  KnnIndex<double> index(MatrixView<double>(train.data(), 50, d), 2.0, Algorithm::brute, 30);
  std::vector<double> dist(50);
  std::vector<Index> idx(50);
  index.query_training(1, 1, dist.data(), idx.data());
  for (Index r = 0; r < 50; ++r) {
    CHECK(dist[r] == doctest::Approx(2e-6).epsilon(1e-6));
  }
}

TEST_CASE("invalid arguments throw invalid_argument") {
  std::vector<double> train(12, 1.0);
  KnnIndex<double> index(MatrixView<double>(train.data(), 4, 3), 2.0, Algorithm::automatic, 30);
  std::vector<double> dist(16);
  std::vector<Index> idx(16);
  CHECK_THROWS_AS(index.query_training(4, 1, dist.data(), idx.data()), std::invalid_argument);
  CHECK_THROWS_AS(index.query(MatrixView<double>(train.data(), 3, 4), 1, 1, dist.data(), idx.data()),
                  std::invalid_argument);
  CHECK_THROWS_AS(Minkowski(0.5), std::invalid_argument);
  CHECK_THROWS_AS(parse_algorithm("ball"), std::invalid_argument);
}

TEST_CASE("score_neighbors aggregates each row") {
  const std::vector<double> distances{1, 2, 4, 8, 0, 0, 3, 5};
  std::vector<double> scores(2);
  score_neighbors(distances.data(), 2, 4, ScoreMethod::largest, scores.data());
  CHECK(scores[0] == 8.0);
  CHECK(scores[1] == 5.0);
  score_neighbors(distances.data(), 2, 4, ScoreMethod::mean, scores.data());
  CHECK(scores[0] == 3.75);
  CHECK(scores[1] == 2.0);
  score_neighbors(distances.data(), 2, 4, ScoreMethod::median, scores.data());
  CHECK(scores[0] == 3.0);
  CHECK(scores[1] == 1.5);
}
