// Histogram-based outlier scores (HBOS; Goldstein and Dengel, "Histogram-
// based Outlier Score (HBOS): A fast Unsupervised Anomaly Detection
// Algorithm", KI-2012 poster track).
//
//   fit    builds one equal-width histogram per feature over the training
//          range, with a fixed number of bins or the number that maximises
//          Birge and Rozenholc's penalised likelihood ("How many bins should
//          be put in a regular histogram", ESAIM: P&S 10, 2006).
//   score  sums log2(density + alpha) of the bins that a row falls into over
//          its features, negated so that higher means more abnormal.
//
// The bins reproduce numpy.histogram (NumPy 2.x) exactly. The edges are
// computed as numpy.linspace computes them, in the precision of the data.
// Bin k contains [edge_k, edge_k+1), and the last bin also its right edge.
// A constant feature is widened to [c - 0.5, c + 0.5]. Scoring looks bins up as
// numpy.digitize(right=True) does, as PyOD 3.6.7 does: a value on an inner
// edge takes the density of the bin to the left of that edge. A value below
// the first edge (or on it) or above the last edge takes the density of the
// outer bin when it lies within tol bin widths of the range, else the lowest
// log-density of the feature.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "pyod_fast/core/errors.hpp"
#include "pyod_fast/core/matrix.hpp"
#include "pyod_fast/core/parallel.hpp"
#include "pyod_fast/ecdf.hpp"

namespace pyod_fast::hbos {

// Histograms of all features in one flat layout: feature j has
// bins(j) = offsets[j + 1] - offsets[j] bins with densities
// density[offsets[j] .. offsets[j + 1]) and bins(j) + 1 edges starting at
// edges[offsets[j] + j].
struct Histograms {
  std::vector<Index> offsets;
  std::vector<double> edges;
  std::vector<double> density;

  Index n_features() const { return static_cast<Index>(offsets.size()) - 1; }
  Index bins(Index j) const { return offsets[j + 1] - offsets[j]; }
  const double* feature_edges(Index j) const { return edges.data() + offsets[j] + j; }
  const double* feature_density(Index j) const { return density.data() + offsets[j]; }
};

namespace detail {

// Range of a feature as numpy.histogram takes it: (min, max), widened by 0.5
// on both sides when min == max.
template <class T>
void outer_edges(T minimum, T maximum, T& first, T& last) {
  first = minimum;
  last = maximum;
  if (first == last) {
    first = static_cast<T>(first - T(0.5));
    last = static_cast<T>(last + T(0.5));
  }
}

// numpy.linspace(first, last, bins + 1) in precision T.
template <class T>
void linspace_edges(T first, T last, Index bins, T* edges) {
  const T step = static_cast<T>(static_cast<T>(last - first) / static_cast<T>(bins));
  if (step == T(0)) {
    // NumPy's path for a zero (or underflowing) step: k / bins * delta.
    const T delta = static_cast<T>(last - first);
    for (Index k = 0; k <= bins; ++k) {
      edges[k] = static_cast<T>(static_cast<T>(static_cast<T>(k) / static_cast<T>(bins)) * delta + first);
    }
  } else {
    for (Index k = 0; k <= bins; ++k) edges[k] = static_cast<T>(static_cast<T>(static_cast<T>(k) * step) + first);
  }
  edges[bins] = last;
}

// Equal-width edges let arithmetic guess a value's bin. Comparisons with
// the edges then move the guess to the exact position, so the result equals
// a binary search whatever the rounding of the guess.
template <class T>
struct BinLocator {
  const T* edges = nullptr;
  Index bins = 0;
  double first = 0.0;
  double scale = 0.0;  // bins / (last edge - first edge)

  BinLocator() = default;
  BinLocator(const T* edges_, Index bins_)
      : edges(edges_),
        bins(bins_),
        first(static_cast<double>(edges_[0])),
        scale(static_cast<double>(bins_) / (static_cast<double>(edges_[bins_]) - static_cast<double>(edges_[0]))) {}

  Index guess(double value) const {
    double position = (value - first) * scale;
    if (!(position >= 0.0)) position = 0.0;  // also NaN from a zero-width range
    if (position > static_cast<double>(bins)) position = static_cast<double>(bins);
    return static_cast<Index>(position);
  }

  // numpy.histogram's bin of a value within [edges[0], edges[bins]]: the
  // number of edges <= value, minus one, clamped to [0, bins - 1].
  Index histogram_bin(T value) const {
    Index count = guess(static_cast<double>(value)) + 1;
    while (count <= bins && edges[count] <= value) ++count;
    while (count > 0 && edges[count - 1] > value) --count;
    return std::clamp<Index>(count - 1, 0, bins - 1);
  }

  // Both bins of a training value in one search: its numpy.histogram bin
  // and the bin whose density scores it (digitize_right minus one, or 0 on
  // the first edge).
  void training_bins(T value, Index& histogram, Index& scoring) const {
    Index at_most = guess(static_cast<double>(value)) + 1;
    while (at_most <= bins && edges[at_most] <= value) ++at_most;
    while (at_most > 0 && edges[at_most - 1] > value) --at_most;
    Index below = at_most;
    while (below > 0 && !(edges[below - 1] < value)) --below;
    histogram = std::clamp<Index>(at_most - 1, 0, bins - 1);
    scoring = below > 0 ? below - 1 : 0;
  }

  // numpy.digitize(value, edges, right=True): the number of edges < value.
  Index digitize_right(double value) const {
    Index count = guess(value);
    while (count <= bins && static_cast<double>(edges[count]) < value) ++count;
    while (count > 0 && static_cast<double>(edges[count - 1]) >= value) --count;
    return count;
  }
};

// Counts of a sorted column in the bins given by edges, numpy.histogram's
// rule: bin k counts the values in [edges[k], edges[k+1]), the last bin also
// the values equal to its right edge.
template <class T>
void count_sorted(const T* sorted, Index n, const T* edges, Index bins, Index* counts) {
  Index previous = 0;
  for (Index k = 0; k < bins; ++k) {
    const Index end =
        k + 1 < bins ? static_cast<Index>(std::lower_bound(sorted + previous, sorted + n, edges[k + 1]) - sorted) : n;
    counts[k] = end - previous;
    previous = end;
  }
}

// Number of bins maximising Birge and Rozenholc's penalised log-likelihood
//   sum_k h_k log(b h_k / n + 1) - b (b - 1 + log(b)^2.5)
// over b = 1 .. max(2, floor(sqrt(n))) - 1, the first maximum on ties, with
// each term formed as PyOD 3.6.7's get_optimal_n_bins forms it.
template <class T>
Index optimal_bins(const T* sorted, Index n, T first, T last) {
  const Index upper = std::max<Index>(2, static_cast<Index>(std::sqrt(static_cast<double>(n))));
  std::vector<T> edges;
  std::vector<Index> counts;
  std::vector<double> terms;
  Index best_bins = 1;
  double best = -std::numeric_limits<double>::infinity();
  for (Index b = 1; b < upper; ++b) {
    edges.resize(static_cast<size_t>(b + 1));
    counts.resize(static_cast<size_t>(b));
    terms.resize(static_cast<size_t>(b));
    linspace_edges(first, last, b, edges.data());
    count_sorted(sorted, n, edges.data(), b, counts.data());
    const double log_b = std::log(static_cast<double>(b));
    const double penalty = static_cast<double>(b - 1) + std::pow(log_b, 2.5);
    for (Index k = 0; k < b; ++k) {
      const double h = static_cast<double>(counts[k]);
      const double ratio = static_cast<double>(b * counts[k]) / static_cast<double>(n);
      terms[k] = h * std::log(ratio + 1.0) - penalty;
    }
    const double likelihood = ecdf::pairwise_sum(terms.data(), b);
    if (likelihood > best) {
      best = likelihood;
      best_bins = b;
    }
  }
  return best_bins;
}

// Density of every bin as numpy.histogram(density=True) forms it:
// count / width / n, with the width taken in the data's precision. NumPy
// divides by zero for a bin of zero width, which a range narrower than the
// precision can split produces. Such a bin gets the width range / bins
// instead, or 1 / bins when even the widened range collapsed to one value
// (a large constant whose c +- 0.5 rounds back to c).
template <class T>
void densities(const T* edges, Index bins, const Index* counts, Index n, double* density) {
  const double nominal_width = std::max(
      (static_cast<double>(edges[bins]) - static_cast<double>(edges[0])) / static_cast<double>(bins),
      1.0 / static_cast<double>(bins));
  for (Index k = 0; k < bins; ++k) {
    double width = static_cast<double>(static_cast<T>(edges[k + 1] - edges[k]));
    if (!(width > 0.0) || !std::isfinite(width)) width = nominal_width;
    density[k] = static_cast<double>(counts[k]) / width / static_cast<double>(n);
  }
}

// Builds the histograms; when `lookup` is not null, also records for every
// training value the bin whose density scores it (see score()). Code is an
// unsigned integer type, and recording is skipped (lookup left empty) when
// a feature has more bins than Code can number.
template <class T, class Code>
Histograms fit_histograms(MatrixView<T> X, Index bins, int threads, std::vector<Code>* lookup) {
  PYOD_FAST_REQUIRE(X.rows >= 1 && X.cols >= 1, "HBOS needs at least one sample and one feature, got shape (", X.rows,
                    ", ", X.cols, ")");
  PYOD_FAST_REQUIRE(bins >= 0, "the number of bins must be positive, or 0 for automatic selection, got ", bins);
  const Index n = X.rows, d = X.cols;

  std::vector<Index> feature_bins(static_cast<size_t>(d), bins);
  std::vector<T> first(static_cast<size_t>(d)), last(static_cast<size_t>(d));
  std::vector<std::vector<T>> feature_edges(static_cast<size_t>(d));
  std::vector<std::vector<Index>> feature_counts(static_cast<size_t>(d));

  // The passes over the data run on blocks of whole rows, which reads X in
  // memory order. Counts are integers, so the block layout (which depends
  // on the thread count) cannot change them.
  const Index tasks = std::min<Index>((n + 8191) / 8192, 8 * static_cast<Index>(std::max(threads, 1)));
  const Index rows_per_task = (n + tasks - 1) / tasks;

  std::vector<T> block_min(static_cast<size_t>(tasks * d)), block_max(static_cast<size_t>(tasks * d));
  core::parallel_for(tasks, threads, [&](Index task) {
    const Index begin = task * rows_per_task, end = std::min(n, begin + rows_per_task);
    T* low = block_min.data() + task * d;
    T* high = block_max.data() + task * d;
    std::fill(low, low + d, std::numeric_limits<T>::infinity());
    std::fill(high, high + d, -std::numeric_limits<T>::infinity());
    for (Index i = begin; i < end; ++i) {
      const T* row = X.row(i);
      for (Index j = 0; j < d; ++j) {
        low[j] = std::min(low[j], row[j]);
        high[j] = std::max(high[j], row[j]);
      }
    }
  });
  for (Index j = 0; j < d; ++j) {
    T low = std::numeric_limits<T>::infinity(), high = -std::numeric_limits<T>::infinity();
    for (Index task = 0; task < tasks; ++task) {
      low = std::min(low, block_min[task * d + j]);
      high = std::max(high, block_max[task * d + j]);
    }
    detail::outer_edges(low, high, first[j], last[j]);
  }

  if (bins == 0) {
    // The automatic rule sorts a copy of each column, so that each candidate
    // histogram costs one binary search per bin instead of a pass over n.
    core::parallel_for(d, threads, [&](Index j) {
      std::vector<T> column(static_cast<size_t>(n));
      for (Index i = 0; i < n; ++i) column[i] = X.row(i)[j];
      std::sort(column.begin(), column.end());
      feature_bins[j] = detail::optimal_bins(column.data(), n, first[j], last[j]);
    });
  }

  std::vector<Index> offsets(static_cast<size_t>(d + 1), 0);
  for (Index j = 0; j < d; ++j) {
    offsets[j + 1] = offsets[j] + feature_bins[j];
    feature_edges[j].resize(static_cast<size_t>(feature_bins[j] + 1));
    detail::linspace_edges(first[j], last[j], feature_bins[j], feature_edges[j].data());
  }
  const Index total_bins = offsets[d];
  std::vector<detail::BinLocator<T>> locators(static_cast<size_t>(d));
  for (Index j = 0; j < d; ++j) locators[j] = detail::BinLocator<T>(feature_edges[j].data(), feature_bins[j]);
  std::vector<Index> block_counts(static_cast<size_t>(tasks * total_bins), 0);
  const Index max_bins = *std::max_element(feature_bins.begin(), feature_bins.end());
  const bool record = lookup != nullptr && max_bins - 1 <= static_cast<Index>(std::numeric_limits<Code>::max());
  if (record) lookup->resize(static_cast<size_t>(n * d));
  if (lookup != nullptr && !record) lookup->clear();
  core::parallel_for(tasks, threads, [&](Index task) {
    const Index begin = task * rows_per_task, end = std::min(n, begin + rows_per_task);
    // Local copies: the counts are Index too, so without them every count
    // update would force the compiler to reload offsets and locators.
    std::vector<Index> counts(static_cast<size_t>(total_bins), 0);
    const std::vector<detail::BinLocator<T>> local_locators(locators);
    const std::vector<Index> local_offsets(offsets.begin(), offsets.end() - 1);
    Code* lookup_rows = record ? lookup->data() : nullptr;
    for (Index i = begin; i < end; ++i) {
      const T* row = X.row(i);
      if (record) {
        // A training value never lies above the last edge, and one on the
        // first edge takes the first bin, as in score().
        Code* lookup_row = lookup_rows + i * d;
        for (Index j = 0; j < d; ++j) {
          Index histogram_bin, scoring_bin;
          local_locators[j].training_bins(row[j], histogram_bin, scoring_bin);
          ++counts[local_offsets[j] + histogram_bin];
          lookup_row[j] = static_cast<Code>(scoring_bin);
        }
      } else {
        for (Index j = 0; j < d; ++j) ++counts[local_offsets[j] + local_locators[j].histogram_bin(row[j])];
      }
    }
    std::copy(counts.begin(), counts.end(), block_counts.begin() + task * total_bins);
  });
  for (Index j = 0; j < d; ++j) {
    feature_counts[j].assign(static_cast<size_t>(feature_bins[j]), 0);
    for (Index task = 0; task < tasks; ++task) {
      for (Index k = 0; k < feature_bins[j]; ++k) feature_counts[j][k] += block_counts[task * total_bins + offsets[j] + k];
    }
  }

  Histograms histograms;
  histograms.offsets.assign(static_cast<size_t>(d + 1), 0);
  for (Index j = 0; j < d; ++j) histograms.offsets[j + 1] = histograms.offsets[j] + feature_bins[j];
  const Index total = histograms.offsets[d];
  histograms.edges.resize(static_cast<size_t>(total + d));
  histograms.density.resize(static_cast<size_t>(total));
  for (Index j = 0; j < d; ++j) {
    const Index b = feature_bins[j];
    double* edges = histograms.edges.data() + histograms.offsets[j] + j;
    for (Index k = 0; k <= b; ++k) edges[k] = static_cast<double>(feature_edges[j][k]);
    detail::densities(feature_edges[j].data(), b, feature_counts[j].data(), n,
                      histograms.density.data() + histograms.offsets[j]);
  }
  return histograms;
}

// log2(density + alpha) of every bin, in the layout of histograms.density.
inline std::vector<double> log_densities(const Histograms& histograms, double alpha) {
  std::vector<double> logs(histograms.density.size());
  for (size_t k = 0; k < logs.size(); ++k) logs[k] = std::log2(histograms.density[k] + alpha);
  return logs;
}

}  // namespace detail

// Builds the histograms of every column of X. `bins` is the fixed number of
// bins (>= 1), or 0 to choose it per feature by Birge and Rozenholc's rule.
template <class T>
Histograms fit(MatrixView<T> X, Index bins, int threads) {
  return detail::fit_histograms<T, std::uint8_t>(X, bins, threads, nullptr);
}

// Scores the rows of X: minus the sum over features of log2(density + alpha)
// of the bin each value falls into (see the file comment for values outside
// the training range). scores_out receives X.rows values.
template <class Q>
void score(const Histograms& histograms, MatrixView<Q> X, double alpha, double tol, int threads,
           double* scores_out) {
  const Index d = histograms.n_features();
  PYOD_FAST_REQUIRE(X.cols == d, "X has ", X.cols, " features, but the histograms were fitted on ", d);
  PYOD_FAST_REQUIRE(alpha > 0.0 && std::isfinite(alpha), "alpha must be a positive number, got ", alpha);
  PYOD_FAST_REQUIRE(tol >= 0.0 && std::isfinite(tol), "tol must be a non-negative number, got ", tol);

  // Per feature: the bin locator, log2(density + alpha) of every bin, and
  // the rule for values outside the training range, whose far score is the
  // lowest log-density of the feature.
  struct FeatureRule {
    detail::BinLocator<double> locator;
    const double* logs;
    double below_tolerance, above_tolerance, lowest;
  };
  const std::vector<double> log_density = detail::log_densities(histograms, alpha);
  std::vector<FeatureRule> rules(static_cast<size_t>(d));
  for (Index j = 0; j < d; ++j) {
    const Index b = histograms.bins(j);
    const double* edges = histograms.feature_edges(j);
    const double* logs = log_density.data() + histograms.offsets[j];
    rules[j] = FeatureRule{detail::BinLocator<double>(edges, b), logs, (edges[1] - edges[0]) * tol,
                           (edges[b] - edges[b - 1]) * tol, *std::min_element(logs, logs + b)};
  }

  constexpr Index kRowsPerTask = 4096;
  const Index tasks = (X.rows + kRowsPerTask - 1) / kRowsPerTask;
  core::parallel_for(tasks, threads, [&](Index task) {
    const Index begin = task * kRowsPerTask, end = std::min(X.rows, begin + kRowsPerTask);
    std::vector<double> terms(static_cast<size_t>(d));
    for (Index i = begin; i < end; ++i) {
      const Q* row = X.row(i);
      for (Index j = 0; j < d; ++j) {
        const FeatureRule& rule = rules[j];
        const double value = static_cast<double>(row[j]);
        const Index b = rule.locator.bins;
        const Index position = rule.locator.digitize_right(value);
        if (position >= 1 && position <= b) {
          terms[j] = rule.logs[position - 1];
        } else if (position == 0) {
          terms[j] = rule.locator.edges[0] - value <= rule.below_tolerance ? rule.logs[0] : rule.lowest;
        } else {
          terms[j] = value - rule.locator.edges[b] <= rule.above_tolerance ? rule.logs[b - 1] : rule.lowest;
        }
      }
      scores_out[i] = -ecdf::pairwise_sum(terms.data(), d);
    }
  });
}

namespace detail {

template <class T, class Code>
Histograms fit_and_score_with(MatrixView<T> X, Index bins, double alpha, double tol, int threads,
                              double* scores_out) {
  std::vector<Code> lookup;
  Histograms histograms = fit_histograms(X, bins, threads, &lookup);
  if (lookup.empty()) {
    score(histograms, X, alpha, tol, threads, scores_out);
    return histograms;
  }
  PYOD_FAST_REQUIRE(alpha > 0.0 && std::isfinite(alpha), "alpha must be a positive number, got ", alpha);
  const std::vector<double> logs = log_densities(histograms, alpha);
  const Index n = X.rows, d = X.cols;
  constexpr Index kRowsPerTask = 4096;
  core::parallel_for((n + kRowsPerTask - 1) / kRowsPerTask, threads, [&](Index task) {
    const Index begin = task * kRowsPerTask, end = std::min(n, begin + kRowsPerTask);
    std::vector<double> terms(static_cast<size_t>(d));
    for (Index i = begin; i < end; ++i) {
      for (Index j = 0; j < d; ++j) terms[j] = logs[histograms.offsets[j] + lookup[i * d + j]];
      scores_out[i] = -ecdf::pairwise_sum(terms.data(), d);
    }
  });
  return histograms;
}

}  // namespace detail

// Builds the histograms of X (as fit) and writes the scores of its rows to
// scores_out, equal to score() on X. The bin of every training value is
// recorded while counting (one byte per value for up to 256 bins), so the
// rows are not searched a second time.
template <class T>
Histograms fit_and_score(MatrixView<T> X, Index bins, double alpha, double tol, int threads, double* scores_out) {
  if (bins >= 1 && bins <= 256) return detail::fit_and_score_with<T, std::uint8_t>(X, bins, alpha, tol, threads, scores_out);
  return detail::fit_and_score_with<T, std::uint16_t>(X, bins, alpha, tol, threads, scores_out);
}

}  // namespace pyod_fast::hbos
