// Exact k-nearest-neighbour search under Minkowski distances.
//
//   KnnIndex<T>            owns a copy of the training rows and, for the kd-tree
//                          algorithm, the tree; T is float or double.
//   KnnIndex::query        the k nearest training rows of each query row.
//   KnnIndex::query_training
//                          the same for the training rows themselves, where a
//                          row is never its own neighbour (scikit-learn's
//                          kneighbors() called without X).
//   score_neighbors        turns a distance matrix into kNN outlier scores.
//
// Both algorithms return the k smallest (distance, index) pairs in
// lexicographic order, so ties are broken by the lower training index and the
// result does not depend on the algorithm, the block sizes or the thread count.
//
// Brute force with the Euclidean metric screens candidates with a matrix
// product, |q|^2 + |t|^2 - 2 q.t, on data centred on the training mean. That
// expansion loses digits for nearby points, so it is only a filter: a candidate
// whose screened distance minus a proven rounding bound can still beat the
// current k-th distance gets its distance recomputed exactly as the sum of
// squared differences in double precision, and only exact distances are kept.
// The other metrics, and the kd-tree, compute distances directly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "pyod_fast/core/errors.hpp"
#include "pyod_fast/core/matrix.hpp"
#include "pyod_fast/core/parallel.hpp"

namespace pyod_fast::knn {

enum class Algorithm { automatic, brute, kd_tree };

// Parses "auto", "brute" or "kd_tree"; any other name throws with the list.
inline Algorithm parse_algorithm(const std::string& name) {
  if (name == "auto") return Algorithm::automatic;
  if (name == "brute") return Algorithm::brute;
  if (name == "kd_tree") return Algorithm::kd_tree;
  PYOD_FAST_REQUIRE(false, "unknown neighbour search algorithm '", name, "': use 'auto', 'brute' or 'kd_tree'");
  return Algorithm::automatic;
}

inline const char* algorithm_name(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::brute: return "brute";
    case Algorithm::kd_tree: return "kd_tree";
    default: return "auto";
  }
}

// The kd-tree prunes well only in low dimension; above 15 features brute force
// wins on most data. scikit-learn's NearestNeighbors uses the same cut-off.
inline constexpr Index kMaxTreeFeatures = 15;

// The Minkowski distance (sum |x_i - y_i|^p)^(1/p) for p >= 1, and the
// Chebyshev distance max |x_i - y_i| for p = infinity. Internally the search
// works with the reduced distance, which skips the final root (and the square
// root for p = 2): it orders points the same way and is cheaper.
struct Minkowski {
  enum class Kind { manhattan, euclidean, chebyshev, general };
  Kind kind = Kind::euclidean;
  double p = 2.0;

  explicit Minkowski(double p_ = 2.0) : p(p_) {
    PYOD_FAST_REQUIRE(p >= 1.0, "the Minkowski exponent p must be at least 1 (got ", p,
                      "): below 1 it is not a distance");
    if (p == 1.0) kind = Kind::manhattan;
    else if (p == 2.0) kind = Kind::euclidean;
    else if (std::isinf(p)) kind = Kind::chebyshev;
    else kind = Kind::general;
  }

  // Reduced distance between two rows of length d, accumulated in double.
  template <class T>
  double reduced(const T* a, const T* b, Index d) const {
    double sum = 0.0;
    switch (kind) {
      case Kind::euclidean:
        for (Index i = 0; i < d; ++i) {
          const double diff = static_cast<double>(a[i]) - static_cast<double>(b[i]);
          sum += diff * diff;
        }
        return sum;
      case Kind::manhattan:
        for (Index i = 0; i < d; ++i) sum += std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i]));
        return sum;
      case Kind::chebyshev:
        for (Index i = 0; i < d; ++i)
          sum = std::max(sum, std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i])));
        return sum;
      default:
        for (Index i = 0; i < d; ++i)
          sum += std::pow(std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i])), p);
        return sum;
    }
  }

  // Reduced distance contributed by one coordinate gap (used by tree bounds).
  double reduced_term(double gap) const {
    switch (kind) {
      case Kind::euclidean: return gap * gap;
      case Kind::manhattan:
      case Kind::chebyshev: return gap;
      default: return std::pow(gap, p);
    }
  }

  double combine(double accumulated, double term) const {
    return kind == Kind::chebyshev ? std::max(accumulated, term) : accumulated + term;
  }

  double to_distance(double reduced_distance) const {
    switch (kind) {
      case Kind::euclidean: return std::sqrt(reduced_distance);
      case Kind::manhattan:
      case Kind::chebyshev: return reduced_distance;
      default: return std::pow(reduced_distance, 1.0 / p);
    }
  }
};

namespace detail {

// The k best (reduced distance, index) pairs seen so far, sorted ascending.
// k is small (tens), so insertion into a sorted array beats a heap.
class TopK {
 public:
  TopK(double* distances, Index* indices, Index k) : dist_(distances), idx_(indices), k_(k) {}

  // Largest kept distance once k pairs are kept; +inf before.
  double bound() const { return size_ < k_ ? std::numeric_limits<double>::infinity() : dist_[k_ - 1]; }

  void push(double distance, Index index) {
    if (size_ == k_) {
      const double worst = dist_[k_ - 1];
      if (distance > worst || (distance == worst && index > idx_[k_ - 1])) return;
    } else {
      ++size_;
    }
    Index pos = size_ - 1;
    while (pos > 0 && (dist_[pos - 1] > distance || (dist_[pos - 1] == distance && idx_[pos - 1] > index))) {
      dist_[pos] = dist_[pos - 1];
      idx_[pos] = idx_[pos - 1];
      --pos;
    }
    dist_[pos] = distance;
    idx_[pos] = index;
  }

  Index size() const { return size_; }

 private:
  double* dist_;
  Index* idx_;
  Index k_;
  Index size_ = 0;
};

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace detail

// A kd-tree over rows stored in tree order. Nodes are kept in flat arrays:
// node i covers rows [start[i], end[i]) and has children 2i+1 and 2i+2 unless
// it is a leaf. Each node stores the tight bounding box of its rows.
template <class T>
struct KdTree {
  Index n_features = 0;
  Index leaf_size = 30;
  std::vector<Index> start, end;
  std::vector<double> lower, upper;  // n_nodes x n_features, row-major
  std::vector<char> is_leaf;

  Index n_nodes() const { return static_cast<Index>(start.size()); }
};

template <class T>
class KnnIndex {
 public:
  using value_type = T;

  // Copies the training rows. leaf_size only matters for the kd-tree.
  KnnIndex(const MatrixView<T>& train, double p, Algorithm algorithm, Index leaf_size)
      : metric_(p), n_samples_(train.rows), n_features_(train.cols), leaf_size_(leaf_size) {
    PYOD_FAST_REQUIRE(train.rows >= 1, "the training set is empty: it needs at least one row");
    PYOD_FAST_REQUIRE(train.cols >= 1, "the training set has no features: it needs at least one column");
    PYOD_FAST_REQUIRE(leaf_size >= 1, "leaf_size must be a positive integer, got ", leaf_size);
    if (algorithm == Algorithm::automatic) {
      algorithm = n_features_ <= kMaxTreeFeatures ? Algorithm::kd_tree : Algorithm::brute;
    }
    algorithm_ = algorithm;

    data_.resize(static_cast<size_t>(n_samples_ * n_features_));
    order_.resize(static_cast<size_t>(n_samples_));
    std::iota(order_.begin(), order_.end(), Index{0});
    if (algorithm_ == Algorithm::kd_tree) build_tree(train);
    else copy_rows(train);
  }

  Index n_samples() const { return n_samples_; }
  Index n_features() const { return n_features_; }
  Algorithm algorithm() const { return algorithm_; }
  double p() const { return metric_.p; }
  Index leaf_size() const { return leaf_size_; }
  const Minkowski& metric() const { return metric_; }

  // Copies the training rows back in their original order into out
  // (n_samples x n_features, row-major), for serialization.
  void training_data(T* out) const {
    for (Index r = 0; r < n_samples_; ++r) {
      std::copy_n(stored_row(r), n_features_, out + order_[r] * n_features_);
    }
  }

  // Finds the k nearest training rows of every query row. distances and
  // indices are caller-owned buffers of query.rows * k elements, row-major;
  // each row comes back sorted by distance, ties by training index.
  void query(const MatrixView<T>& queries, Index k, int n_threads, double* distances, Index* indices) const {
    PYOD_FAST_REQUIRE(queries.cols == n_features_, "the query rows have ", queries.cols,
                      " features but the index was built on ", n_features_);
    PYOD_FAST_REQUIRE(k >= 1 && k <= n_samples_, "k must lie in [1, ", n_samples_, "] (the training rows), got ",
                      k);
    search(queries, /*exclude_self=*/false, k, n_threads, distances, indices);
  }

  // Finds the k nearest other training rows of every training row.
  void query_training(Index k, int n_threads, double* distances, Index* indices) const {
    PYOD_FAST_REQUIRE(k >= 1 && k < n_samples_, "k must lie in [1, ", n_samples_ - 1,
                      "] to find neighbours of the training rows among the other ", n_samples_ - 1,
                      " rows, got ", k);
    std::vector<T> original(static_cast<size_t>(n_samples_ * n_features_));
    training_data(original.data());
    search(MatrixView<T>(original.data(), n_samples_, n_features_), /*exclude_self=*/true, k, n_threads,
           distances, indices);
  }

 private:
  static constexpr Index kQueryBlock = 128;   // query rows per task
  static constexpr Index kTrainBlock = 1024;  // training rows per matrix product

  const T* stored_row(Index r) const { return data_.data() + r * n_features_; }

  void copy_rows(const MatrixView<T>& train) {
    for (Index r = 0; r < n_samples_; ++r) std::copy_n(train.row(r), n_features_, data_.data() + r * n_features_);
  }

  void search(const MatrixView<T>& queries, bool exclude_self, Index k, int n_threads, double* distances,
              Index* indices) const {
    if (algorithm_ == Algorithm::kd_tree) {
      search_tree(queries, exclude_self, k, n_threads, distances, indices);
    } else if (metric_.kind == Minkowski::Kind::euclidean) {
      search_brute_euclidean(queries, exclude_self, k, n_threads, distances, indices);
    } else {
      search_brute_direct(queries, exclude_self, k, n_threads, distances, indices);
    }
    const Index total = queries.rows * k;
    for (Index i = 0; i < total; ++i) distances[i] = metric_.to_distance(distances[i]);
  }

  // --- brute force, any Minkowski metric -------------------------------------
  void search_brute_direct(const MatrixView<T>& queries, bool exclude_self, Index k, int n_threads,
                           double* distances, Index* indices) const {
    const Index n_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
    core::parallel_for(n_blocks, n_threads, [&](Index block) {
      const Index q_end = std::min(queries.rows, (block + 1) * kQueryBlock);
      for (Index q = block * kQueryBlock; q < q_end; ++q) {
        detail::TopK best(distances + q * k, indices + q * k, k);
        const T* row = queries.row(q);
        for (Index t = 0; t < n_samples_; ++t) {
          if (exclude_self && t == q) continue;
          best.push(metric_.reduced(row, stored_row(t), n_features_), t);
        }
      }
    });
  }

  // --- brute force, Euclidean, screened by a matrix product --------------------
  void search_brute_euclidean(const MatrixView<T>& queries, bool exclude_self, Index k, int n_threads,
                              double* distances, Index* indices) const {
    using Matrix = detail::RowMatrix<T>;
    const Index d = n_features_;

    // Centre both sides on the training mean: the rounding error of the
    // expansion grows with the squared norms, and centring keeps them small.
    std::vector<double> mean(static_cast<size_t>(d), 0.0);
    for (Index r = 0; r < n_samples_; ++r)
      for (Index j = 0; j < d; ++j) mean[j] += static_cast<double>(stored_row(r)[j]);
    for (double& m : mean) m /= static_cast<double>(n_samples_);

    Matrix train(n_samples_, d);
    Eigen::Matrix<T, Eigen::Dynamic, 1> train_norms(n_samples_);
    for (Index r = 0; r < n_samples_; ++r) {
      for (Index j = 0; j < d; ++j) train(r, j) = static_cast<T>(static_cast<double>(stored_row(r)[j]) - mean[j]);
      train_norms(r) = train.row(r).squaredNorm();
    }

    // Bound on |screened - exact| relative to |q|^2 + |t|^2 with unit
    // roundoff u: the dot product and both norms contribute (d + 2) u each
    // (Higham, Accuracy and Stability of Numerical Algorithms, 2002, sec. 3.1),
    // rounding the centred coordinates contributes 2u, and the final
    // additions a few u more. The factor 1.25 is a safety margin on top of the
    // proven bound.
    const double unit_roundoff = std::numeric_limits<T>::epsilon() / 2.0;
    const double slack = 1.25 * unit_roundoff * (2.0 * static_cast<double>(d + 2) + 16.0);

    const Index n_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
    core::parallel_for(n_blocks, n_threads, [&](Index block) {
      const Index q_begin = block * kQueryBlock;
      const Index q_count = std::min(queries.rows, q_begin + kQueryBlock) - q_begin;

      Matrix centred(q_count, d);
      std::vector<double> query_norms(static_cast<size_t>(q_count));
      for (Index i = 0; i < q_count; ++i) {
        const T* row = queries.row(q_begin + i);
        for (Index j = 0; j < d; ++j) centred(i, j) = static_cast<T>(static_cast<double>(row[j]) - mean[j]);
        query_norms[i] = static_cast<double>(centred.row(i).squaredNorm());
      }

      std::vector<detail::TopK> best;
      best.reserve(static_cast<size_t>(q_count));
      for (Index i = 0; i < q_count; ++i) best.emplace_back(distances + (q_begin + i) * k, indices + (q_begin + i) * k, k);

      Matrix products(q_count, std::min(kTrainBlock, n_samples_));
      for (Index t_begin = 0; t_begin < n_samples_; t_begin += kTrainBlock) {
        const Index t_count = std::min(kTrainBlock, n_samples_ - t_begin);
        products.leftCols(t_count).noalias() = centred * train.middleRows(t_begin, t_count).transpose();

        for (Index i = 0; i < q_count; ++i) {
          const Index q = q_begin + i;
          const T* row = queries.row(q);
          const T* product_row = products.data() + i * products.cols();
          const double qn = query_norms[i];
          double bound = best[i].bound();
          for (Index j = 0; j < t_count; ++j) {
            const Index t = t_begin + j;
            const double tn = static_cast<double>(train_norms(t));
            const double screened = qn + tn - 2.0 * static_cast<double>(product_row[j]);
            if (screened - slack * (qn + tn) > bound) continue;
            if (exclude_self && t == q) continue;
            best[i].push(metric_.reduced(row, stored_row(t), d), t);
            bound = best[i].bound();
          }
        }
      }
    });
  }

  // --- kd-tree -------------------------------------------------------------------
  void build_tree(const MatrixView<T>& train) {
    const Index d = n_features_;
    tree_.n_features = d;
    tree_.leaf_size = leaf_size_;

    // Depth so that leaves hold at most leaf_size rows; the tree is complete,
    // so node i has children 2i+1 and 2i+2.
    Index n_levels = 1;
    while (((n_samples_ + (Index{1} << (n_levels - 1)) - 1) >> (n_levels - 1)) > leaf_size_) ++n_levels;
    const Index n_nodes = (Index{1} << n_levels) - 1;
    tree_.start.assign(n_nodes, 0);
    tree_.end.assign(n_nodes, 0);
    tree_.is_leaf.assign(n_nodes, 0);
    tree_.lower.assign(static_cast<size_t>(n_nodes * d), 0.0);
    tree_.upper.assign(static_cast<size_t>(n_nodes * d), 0.0);

    tree_.start[0] = 0;
    tree_.end[0] = n_samples_;
    for (Index node = 0; node < n_nodes; ++node) {
      const Index begin = tree_.start[node], end = tree_.end[node];
      double* lo = tree_.lower.data() + node * d;
      double* hi = tree_.upper.data() + node * d;
      for (Index j = 0; j < d; ++j) {
        lo[j] = std::numeric_limits<double>::infinity();
        hi[j] = -std::numeric_limits<double>::infinity();
      }
      for (Index r = begin; r < end; ++r) {
        const T* row = train.row(order_[r]);
        for (Index j = 0; j < d; ++j) {
          lo[j] = std::min(lo[j], static_cast<double>(row[j]));
          hi[j] = std::max(hi[j], static_cast<double>(row[j]));
        }
      }
      const Index left = 2 * node + 1;
      if (left >= n_nodes) {
        tree_.is_leaf[node] = 1;
        continue;
      }
      // Split at the median of the widest dimension.
      Index split_dim = 0;
      for (Index j = 1; j < d; ++j)
        if (hi[j] - lo[j] > hi[split_dim] - lo[split_dim]) split_dim = j;
      const Index middle = begin + (end - begin) / 2;
      std::nth_element(order_.begin() + begin, order_.begin() + middle, order_.begin() + end,
                       [&](Index a, Index b) {
                         const T va = train.row(a)[split_dim], vb = train.row(b)[split_dim];
                         return va < vb || (va == vb && a < b);
                       });
      tree_.start[left] = begin;
      tree_.end[left] = middle;
      tree_.start[left + 1] = middle;
      tree_.end[left + 1] = end;
    }
    for (Index r = 0; r < n_samples_; ++r) std::copy_n(train.row(order_[r]), d, data_.data() + r * d);
  }

  double min_reduced_to_box(const T* row, Index node) const {
    const Index d = n_features_;
    const double* lo = tree_.lower.data() + node * d;
    const double* hi = tree_.upper.data() + node * d;
    double total = 0.0;
    for (Index j = 0; j < d; ++j) {
      const double v = static_cast<double>(row[j]);
      const double gap = v < lo[j] ? lo[j] - v : (v > hi[j] ? v - hi[j] : 0.0);
      if (gap > 0.0) total = metric_.combine(total, metric_.reduced_term(gap));
    }
    return total;
  }

  void search_tree(const MatrixView<T>& queries, bool exclude_self, Index k, int n_threads, double* distances,
                   Index* indices) const {
    const Index n_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
    core::parallel_for(n_blocks, n_threads, [&](Index block) {
      std::vector<std::pair<double, Index>> stack;
      const Index q_end = std::min(queries.rows, (block + 1) * kQueryBlock);
      for (Index q = block * kQueryBlock; q < q_end; ++q) {
        detail::TopK best(distances + q * k, indices + q * k, k);
        const T* row = queries.row(q);
        stack.clear();
        stack.emplace_back(min_reduced_to_box(row, 0), 0);
        while (!stack.empty()) {
          const auto [node_bound, node] = stack.back();
          stack.pop_back();
          // Nodes at exactly the current bound may still hold a tie with a
          // lower index, so only strictly farther nodes are pruned.
          if (node_bound > best.bound()) continue;
          if (tree_.is_leaf[node]) {
            for (Index r = tree_.start[node]; r < tree_.end[node]; ++r) {
              const Index original = order_[r];
              if (exclude_self && original == q) continue;
              best.push(metric_.reduced(row, stored_row(r), n_features_), original);
            }
            continue;
          }
          const Index left = 2 * node + 1, right = left + 1;
          const double left_bound = min_reduced_to_box(row, left);
          const double right_bound = min_reduced_to_box(row, right);
          // Push the farther child first so the nearer one is searched first.
          if (left_bound <= right_bound) {
            stack.emplace_back(right_bound, right);
            stack.emplace_back(left_bound, left);
          } else {
            stack.emplace_back(left_bound, left);
            stack.emplace_back(right_bound, right);
          }
        }
      }
    });
  }

  Minkowski metric_;
  Index n_samples_;
  Index n_features_;
  Index leaf_size_;
  Algorithm algorithm_ = Algorithm::brute;
  std::vector<T> data_;        // training rows, in tree order for the kd-tree
  std::vector<Index> order_;   // order_[r] is the original index of stored row r
  KdTree<T> tree_;
};

// How kNN turns the k neighbour distances of a row into its outlier score.
enum class ScoreMethod { largest, mean, median };

inline ScoreMethod parse_score_method(const std::string& name) {
  if (name == "largest") return ScoreMethod::largest;
  if (name == "mean") return ScoreMethod::mean;
  if (name == "median") return ScoreMethod::median;
  PYOD_FAST_REQUIRE(false, "unknown kNN method '", name, "': use 'largest', 'mean' or 'median'");
  return ScoreMethod::largest;
}

// Scores n_rows rows from their sorted neighbour distances (n_rows x k,
// row-major) into scores (n_rows): the k-th distance, the mean distance, or
// the median distance (the mean of the two middle ones when k is even).
inline void score_neighbors(const double* distances, Index n_rows, Index k, ScoreMethod method, double* scores) {
  for (Index i = 0; i < n_rows; ++i) {
    const double* row = distances + i * k;
    switch (method) {
      case ScoreMethod::largest:
        scores[i] = row[k - 1];
        break;
      case ScoreMethod::mean: {
        double sum = 0.0;
        for (Index j = 0; j < k; ++j) sum += row[j];
        scores[i] = sum / static_cast<double>(k);
        break;
      }
      case ScoreMethod::median:
        scores[i] = (k % 2 == 1) ? row[k / 2] : 0.5 * (row[k / 2 - 1] + row[k / 2]);
        break;
    }
  }
}

}  // namespace pyod_fast::knn
