#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "doctest.h"
#include "pyod_fast/ecdf.hpp"

using pyod_fast::Index;
using pyod_fast::MatrixView;
using namespace pyod_fast::ecdf;

namespace {

// Rounded values in [-5, 5] so that every column has many ties.
std::vector<double> tied_rows(Index n, Index d, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 2.0);
  std::vector<double> data(static_cast<size_t>(n * d));
  for (auto& v : data) v = std::round(std::clamp(normal(rng), -5.0, 5.0) * 2.0) / 2.0;
  return data;
}

// Brute-force O(n^2) oracle: tail counts by direct comparison with the
// `reference` rows (floored at 1 when floor_at_one), the given skewness
// signs and the aggregation, summed over features.
std::vector<double> naive_scores(const std::vector<double>& reference, const std::vector<double>& queries, Index d,
                                 const std::vector<double>& signs, Aggregation aggregation, bool floor_at_one) {
  const Index n = static_cast<Index>(reference.size()) / d, m = static_cast<Index>(queries.size()) / d;
  std::vector<double> scores(static_cast<size_t>(m), 0.0);
  for (Index q = 0; q < m; ++q) {
    for (Index j = 0; j < d; ++j) {
      const double v = queries[q * d + j];
      Index at_most = 0, at_least = 0;
      for (Index t = 0; t < n; ++t) {
        at_most += reference[t * d + j] <= v;
        at_least += reference[t * d + j] >= v;
      }
      if (floor_at_one) {
        at_most = std::max<Index>(at_most, 1);
        at_least = std::max<Index>(at_least, 1);
      }
      const double left = -std::log(static_cast<double>(at_most) / n);
      const double right = -std::log(static_cast<double>(at_least) / n);
      scores[q] += aggregate(left, right, signs[j], aggregation);
    }
  }
  return scores;
}

void check_close(const std::vector<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    CHECK(std::isfinite(actual[i]));
    CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  }
}

}  // namespace

TEST_CASE("ecdf_value follows numpy.linspace(1/n, 1, n)") {
  CHECK(ecdf_value(1, 1) == 1.0);
  CHECK(ecdf_value(5, 5) == 1.0);
  CHECK(ecdf_value(1, 4) == 0.25);
  CHECK(ecdf_value(3, 4) == doctest::Approx(0.75).epsilon(1e-15));
  for (Index n : {2, 7, 1000}) {
    for (Index c = 1; c <= n; ++c) CHECK(ecdf_value(c, n) == doctest::Approx(double(c) / n).epsilon(1e-14));
  }
}

TEST_CASE("pairwise_sum adds in NumPy's order") {
  std::vector<double> ones(300, 0.1);
  double sequential = 0.0;
  for (double v : ones) sequential += v;
  CHECK(pairwise_sum(ones.data(), 300) == doctest::Approx(30.0).epsilon(1e-14));
  CHECK(pairwise_sum(ones.data(), 5) == 0.1 + 0.1 + 0.1 + 0.1 + 0.1);
  // Pairwise partial sums round differently from a running sum here.
  CHECK(pairwise_sum(ones.data(), 300) != sequential);
  CHECK(pairwise_sum(ones.data(), 0) == 0.0);
}

TEST_CASE("skew_sign: symmetric, constant and skewed columns") {
  const std::vector<double> symmetric{-1.0, 0.0, 1.0};
  const std::vector<double> constant{3.0, 3.0, 3.0, 3.0};
  const std::vector<double> right_tail{0.0, 0.0, 0.0, 0.0, 10.0};
  const std::vector<double> left_tail{0.0, 10.0, 10.0, 10.0, 10.0};
  for (bool pairwise : {false, true}) {
    CHECK(skew_sign(symmetric.data(), 3, pairwise) == 0.0);
    CHECK(skew_sign(constant.data(), 4, pairwise) == 0.0);
    CHECK(skew_sign(right_tail.data(), 5, pairwise) == 1.0);
    CHECK(skew_sign(left_tail.data(), 5, pairwise) == -1.0);
  }
  const std::vector<float> float_tail{0.0f, 0.0f, 1.0f};
  CHECK(skew_sign(float_tail.data(), 3, false) == 1.0);
}

TEST_CASE("sort_entries orders values, keeps rows, handles -0.0 and ties") {
  for (Index n : {10, 5000}) {
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> small(-50, 50);
    std::vector<detail::Entry> entries(static_cast<size_t>(n)), buffer;
    for (Index i = 0; i < n; ++i) {
      double v = small(rng) * 0.25;
      if (i % 7 == 0) v = -0.0;
      if (i % 11 == 0) v = 1e300 * (i % 2 ? 1 : -1);
      entries[i] = detail::Entry{v, static_cast<std::uint32_t>(i)};
    }
    const auto original = entries;
    detail::sort_entries(entries, buffer);
    for (Index i = 1; i < n; ++i) CHECK(entries[i - 1].value <= entries[i].value);
    std::vector<int> seen(static_cast<size_t>(n), 0);
    for (const auto& e : entries) {
      ++seen[e.row];
      CHECK(e.value == original[e.row].value);
    }
    CHECK(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
  }
}

TEST_CASE("gallop finds the same position as a binary search") {
  std::vector<double> data(1000);
  for (int i = 0; i < 1000; ++i) data[i] = std::floor(i / 3.0);
  for (Index from : {0, 5, 400, 999, 1000}) {
    for (double v : {-1.0, 0.0, 2.0, 150.0, 332.0, 333.0, 1e9}) {
      const auto below = [v](double t) { return t < v; };
      const Index expected = std::max<Index>(from, std::lower_bound(data.begin(), data.end(), v) - data.begin());
      CHECK(detail::gallop(data.data(), from, 1000, below) == expected);
    }
  }
}

TEST_CASE("fit matches the brute-force ECDF scores with ties") {
  const Index n = 300, d = 4;
  const auto data = tied_rows(n, d, 7);
  MatrixView<double> X(data.data(), n, d);
  for (Aggregation aggregation : {Aggregation::copod, Aggregation::ecod}) {
    std::vector<double> sorted(n * d), signs(d), scores(n);
    fit(X, aggregation, 1, sorted.data(), signs.data(), scores.data());
    for (Index j = 0; j < d; ++j) CHECK(std::is_sorted(sorted.begin() + j * n, sorted.begin() + (j + 1) * n));
    check_close(scores, naive_scores(data, data, d, signs, aggregation, false));

    // The training rows scored against the fitted ECDFs give fit's scores.
    std::vector<double> again(n);
    ScoreOutputs outputs;
    outputs.scores = again.data();
    score(SortedColumns<double>{sorted.data(), n, d}, signs.data(), X, aggregation, Reference::fitted, 1, outputs);
    CHECK(again == scores);
  }
}

TEST_CASE("fitted reference: new rows, out-of-range values and single rows") {
  const Index n = 200, d = 3, m = 60;
  const auto train = tied_rows(n, d, 11);
  auto queries = tied_rows(m, d, 12);
  queries[0] = -100.0;  // below every training value
  queries[4] = 100.0;   // above every training value
  MatrixView<double> X(train.data(), n, d);
  std::vector<double> sorted(n * d), signs(d), fitted(n);
  fit(X, Aggregation::ecod, 1, sorted.data(), signs.data(), fitted.data());
  const SortedColumns<double> columns{sorted.data(), n, d};

  std::vector<double> batch(m);
  ScoreOutputs outputs;
  outputs.scores = batch.data();
  score(columns, signs.data(), MatrixView<double>(queries.data(), m, d), Aggregation::ecod, Reference::fitted, 1,
        outputs);
  check_close(batch, naive_scores(train, queries, d, signs, Aggregation::ecod, true));

  for (Index q : {Index{0}, Index{4}, Index{17}, m - 1}) {
    double single = 0.0;
    ScoreOutputs one;
    one.scores = &single;
    score(columns, signs.data(), MatrixView<double>(queries.data() + q * d, 1, d), Aggregation::ecod,
          Reference::fitted, 1, one);
    CHECK(single == batch[q]);
  }
}

TEST_CASE("batch reference equals fitting on training and batch rows together") {
  const Index n = 150, d = 3, m = 40;
  const auto train = tied_rows(n, d, 21);
  const auto queries = tied_rows(m, d, 22);
  std::vector<double> both(train);
  both.insert(both.end(), queries.begin(), queries.end());
  for (Aggregation aggregation : {Aggregation::copod, Aggregation::ecod}) {
    std::vector<double> sorted(n * d), signs(d), fitted(n);
    fit(MatrixView<double>(train.data(), n, d), aggregation, 1, sorted.data(), signs.data(), fitted.data());

    std::vector<double> joint_sorted((n + m) * d), joint_signs(d), joint(n + m);
    fit(MatrixView<double>(both.data(), n + m, d), aggregation, 1, joint_sorted.data(), joint_signs.data(),
        joint.data());

    std::vector<double> batch_signs(d), batch(m);
    skew_signs(MatrixView<double>(train.data(), n, d), MatrixView<double>(queries.data(), m, d), 1,
               batch_signs.data());
    CHECK(batch_signs == joint_signs);
    ScoreOutputs outputs;
    outputs.scores = batch.data();
    score(SortedColumns<double>{sorted.data(), n, d}, batch_signs.data(), MatrixView<double>(queries.data(), m, d),
          aggregation, Reference::batch, 1, outputs);
    for (Index q = 0; q < m; ++q) CHECK(batch[q] == doctest::Approx(joint[n + q]).epsilon(1e-12));
  }
}

TEST_CASE("per-feature outputs sum to the row scores") {
  const Index n = 100, d = 5;
  const auto data = tied_rows(n, d, 31);
  MatrixView<double> X(data.data(), n, d);
  std::vector<double> sorted(n * d), signs(d), scores(n);
  fit(X, Aggregation::copod, 1, sorted.data(), signs.data(), scores.data());
  std::vector<double> left(n * d), right(n * d), combined(n * d);
  ScoreOutputs outputs;
  outputs.left = left.data();
  outputs.right = right.data();
  outputs.combined = combined.data();
  score(SortedColumns<double>{sorted.data(), n, d}, signs.data(), X, Aggregation::copod, Reference::fitted, 1, outputs);
  for (Index i = 0; i < n; ++i) {
    double total = 0.0;
    for (Index j = 0; j < d; ++j) {
      CHECK(combined[i * d + j] == aggregate(left[i * d + j], right[i * d + j], signs[j], Aggregation::copod));
      total += combined[i * d + j];
    }
    CHECK(total == scores[i]);
  }
}

TEST_CASE("ECDF scores do not depend on the thread count") {
  const Index n = 5000, d = 7;
  const auto data = tied_rows(n, d, 41);
  MatrixView<double> X(data.data(), n, d);
  std::vector<double> sorted1(n * d), signs1(d), scores1(n), sorted3(n * d), signs3(d), scores3(n);
  fit(X, Aggregation::ecod, 1, sorted1.data(), signs1.data(), scores1.data());
  fit(X, Aggregation::ecod, 3, sorted3.data(), signs3.data(), scores3.data());
  CHECK(scores1 == scores3);
  CHECK(sorted1 == sorted3);
  CHECK(signs1 == signs3);
}

TEST_CASE("constant columns and a single training row give finite scores") {
  const std::vector<double> constant(20, 4.0);
  std::vector<double> sorted(20), signs(1), scores(20);
  fit(MatrixView<double>(constant.data(), 20, 1), Aggregation::copod, 1, sorted.data(), signs.data(), scores.data());
  CHECK(signs[0] == 0.0);
  for (double s : scores) CHECK(s == 0.0);

  const std::vector<double> one{1.0, 2.0};
  std::vector<double> one_sorted(2), one_signs(2), one_score(1);
  fit(MatrixView<double>(one.data(), 1, 2), Aggregation::ecod, 1, one_sorted.data(), one_signs.data(),
      one_score.data());
  CHECK(one_score[0] == 0.0);
  const std::vector<double> far{-1e300, 1e300};
  double far_score = -1.0;
  ScoreOutputs outputs;
  outputs.scores = &far_score;
  score(SortedColumns<double>{one_sorted.data(), 1, 2}, one_signs.data(), MatrixView<double>(far.data(), 1, 2),
        Aggregation::ecod, Reference::fitted, 1, outputs);
  CHECK(far_score == 0.0);
}
