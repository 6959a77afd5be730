// Empirical cumulative distribution functions (ECDFs) of every feature, and
// the COPOD and ECOD outlier scores built on them.
//
//   fit          sorts every training column once, records the sign of each
//                column's skewness and scores the training rows.
//   score        scores new rows against the sorted training columns.
//   skew_signs   the skewness signs of training rows and new rows together,
//                for the batch-dependent scoring that PyOD does.
//
// Each feature j gets a left-tail and a right-tail probability,
//   F_left(x)  = #{training values <= x} / n,
//   F_right(x) = #{training values >= x} / n,
// ties counted as the ECDF of statsmodels counts them. The per-feature
// scores are U_left = -log F_left and U_right = -log F_right, and
//   COPOD (Li et al., "COPOD: Copula-Based Outlier Detection", ICDM 2020):
//     O = max(U_skew, (U_left + U_right) / 2),
//   ECOD (Li et al., "ECOD: Unsupervised Outlier Detection Using Empirical
//   Cumulative Distribution Functions", TKDE 2022):
//     O = max(U_skew, U_left, U_right),
// where U_skew is U_left for a column with negative skewness, U_right for
// positive skewness and U_left + U_right for zero skewness (PyOD 3.6.7 takes
// sign(skewness) and that is the value its formula gives for sign 0). A row's
// score is the sum of O over its features.
//
// Training rows are scored in O(n log n) per feature: the column is sorted
// with the row numbers, and runs of equal values share one count. New rows
// are sorted the same way and merged into the training column with galloping
// searches, so a batch of m rows costs O(m log m + m log(n / m)) per feature.
//
// Every result is independent of the thread count: each feature is computed
// by one task, and the per-row sums add features in index order.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "pyod_fast/core/errors.hpp"
#include "pyod_fast/core/matrix.hpp"
#include "pyod_fast/core/parallel.hpp"

namespace pyod_fast::ecdf {

enum class Aggregation { copod, ecod };

// Parses "copod" or "ecod".
inline Aggregation parse_aggregation(const std::string& name) {
  if (name == "copod") return Aggregation::copod;
  if (name == "ecod") return Aggregation::ecod;
  PYOD_FAST_REQUIRE(false, "unknown ECDF aggregation '", name, "': use 'copod' or 'ecod'");
  return Aggregation::copod;
}

// Reference distribution of a new row.
//   fitted: the training ECDF alone. A row's score does not depend on the
//           other rows of the batch. Counts are floored at 1, so a value
//           beyond the training range gets the tail probability 1/n of the
//           most extreme training value instead of probability 0.
//   batch:  the ECDF of the training rows and the whole batch together, as
//           PyOD 3.6.7 recomputes it at every decision_function call.
enum class Reference { fitted, batch };

inline Reference parse_reference(const std::string& name) {
  if (name == "fitted") return Reference::fitted;
  if (name == "batch") return Reference::batch;
  PYOD_FAST_REQUIRE(false, "unknown ECDF reference '", name, "': use 'fitted' or 'batch'");
  return Reference::fitted;
}

// Sum of a[0..n) in NumPy's order (pairwise blocks of 8 partial sums, as in
// numpy/_core/src/umath/loops_utils.h.src), so that sums of contiguous data
// round exactly as numpy.sum does.
template <class R>
R pairwise_sum(const R* a, Index n) {
  if (n < 8) {
    R sum = R(0);
    for (Index i = 0; i < n; ++i) sum += a[i];
    return sum;
  }
  if (n <= 128) {
    R partial[8];
    for (int k = 0; k < 8; ++k) partial[k] = a[k];
    Index i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (int k = 0; k < 8; ++k) partial[k] += a[i + k];
    }
    R sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
            ((partial[4] + partial[5]) + (partial[6] + partial[7]));
    for (; i < n; ++i) sum += a[i];
    return sum;
  }
  Index half = n / 2;
  half -= half % 8;
  return pairwise_sum(a, half) + pairwise_sum(a + half, n - half);
}

// ECDF value of the count-th smallest of `total` values (1 <= count <= total):
// numpy.linspace(1 / total, 1, total)[count - 1], which is what PyOD's
// column_ecdf assigns, so the values match it bit for bit.
inline double ecdf_value(Index count, Index total) {
  if (count >= total) return 1.0;
  const double start = 1.0 / static_cast<double>(total);
  const double step = (1.0 - start) / static_cast<double>(total - 1);
  return static_cast<double>(count - 1) * step + start;
}

// One feature's outlier score from its two tail scores and the sign (-1, 0
// or 1) of its skewness, evaluated in the same order of operations as PyOD.
inline double aggregate(double u_left, double u_right, double skew_sign, Aggregation aggregation) {
  auto sign = [](double v) { return v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : 0.0); };
  const double u_skew = u_left * -1.0 * sign(skew_sign - 1.0) + u_right * sign(skew_sign + 1.0);
  if (aggregation == Aggregation::copod) return std::max(u_skew, (u_left + u_right) / 2.0);
  return std::max(u_skew, std::max(u_left, u_right));
}

// Sign of the biased sample skewness m3 / m2^1.5 of v[0..n), computed as
// scipy.stats.skew (SciPy 1.17) computes it in precision R, followed by
// numpy.nan_to_num: a column whose variance vanishes next to its mean
// (m2 <= (eps * mean)^2) has skewness NaN there, hence sign 0.
// `pairwise` selects NumPy's pairwise summation; PyOD's 2-D call sums a
// column pairwise only when X has a single column, else row after row.
template <class R>
double skew_sign(const R* v, Index n, bool pairwise) {
  const R count = static_cast<R>(n);
  R mean, m2, m3;
  if (pairwise) {
    mean = pairwise_sum(v, n) / count;
    std::vector<R> squares(static_cast<size_t>(n)), cubes(static_cast<size_t>(n));
    for (Index i = 0; i < n; ++i) {
      const R deviation = v[i] - mean;
      squares[i] = deviation * deviation;
      cubes[i] = deviation * deviation * deviation;
    }
    m2 = pairwise_sum(squares.data(), n) / count;
    m3 = pairwise_sum(cubes.data(), n) / count;
  } else {
    // Row after row, as NumPy reduces a 2-D array over axis 0. One pass
    // computes both sums, each added in the same order as NumPy adds it.
    R total = R(0);
    for (Index i = 0; i < n; ++i) total += v[i];
    mean = total / count;
    R sum_squares = R(0), sum_cubes = R(0);
    for (Index i = 0; i < n; ++i) {
      const R deviation = v[i] - mean;
      const R square = deviation * deviation;
      sum_squares += square;
      sum_cubes += square * deviation;
    }
    m2 = sum_squares / count;
    m3 = sum_cubes / count;
  }
  const R tiny = std::numeric_limits<R>::epsilon() * mean;
  if (m2 <= tiny * tiny) return 0.0;
  const R skewness = m3 / std::pow(m2, R(1.5));
  if (std::isnan(skewness)) return 0.0;
  return skewness > R(0) ? 1.0 : (skewness < R(0) ? -1.0 : 0.0);
}

namespace detail {

// A query value with the row it came from.
// Packed to 12 bytes: the radix sort moves every entry up to three times,
// so the size of an entry sets its speed.
#pragma pack(push, 4)
struct Entry {
  double value;
  std::uint32_t row;
};
#pragma pack(pop)

// Smallest p in [from, n] with !below(data[p]), for a predicate that is true
// on a prefix of data: doubling steps from `from`, then binary search, so
// the cost is logarithmic in the distance moved.
template <class T, class Predicate>
Index gallop(const T* data, Index from, Index n, Predicate below) {
  if (from >= n || !below(data[from])) return from;
  Index low = from;  // below(data[low]) holds
  Index step = 1;
  Index high = n;
  while (true) {
    const Index probe = low + step;
    if (probe >= n) break;
    if (!below(data[probe])) {
      high = probe;
      break;
    }
    low = probe;
    step *= 2;
  }
  return static_cast<Index>(std::partition_point(data + low + 1, data + high, below) - data);
}

// Order-preserving map of a double onto an unsigned integer: negative
// values have all bits flipped, the others only the sign bit, so unsigned
// order is numeric order (-0.0 lands just before +0.0).
inline std::uint64_t sortable_key(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits >> 63) != 0 ? ~bits : (bits | (std::uint64_t{1} << 63));
}

// Sorts entries by value (ties in any order). Short inputs go to std::sort.
// Longer ones get a least-significant-digit radix sort on the top 31 bits
// of sortable_key (sign, exponent and 20 mantissa bits) in three passes of
// at most 11 bits, skipping a pass whose digit all keys share. A final scan
// sorts each run of equal prefixes by the full key: such runs are short for
// spread data and already sorted for repeated values, so the scan costs
// about one pass, half of what sorting the remaining 33 bits would.
// `buffer` is scratch space.
inline void sort_entries(std::vector<Entry>& entries, std::vector<Entry>& buffer) {
  const Index m = static_cast<Index>(entries.size());
  auto by_value = [](const Entry& a, const Entry& b) { return a.value < b.value; };
  if (m < 2048) {
    std::sort(entries.begin(), entries.end(), by_value);
    return;
  }

  constexpr int kPrefixShift = 33, kDigits = 3, kBits = 11;
  constexpr Index kBuckets = Index{1} << kBits;
  auto prefix = [](const Entry& entry) { return sortable_key(entry.value) >> kPrefixShift; };
  std::vector<Index> counts(static_cast<size_t>(kDigits * kBuckets), 0);
  for (const Entry& entry : entries) {
    const std::uint64_t key = prefix(entry);
    for (int digit = 0; digit < kDigits; ++digit) {
      ++counts[digit * kBuckets + ((key >> (kBits * digit)) & (kBuckets - 1))];
    }
  }

  buffer.resize(entries.size());
  Entry* source = entries.data();
  Entry* target = buffer.data();
  for (int digit = 0; digit < kDigits; ++digit) {
    Index* bucket = counts.data() + digit * kBuckets;
    if (std::find(bucket, bucket + kBuckets, m) != bucket + kBuckets) continue;  // one bucket contains every key
    Index offset = 0;
    for (Index b = 0; b < kBuckets; ++b) {
      const Index size = bucket[b];
      bucket[b] = offset;
      offset += size;
    }
    const int shift = kBits * digit;
    for (Index i = 0; i < m; ++i) {
      const std::uint64_t key = prefix(source[i]);
      target[bucket[(key >> shift) & (kBuckets - 1)]++] = source[i];
    }
    std::swap(source, target);
  }
  if (source != entries.data()) entries.swap(buffer);

  Index begin = 0;
  while (begin < m) {
    const std::uint64_t run_prefix = prefix(entries[begin]);
    Index end = begin + 1;
    while (end < m && prefix(entries[end]) == run_prefix) ++end;
    if (end - begin > 1 && !std::is_sorted(entries.begin() + begin, entries.begin() + end, by_value)) {
      std::sort(entries.begin() + begin, entries.begin() + end, by_value);
    }
    begin = end;
  }
}

// Copies column j of X with the row numbers and sorts it by value.
template <class Q>
void sorted_entries(MatrixView<Q> X, Index j, std::vector<Entry>& entries, std::vector<Entry>& buffer) {
  entries.resize(static_cast<size_t>(X.rows));
  for (Index i = 0; i < X.rows; ++i) entries[i] = Entry{static_cast<double>(X.row(i)[j]), static_cast<std::uint32_t>(i)};
  sort_entries(entries, buffer);
}

// -log(ecdf_value(count, total)) for count = 0 .. total (entry 0 unused):
// a table shared by all features replaces two logarithms per distinct value
// when the batch is large enough to pay for building it.
inline std::vector<double> tail_score_table(Index total, int threads) {
  std::vector<double> table(static_cast<size_t>(total + 1), 0.0);
  constexpr Index kPerTask = 65536;
  core::parallel_for((total + kPerTask) / kPerTask, threads, [&](Index task) {
    const Index begin = std::max<Index>(1, task * kPerTask), end = std::min(total + 1, (task + 1) * kPerTask);
    for (Index c = begin; c < end; ++c) table[c] = -std::log(ecdf_value(c, total));
  });
  return table;
}

// Walks the sorted queries of one feature against its sorted training
// column and calls emit(begin, end, u_left, u_right) once per run of equal
// query values entries[begin..end). `table`, when not null, is
// tail_score_table() of the total that `reference` implies.
template <class T, class Emit>
void walk_runs(const T* train, Index n_train, const std::vector<Entry>& entries, Reference reference,
               const double* table, Emit&& emit) {
  const Index m = static_cast<Index>(entries.size());
  Index below_end = 0;     // first training position with value >= v
  Index at_most_end = 0;   // first training position with value > v
  Index begin = 0;
  while (begin < m) {
    const double v = entries[begin].value;
    Index end = begin + 1;
    while (end < m && entries[end].value == v) ++end;

    below_end = gallop(train, below_end, n_train, [v](T t) { return static_cast<double>(t) < v; });
    at_most_end = gallop(train, std::max(at_most_end, below_end), n_train,
                         [v](T t) { return static_cast<double>(t) <= v; });

    Index count_left, count_right, total;
    if (reference == Reference::fitted) {
      total = n_train;
      count_left = std::max<Index>(at_most_end, 1);
      count_right = std::max<Index>(n_train - below_end, 1);
    } else {
      total = n_train + m;
      count_left = at_most_end + end;
      count_right = (n_train - below_end) + (m - begin);
    }
    const double u_left = table != nullptr ? table[count_left] : -std::log(ecdf_value(count_left, total));
    const double u_right = table != nullptr ? table[count_right] : -std::log(ecdf_value(count_right, total));
    emit(begin, end, u_left, u_right);
    begin = end;
  }
}

// Thread count for per-feature tasks over m rows: below a few thousand rows
// a task takes less time than waking another thread, so one thread runs
// them all. The results are the same for any thread count.
inline int threads_for_rows(Index m, int threads) { return m < 4096 ? 1 : threads; }

// Adds the per-feature columns block[0..count) (each of length m) to the
// row scores, feature after feature, so the rounding is the same for every
// grouping of features and thus for every thread count.
inline void add_columns(const std::vector<double>& block, Index count, Index m, int threads, double* scores) {
  constexpr Index kRowsPerTask = 16384;
  const Index tasks = (m + kRowsPerTask - 1) / kRowsPerTask;
  core::parallel_for(tasks, threads, [&](Index task) {
    const Index first = task * kRowsPerTask, last = std::min(m, first + kRowsPerTask);
    for (Index c = 0; c < count; ++c) {
      const double* column = block.data() + c * m;
      for (Index i = first; i < last; ++i) scores[i] += column[i];
    }
  });
}

// Runs feature_task(j, column) for every feature, in groups of at most
// `threads` features whose output columns are added to `scores` in feature
// order after each group. Memory: one column of m doubles per thread.
template <class Task>
void score_by_feature_groups(Index n_features, Index m, int threads, double* scores, Task&& feature_task) {
  std::fill(scores, scores + m, 0.0);
  threads = threads_for_rows(m, threads);
  const Index group = std::max<Index>(1, std::min<Index>(n_features, threads));
  std::vector<double> block(static_cast<size_t>(group * m));
  for (Index first = 0; first < n_features; first += group) {
    const Index count = std::min(group, n_features - first);
    core::parallel_for(count, threads, [&](Index c) { feature_task(first + c, block.data() + c * m); });
    add_columns(block, count, m, threads, scores);
  }
}

}  // namespace detail

// Sorted training columns: feature j stores its n_samples values in
// ascending order at values + j * n_samples. The caller owns the buffer.
template <class T>
struct SortedColumns {
  const T* values = nullptr;
  Index n_samples = 0;
  Index n_features = 0;

  const T* column(Index j) const { return values + j * n_samples; }
};

// Sorts every column of X into sorted_out (n_features * n_samples values).
template <class T>
void sort_columns(MatrixView<T> X, int threads, T* sorted_out) {
  const Index n = X.rows;
  core::parallel_for(X.cols, threads, [&](Index j) {
    T* column = sorted_out + j * n;
    for (Index i = 0; i < n; ++i) column[i] = X.row(i)[j];
    std::sort(column, column + n);
  });
}

// Fits the ECDFs on X and scores its rows.
//   sorted_out  n_features * n_samples values: the sorted columns.
//   signs_out   n_features skewness signs (-1, 0 or 1).
//   scores_out  n_samples training scores, equal to PyOD's decision_scores_.
template <class T>
void fit(MatrixView<T> X, Aggregation aggregation, int threads, T* sorted_out, double* signs_out,
         double* scores_out) {
  PYOD_FAST_REQUIRE(X.rows >= 1 && X.cols >= 1, "the ECDFs need at least one sample and one feature, got shape (",
                    X.rows, ", ", X.cols, ")");
  const Index n = X.rows;
  PYOD_FAST_REQUIRE(n <= static_cast<Index>(UINT32_MAX), "the ECDFs take at most 2^32 - 1 samples, got ", n);
  const bool pairwise = X.cols == 1;
  const std::vector<double> table = detail::tail_score_table(n, threads);

  // Copy X into sorted_out column by column first: one pass in memory order
  // over X instead of one strided pass per feature. Each feature task then
  // reads its column contiguously and overwrites it with the sorted values.
  constexpr Index kRowsPerTask = 4096;
  core::parallel_for((n + kRowsPerTask - 1) / kRowsPerTask, threads, [&](Index task) {
    const Index begin = task * kRowsPerTask, end = std::min(n, begin + kRowsPerTask);
    for (Index i = begin; i < end; ++i) {
      const T* row = X.row(i);
      for (Index j = 0; j < X.cols; ++j) sorted_out[j * n + i] = row[j];
    }
  });

  detail::score_by_feature_groups(X.cols, n, threads, scores_out, [&](Index j, double* column_scores) {
    const T* column = sorted_out + j * n;
    signs_out[j] = skew_sign(column, n, pairwise);
    std::vector<detail::Entry> entries(static_cast<size_t>(n)), buffer;
    for (Index i = 0; i < n; ++i) {
      entries[i] = detail::Entry{static_cast<double>(column[i]), static_cast<std::uint32_t>(i)};
    }
    detail::sort_entries(entries, buffer);
    T* sorted = sorted_out + j * n;
    for (Index i = 0; i < n; ++i) sorted[i] = static_cast<T>(entries[i].value);
    const double sign = signs_out[j];
    detail::walk_runs(sorted, n, entries, Reference::fitted, table.data(), [&](Index begin, Index end, double u_left, double u_right) {
      const double o = aggregate(u_left, u_right, sign, aggregation);
      for (Index k = begin; k < end; ++k) column_scores[entries[k].row] = o;
    });
  });
}

// Skewness signs of the rows of `first` followed by the rows of `second`
// (either may have zero rows), as PyOD computes them on the concatenation:
// in float32 when both are float32, else in float64.
template <class T, class Q>
void skew_signs(MatrixView<T> first, MatrixView<Q> second, int threads, double* signs_out) {
  PYOD_FAST_REQUIRE(first.cols == second.cols, "both matrices need the same number of features, got ", first.cols,
                    " and ", second.cols);
  using R = std::conditional_t<std::is_same_v<T, Q>, T, double>;
  const Index n = first.rows + second.rows;
  PYOD_FAST_REQUIRE(n >= 1, "the skewness needs at least one row");
  const bool pairwise = first.cols == 1;
  core::parallel_for(first.cols, threads, [&](Index j) {
    std::vector<R> values(static_cast<size_t>(n));
    for (Index i = 0; i < first.rows; ++i) values[i] = static_cast<R>(first.row(i)[j]);
    for (Index i = 0; i < second.rows; ++i) values[first.rows + i] = static_cast<R>(second.row(i)[j]);
    signs_out[j] = skew_sign(values.data(), n, pairwise);
  });
}

// Optional outputs of score(); each non-null pointer receives its values.
struct ScoreOutputs {
  double* scores = nullptr;  // m row scores
  double* left = nullptr;    // m x n_features U_left, row-major
  double* right = nullptr;   // m x n_features U_right
  double* combined = nullptr;  // m x n_features per-feature scores O
};

// Scores the rows of X against the sorted training columns with the given
// skewness signs (fit's, or skew_signs() of training and X for the batch
// reference).
template <class T, class Q>
void score(SortedColumns<T> train, const double* signs, MatrixView<Q> X, Aggregation aggregation,
           Reference reference, int threads, const ScoreOutputs& out) {
  PYOD_FAST_REQUIRE(X.cols == train.n_features, "X has ", X.cols, " features, but the ECDFs were fitted on ",
                    train.n_features);
  PYOD_FAST_REQUIRE(train.n_samples >= 1, "the ECDFs need at least one training sample");
  const Index m = X.rows, d = X.cols;
  if (m == 0) return;
  PYOD_FAST_REQUIRE(m <= static_cast<Index>(UINT32_MAX), "the ECDFs score at most 2^32 - 1 samples per call, got ", m);
  // The table costs `total` logarithms; a batch computes about 2 m d of them
  // without it.
  const Index total = reference == Reference::fitted ? train.n_samples : train.n_samples + m;
  std::vector<double> table;
  if (2 * m * d >= total) table = detail::tail_score_table(total, threads);

  auto feature_task = [&](Index j, double* column_scores) {
    std::vector<detail::Entry> entries, buffer;
    detail::sorted_entries(X, j, entries, buffer);
    const double sign = signs[j];
    detail::walk_runs(train.column(j), train.n_samples, entries, reference, table.empty() ? nullptr : table.data(),
                      [&](Index begin, Index end, double u_left, double u_right) {
                        const double o = aggregate(u_left, u_right, sign, aggregation);
                        for (Index k = begin; k < end; ++k) {
                          const Index row = entries[k].row;
                          if (column_scores != nullptr) column_scores[row] = o;
                          if (out.left != nullptr) out.left[row * d + j] = u_left;
                          if (out.right != nullptr) out.right[row * d + j] = u_right;
                          if (out.combined != nullptr) out.combined[row * d + j] = o;
                        }
                      });
  };

  if (out.scores != nullptr) {
    detail::score_by_feature_groups(d, m, threads, out.scores, feature_task);
  } else {
    core::parallel_for(d, detail::threads_for_rows(m, threads), [&](Index j) { feature_task(j, nullptr); });
  }
}

}  // namespace pyod_fast::ecdf
