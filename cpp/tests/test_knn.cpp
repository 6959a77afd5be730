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
void check_against_naive(Index n, Index d, Index k, double p, Algorithm algorithm, int threads, Index m = 97) {
  const auto train = random_rows<T>(n, d, 7, true);
  const auto queries = random_rows<T>(m, d, 11, false);
  KnnIndex<T> index(MatrixView<T>(train.data(), n, d), p, algorithm, 8);

  std::vector<double> expected_dist, dist(m * k);
  std::vector<Index> expected_idx, idx(m * k);
  naive(train, queries, d, k, p, false, expected_dist, expected_idx);
  index.query(MatrixView<T>(queries.data(), m, d), k, threads, dist.data(), idx.data());
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

// Checks query and query_training of the brute-force Euclidean search (the
// screened path) against the oracle for one training and query size.
template <class T>
void check_single_query_set(Index n, Index d, Index k, Index m, int threads) {
  const auto train = random_rows<T>(n, d, 13, true);
  const auto queries = random_rows<T>(m, d, 17, false);
  KnnIndex<T> index(MatrixView<T>(train.data(), n, d), 2.0, Algorithm::brute, 30);
  std::vector<double> expected_dist, dist(m * k);
  std::vector<Index> expected_idx, idx(m * k);
  naive(train, queries, d, k, 2.0, false, expected_dist, expected_idx);
  index.query(MatrixView<T>(queries.data(), m, d), k, threads, dist.data(), idx.data());
  CHECK(idx == expected_idx);
  for (size_t i = 0; i < dist.size(); ++i) CHECK(dist[i] == doctest::Approx(expected_dist[i]).epsilon(1e-12));
  if (n < 2) return;
  std::vector<double> train_dist(n * k);
  std::vector<Index> train_idx(n * k);
  naive(train, train, d, k, 2.0, true, expected_dist, expected_idx);
  index.query_training(k, threads, train_dist.data(), train_idx.data());
  CHECK(train_idx == expected_idx);
  for (size_t i = 0; i < train_dist.size(); ++i)
    CHECK(train_dist[i] == doctest::Approx(expected_dist[i]).epsilon(1e-12));
}

// Checks the brute-force Euclidean query and query_training on given rows.
void check_rows_against_naive(const std::vector<double>& train, const std::vector<double>& queries, Index d, Index k,
                              int threads) {
  const Index n = static_cast<Index>(train.size()) / d, m = static_cast<Index>(queries.size()) / d;
  KnnIndex<double> index(MatrixView<double>(train.data(), n, d), 2.0, Algorithm::brute, 30);
  std::vector<double> expected_dist, dist(m * k);
  std::vector<Index> expected_idx, idx(m * k);
  naive(train, queries, d, k, 2.0, false, expected_dist, expected_idx);
  index.query(MatrixView<double>(queries.data(), m, d), k, threads, dist.data(), idx.data());
  CHECK(idx == expected_idx);
  CHECK(dist == expected_dist);
  std::vector<double> train_dist(n * k);
  std::vector<Index> train_idx(n * k);
  naive(train, train, d, k, 2.0, true, expected_dist, expected_idx);
  index.query_training(k, threads, train_dist.data(), train_idx.data());
  CHECK(train_idx == expected_idx);
  CHECK(train_dist == expected_dist);
}

}  // namespace

TEST_CASE("brute force matches the sorted oracle") {
  for (double p : {1.0, 2.0, 3.0, double(INFINITY)}) {
    CAPTURE(p);
    check_against_naive<double>(700, 5, 6, p, Algorithm::brute, 1);
    check_against_naive<double>(1500, 20, 4, p, Algorithm::brute, 2);
    check_against_naive<double>(1025, 16, 20, p, Algorithm::brute, 2, 257);
    check_against_naive<float>(700, 5, 6, p, Algorithm::brute, 2);
    check_against_naive<float>(1025, 16, 20, p, Algorithm::brute, 1, 257);
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

TEST_CASE("brute force at tile and block edges") {
  // Training sizes around multiples of the 32-row panel and query counts
  // around the 96-row task block and the 12-row tile, with both thread counts.
  for (Index n : {1, 2, 31, 32, 33, 63, 64, 65, 257}) {
    for (Index m : {1, 7, 11, 12, 13, 95, 96, 97, 300}) {
      for (int threads : {1, 2}) {
        CAPTURE(n);
        CAPTURE(m);
        CAPTURE(threads);
        const Index k = std::min<Index>(3, n - 1 > 0 ? n - 1 : 1);
        check_single_query_set<double>(n, 6, k, m, threads);
        check_single_query_set<float>(n, 6, k, m, threads);
      }
    }
  }
}

TEST_CASE("brute force and kd-tree agree exactly") {
  for (Index d : {1, 3, 16, 17}) {
    for (double p : {1.0, 2.0, 3.5, double(INFINITY)}) {
      CAPTURE(d);
      CAPTURE(p);
      const Index n = 600, m = 150, k = 5;
      const auto train = random_rows<double>(n, d, 21, true);
      const auto queries = random_rows<double>(m, d, 22, false);
      KnnIndex<double> brute(MatrixView<double>(train.data(), n, d), p, Algorithm::brute, 30);
      KnnIndex<double> tree(MatrixView<double>(train.data(), n, d), p, Algorithm::kd_tree, 30);
      for (int threads : {1, 2}) {
        std::vector<double> brute_dist(n * k), tree_dist(n * k);
        std::vector<Index> brute_idx(n * k), tree_idx(n * k);
        brute.query_training(k, threads, brute_dist.data(), brute_idx.data());
        tree.query_training(k, threads, tree_dist.data(), tree_idx.data());
        CHECK(brute_dist == tree_dist);
        CHECK(brute_idx == tree_idx);
        brute.query(MatrixView<double>(queries.data(), m, d), k, threads, brute_dist.data(), brute_idx.data());
        tree.query(MatrixView<double>(queries.data(), m, d), k, threads, tree_dist.data(), tree_idx.data());
        CHECK(std::equal(brute_dist.begin(), brute_dist.begin() + m * k, tree_dist.begin()));
        CHECK(std::equal(brute_idx.begin(), brute_idx.begin() + m * k, tree_idx.begin()));
      }
    }
  }
}

TEST_CASE("screening survives extreme scales") {
  // The float32 screen scales coordinates by a power of two: data near the
  // float range limits, or far below them, must still give exact results.
  // Beyond 1e+-120 the search falls back to direct distances.
  for (double scale : {1e-150, 1e-100, 1e-40, 1e-20, 1.0, 1e20, 1e40, 1e100, 1e150}) {
    CAPTURE(scale);
    const Index n = 300, d = 7, m = 40, k = 4;
    auto train = random_rows<double>(n, d, 31, true);
    auto queries = random_rows<double>(m, d, 32, false);
    for (auto& v : train) v = (v - 100.0) * scale;
    for (auto& v : queries) v = (v - 100.0) * scale;
    KnnIndex<double> index(MatrixView<double>(train.data(), n, d), 2.0, Algorithm::brute, 30);
    std::vector<double> expected_dist, dist(m * k);
    std::vector<Index> expected_idx, idx(m * k);
    naive(train, queries, d, k, 2.0, false, expected_dist, expected_idx);
    index.query(MatrixView<double>(queries.data(), m, d), k, 2, dist.data(), idx.data());
    CHECK(idx == expected_idx);
    for (size_t i = 0; i < dist.size(); ++i) CHECK(dist[i] == doctest::Approx(expected_dist[i]).epsilon(1e-12));
  }
}

TEST_CASE("screening keeps far-away queries exact") {
  // Queries far outside the training data set the scaling exponent.
  const Index n = 200, d = 3, k = 2;
  const auto train = random_rows<double>(n, d, 41, false);
  std::vector<double> queries{1e9, 0.0, 100.0, 100.0, 100.0, 100.0, -1e9, 1e9, 7.0};
  KnnIndex<double> index(MatrixView<double>(train.data(), n, d), 2.0, Algorithm::brute, 30);
  std::vector<double> expected_dist, dist(3 * k);
  std::vector<Index> expected_idx, idx(3 * k);
  naive(train, queries, d, k, 2.0, false, expected_dist, expected_idx);
  index.query(MatrixView<double>(queries.data(), 3, d), k, 1, dist.data(), idx.data());
  CHECK(idx == expected_idx);
  for (size_t i = 0; i < dist.size(); ++i) CHECK(dist[i] == doctest::Approx(expected_dist[i]).epsilon(1e-12));
}

TEST_CASE("training search pairs blocks in both directions") {
  // The screened training search covers the blocks near each other in the
  // spatial order first (phase 1), then every other pair of 96-row blocks
  // once for both directions (phase 2). Sizes around whole blocks, a k that
  // widens phase 1, and 1 to 3 threads must all match the oracle.
  for (Index n : {480, 481, 575, 576, 577, 1000, 1921}) {
    for (Index k : {1, 7, 150}) {
      for (int threads : {1, 3}) {
        CAPTURE(n);
        CAPTURE(k);
        CAPTURE(threads);
        const auto train = random_rows<double>(n, 9, 83, true);
        check_rows_against_naive(train, std::vector<double>(train.begin(), train.begin() + 9 * 5), 9, k, threads);
      }
    }
  }
}

TEST_CASE("training search survives extreme scales") {
  // Phase 2 builds its thresholds from the panel norms; they must stay safe
  // near the float range limits as well.
  for (double scale : {1e-100, 1e-40, 1.0, 1e40, 1e100}) {
    CAPTURE(scale);
    const Index n = 1200, d = 6, k = 5;
    auto train = random_rows<double>(n, d, 91, true);
    for (auto& v : train) v = (v - 100.0) * scale;
    KnnIndex<double> index(MatrixView<double>(train.data(), n, d), 2.0, Algorithm::brute, 30);
    std::vector<double> expected_dist, dist(n * k);
    std::vector<Index> expected_idx, idx(n * k);
    naive(train, train, d, k, 2.0, true, expected_dist, expected_idx);
    index.query_training(k, 2, dist.data(), idx.data());
    CHECK(idx == expected_idx);
    for (size_t i = 0; i < dist.size(); ++i) CHECK(dist[i] == doctest::Approx(expected_dist[i]).epsilon(1e-12));
  }
}

TEST_CASE("far-apart near-duplicates stay exact") {
  // Pairs of rows that differ in the last bits, with the two rows of a pair
  // far apart in the input, so that phase 2 has to find most of them.
  const Index half = 600, d = 5;
  std::mt19937 rng(97);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<double> train(static_cast<size_t>(2 * half * d));
  for (Index r = 0; r < half; ++r) {
    for (Index j = 0; j < d; ++j) {
      const double value = 1e3 + 10.0 * uniform(rng);
      train[r * d + j] = value;
      train[(r + half) * d + j] = value + (j == 0 ? 1e-9 * static_cast<double>(r % 7 + 1) : 0.0);
    }
  }
  check_rows_against_naive(train, std::vector<double>(train.begin(), train.begin() + d * 3), d, 3, 2);
}

TEST_CASE("a search without indices returns the same distances") {
  // Duplicates make ties at the k-th distance, where the kept pair differs
  // but the k smallest distances do not.
  const Index n = 1100, d = 4, m = 60, k = 6;
  const auto train = random_rows<double>(n, d, 101, true);
  const auto queries = random_rows<double>(m, d, 102, false);
  for (Algorithm algorithm : {Algorithm::brute, Algorithm::kd_tree}) {
    for (double p : {1.0, 2.0}) {
      CAPTURE(p);
      KnnIndex<double> index(MatrixView<double>(train.data(), n, d), p, algorithm, 30);
      for (int threads : {1, 2}) {
        std::vector<double> with(n * k), without(n * k);
        std::vector<Index> idx(n * k);
        index.query_training(k, threads, with.data(), idx.data());
        index.query_training(k, threads, without.data(), nullptr);
        CHECK(with == without);
        index.query(MatrixView<double>(queries.data(), m, d), k, threads, with.data(), idx.data());
        index.query(MatrixView<double>(queries.data(), m, d), k, threads, without.data(), nullptr);
        CHECK(std::equal(with.begin(), with.begin() + m * k, without.begin()));
      }
    }
  }
}

TEST_CASE("repeated rows match the oracle") {
  // Groups of identical rows smaller than, equal to and larger than k + 1
  // (the search stores each group once), a signed zero, and both metrics
  // families, algorithms and thread counts.
  const Index d = 3;
  for (Index k : {1, 4, 9}) {
    std::vector<double> train = random_rows<double>(400, d, 111, false);
    const Index group_sizes[] = {2, 4, 5, 6, 30, 200};
    Index next = 50;
    for (Index size : group_sizes) {
      for (Index r = next + 1; r < next + size; ++r) std::copy_n(train.data() + next * d, d, train.data() + r * d);
      next += size;
    }
    train[2 * d] = 0.0;
    train[3 * d] = -0.0;
    std::copy_n(train.data() + 2 * d + 1, d - 1, train.data() + 3 * d + 1);
    const Index n = static_cast<Index>(train.size()) / d;
    const std::vector<double> queries(train.begin() + 40 * d, train.begin() + 120 * d);
    const Index m = static_cast<Index>(queries.size()) / d;
    for (Algorithm algorithm : {Algorithm::brute, Algorithm::kd_tree, Algorithm::automatic}) {
      for (double p : {1.0, 2.0, 3.0}) {
        for (int threads : {1, 2}) {
          CAPTURE(k);
          CAPTURE(p);
          CAPTURE(threads);
          KnnIndex<double> index(MatrixView<double>(train.data(), n, d), p, algorithm, 8);
          std::vector<double> expected_dist, dist(n * k), bare(n * k);
          std::vector<Index> expected_idx, idx(n * k);
          naive(train, train, d, k, p, true, expected_dist, expected_idx);
          index.query_training(k, threads, dist.data(), idx.data());
          CHECK(idx == expected_idx);
          for (size_t i = 0; i < dist.size(); ++i) CHECK(dist[i] == doctest::Approx(expected_dist[i]).epsilon(1e-12));
          index.query_training(k, threads, bare.data(), nullptr);
          CHECK(bare == dist);
          naive(train, queries, d, k, p, false, expected_dist, expected_idx);
          index.query(MatrixView<double>(queries.data(), m, d), k, threads, dist.data(), idx.data());
          CHECK(std::equal(expected_idx.begin(), expected_idx.end(), idx.begin()));
          for (Index i = 0; i < m * k; ++i) CHECK(dist[i] == doctest::Approx(expected_dist[i]).epsilon(1e-12));
        }
      }
    }
  }
}

TEST_CASE("a single repeated row is searched once") {
  // Every row equal: each row's neighbours are the lowest other indices.
  const Index n = 3000, d = 2, k = 5;
  const std::vector<float> train(static_cast<size_t>(n * d), 1.5f);
  KnnIndex<float> index(MatrixView<float>(train.data(), n, d), 2.0, Algorithm::automatic, 30);
  std::vector<double> dist(n * k);
  std::vector<Index> idx(n * k);
  index.query_training(k, 2, dist.data(), idx.data());
  for (Index q = 0; q < n; ++q) {
    Index expected = 0;
    for (Index j = 0; j < k; ++j, ++expected) {
      if (expected == q) ++expected;
      CHECK(idx[q * k + j] == expected);
      CHECK(dist[q * k + j] == 0.0);
    }
  }
}

TEST_CASE("one far-away training row keeps the search exact") {
  // The row at 1e7 sets the scale of the screen; the centre stays with the
  // bulk of the rows.
  for (Index n : {300, 1300}) {
    CAPTURE(n);
    auto train = random_rows<double>(n, 12, 121, true);
    std::fill_n(train.begin(), 12, 1e7);
    check_rows_against_naive(train, std::vector<double>(train.begin(), train.begin() + 12 * 40), 12, 6, 2);
  }
}

TEST_CASE("distances stay exact at any scale") {
  // Squared differences of data near 1e-169 or 1e-301 underflow and those
  // near 1e156 overflow; the metric's internal power-of-two scale avoids
  // both. Scaling the data by 2^shift must scale every distance by exactly
  // 2^shift and keep every neighbour.
  const Index n = 700, d = 5, m = 30, k = 4;
  const auto train = random_rows<double>(n, d, 131, true);
  const auto queries = random_rows<double>(m, d, 132, false);
  for (double p : {2.0, 3.0}) {
    for (Algorithm algorithm : {Algorithm::brute, Algorithm::kd_tree}) {
      KnnIndex<double> unit(MatrixView<double>(train.data(), n, d), p, algorithm, 30);
      std::vector<double> unit_train(n * k), unit_query(m * k);
      std::vector<Index> unit_train_idx(n * k), unit_query_idx(m * k);
      unit.query_training(k, 2, unit_train.data(), unit_train_idx.data());
      unit.query(MatrixView<double>(queries.data(), m, d), k, 2, unit_query.data(), unit_query_idx.data());
      for (int shift : {-560, -1000, 510}) {
        CAPTURE(p);
        CAPTURE(shift);
        std::vector<double> small_train(train), small_queries(queries);
        for (auto& v : small_train) v = std::ldexp(v, shift);
        for (auto& v : small_queries) v = std::ldexp(v, shift);
        KnnIndex<double> index(MatrixView<double>(small_train.data(), n, d), p, algorithm, 30);
        std::vector<double> dist(n * k);
        std::vector<Index> idx(n * k);
        index.query_training(k, 2, dist.data(), idx.data());
        // std::pow is not always correctly rounded, so p = 3 may differ in
        // the last bits.
        const double tolerance = p == 2.0 ? 0.0 : 1e-13;
        auto scaled_equal = [&](double value, double unit_value) {
          const double expected = std::ldexp(unit_value, shift);
          return std::abs(value - expected) <= tolerance * std::abs(expected);
        };
        CHECK(idx == unit_train_idx);
        for (Index i = 0; i < n * k; ++i) CHECK(scaled_equal(dist[i], unit_train[i]));
        index.query(MatrixView<double>(small_queries.data(), m, d), k, 2, dist.data(), idx.data());
        for (Index i = 0; i < m * k; ++i) {
          CHECK(idx[i] == unit_query_idx[i]);
          CHECK(scaled_equal(dist[i], unit_query[i]));
        }
      }
    }
  }
}

TEST_CASE("many duplicates keep ties by index") {
  // 700 copies of one row pass the screen together for every query near
  // them, more than the candidate list keeps before it is confirmed.
  for (int threads : {1, 2}) {
    const Index n = 1500, d = 5, k = 4;
    auto train = random_rows<double>(n, d, 61, false);
    for (Index r = 100; r < 800; ++r) std::copy_n(train.data(), d, train.data() + r * d);
    check_rows_against_naive(train, train, d, k, threads);
  }
}

TEST_CASE("auto picks the tree only where it prunes") {
  const auto low = random_rows<double>(5000, 2, 71, false);
  const auto high = random_rows<double>(5000, 10, 72, false);
  const auto wide = random_rows<double>(500, 20, 73, false);
  CHECK(KnnIndex<double>(MatrixView<double>(low.data(), 5000, 2), 2.0, Algorithm::automatic, 30).algorithm() ==
        Algorithm::kd_tree);
  CHECK(KnnIndex<double>(MatrixView<double>(high.data(), 5000, 10), 2.0, Algorithm::automatic, 30).algorithm() ==
        Algorithm::brute);
  CHECK(KnnIndex<double>(MatrixView<double>(wide.data(), 500, 20), 2.0, Algorithm::automatic, 30).algorithm() ==
        Algorithm::brute);
  // An explicit choice is kept.
  CHECK(KnnIndex<double>(MatrixView<double>(high.data(), 5000, 10), 2.0, Algorithm::kd_tree, 30).algorithm() ==
        Algorithm::kd_tree);
}

TEST_CASE("auto after switching matches the oracle") {
  // d = 10 Gaussian data makes the probe switch from the tree to brute force;
  // the index must then behave like one built as brute force.
  for (double p : {1.0, 2.0}) {
    CAPTURE(p);
    check_against_naive<double>(2000, 10, 5, p, Algorithm::automatic, 2);
  }
}

TEST_CASE("training data round-trips in original order") {
  const Index n = 100, d = 4;
  const auto train = random_rows<double>(n, d, 51, true);
  for (Algorithm algorithm : {Algorithm::brute, Algorithm::kd_tree, Algorithm::automatic}) {
    KnnIndex<double> index(MatrixView<double>(train.data(), n, d), 2.0, algorithm, 5);
    std::vector<double> back(n * d);
    index.training_data(back.data());
    CHECK(back == train);
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
