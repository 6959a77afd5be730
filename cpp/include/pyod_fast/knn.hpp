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
// 'auto' builds the kd-tree for up to 15 features and keeps it only when a
// probe search shows that it prunes well (kMaxTreeVisitShare).
//
// Brute force with the Euclidean metric screens candidates with the expansion
// |q - t|^2 = |q|^2 + |t|^2 - 2 q.t, evaluated in float32 by a register-blocked
// micro-kernel (kTileRows query rows by kTileLanes training rows per tile).
// The expansion loses digits, so it is only a filter. A candidate survives when
// its screened value could still be at most the current k-th distance, and the
// survivors that remain candidates at the end get their distance recomputed
// exactly, as the sum of squared differences in double precision. Only exact
// distances are ranked, so the result equals that of the direct search.
// Before screening, both sides are centred on the coordinate-wise median of
// the training rows (which keeps |q|^2 + |t|^2, the scale of the rounding
// error, small) and scaled by a power of two so that every coordinate lies in
// [-1, 1] (no float overflow, little underflow). The
// rounding bound that makes the filter safe is derived at
// EuclideanScreen::screening_slack. The neighbours of the training rows
// themselves (query_training) need each pair in both directions: there one
// dot product serves both, which halves the screening work
// (search_training_screened). The other metrics, and the kd-tree, compute
// distances directly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <mutex>
#include <numeric>
#include <string>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

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

// With 'auto' and at most kMaxTreeFeatures features, the index builds the
// kd-tree and probes it with 64 training rows. If those searches visit more
// than this share of the training rows, it switches to brute force.
// The cut-off comes from query_training(k=10) on one thread of a 2-core Xeon
// with AVX-512. The tree was faster at visit shares up to 0.024 (generated
// and Gaussian data at d = 4 and 6 with n = 50,000, ODDS shuttle, ADBench
// cover) and slower from 0.046 up (Gaussian d = 6 with n = 20,000, all d >= 8).
// NOTE: ADBench mammography (share 0.12) is an exception: brute force is
// chosen there although the tree is 2x faster.
inline constexpr double kMaxTreeVisitShare = 0.04;

// The Minkowski distance (sum |x_i - y_i|^p)^(1/p) for p >= 1, and the
// Chebyshev distance max |x_i - y_i| for p = infinity. Internally the search
// works with the reduced distance, which skips the final root (and the square
// root for p = 2): it orders points the same way and is cheaper.
//
// For p > 1 the reduced distance raises each difference to the power p, which
// underflows for data near 1e-160 (p = 2) and overflows near 1e155. So every
// difference is first multiplied by `scale`, a power of two that the index
// sets from the magnitude of its training data, and to_distance divides it
// out again. Scaling by a power of two is exact, so this changes no result
// where the unscaled sums neither underflow nor overflow (for p other than 1,
// 2 and infinity, up to the last-bit accuracy of std::pow).
struct Minkowski {
  enum class Kind { manhattan, euclidean, chebyshev, general };
  Kind kind = Kind::euclidean;
  double p = 2.0;
  double scale = 1.0;  // a power of two; 1 for p = 1 and p = infinity

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
          const double diff = (static_cast<double>(a[i]) - static_cast<double>(b[i])) * scale;
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
          sum += std::pow(std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i])) * scale, p);
        return sum;
    }
  }

  // Reduced distance contributed by one coordinate gap (used by tree bounds).
  double reduced_term(double gap) const {
    switch (kind) {
      case Kind::euclidean: return (gap * scale) * (gap * scale);
      case Kind::manhattan:
      case Kind::chebyshev: return gap;
      default: return std::pow(gap * scale, p);
    }
  }

  double combine(double accumulated, double term) const {
    return kind == Kind::chebyshev ? std::max(accumulated, term) : accumulated + term;
  }

  double to_distance(double reduced_distance) const {
    switch (kind) {
      case Kind::euclidean: return std::sqrt(reduced_distance) / scale;
      case Kind::manhattan:
      case Kind::chebyshev: return reduced_distance;
      default: return std::pow(reduced_distance, 1.0 / p) / scale;
    }
  }

  // Sets scale from the largest magnitude among the training values, so that
  // scaled differences stay near 1 (non-finite input keeps scale = 1).
  void fit_scale(double largest_magnitude) {
    scale = 1.0;
    if (kind == Kind::manhattan || kind == Kind::chebyshev) return;
    if (largest_magnitude > 0.0 && std::isfinite(largest_magnitude)) {
      scale = std::ldexp(1.0, std::clamp(-std::ilogb(largest_magnitude), -1000, 1000));
    }
  }
};

namespace detail {

// The k best (reduced distance, index) pairs seen so far, sorted ascending.
// k is small (tens), so insertion into a sorted array beats a heap. Without
// an index buffer (indices == nullptr) only the distances are kept: of tied
// pairs the first one seen stays, which leaves the k smallest distances
// unchanged.
class TopK {
 public:
  // distances and indices already hold the first `size` pairs of the list
  // (0 for a new one), sorted.
  TopK(double* distances, Index* indices, Index k, Index size = 0)
      : dist_(distances), idx_(indices), k_(k), size_(size) {}

  // Largest kept distance once k pairs are kept; +inf before.
  double bound() const { return size_ < k_ ? std::numeric_limits<double>::infinity() : dist_[k_ - 1]; }

  // Adds the pair if it is among the k best; returns whether it was kept.
  bool push(double distance, Index index) {
    if (size_ == k_) {
      const double worst = dist_[k_ - 1];
      if (distance > worst || (distance == worst && (idx_ == nullptr || index > idx_[k_ - 1]))) return false;
    } else {
      ++size_;
    }
    Index pos = size_ - 1;
    if (idx_ == nullptr) {
      while (pos > 0 && dist_[pos - 1] > distance) {
        dist_[pos] = dist_[pos - 1];
        --pos;
      }
      dist_[pos] = distance;
      return true;
    }
    while (pos > 0 && (dist_[pos - 1] > distance || (dist_[pos - 1] == distance && idx_[pos - 1] > index))) {
      dist_[pos] = dist_[pos - 1];
      idx_[pos] = idx_[pos - 1];
      --pos;
    }
    dist_[pos] = distance;
    idx_[pos] = index;
    return true;
  }

  Index size() const { return size_; }

 private:
  double* dist_;
  Index* idx_;
  Index k_;
  Index size_ = 0;
};

// --- float32 screening for the Euclidean brute-force search -------------------
//
// A tile is kTileRows query rows by kTileLanes training rows. Its float
// accumulators must fit in vector registers with room to spare: 12 x 32 floats
// are 24 of the 32 AVX-512 registers, 6 x 16 floats 12 of the 16 AVX2 ones.
// With 16 x 32 they spill, and 8 x 32 was 5 % slower (2-core Xeon, d = 16).
#if defined(__AVX512F__)
inline constexpr int kTileRows = 12;
inline constexpr int kTileLanes = 32;
#else
inline constexpr int kTileRows = 6;
inline constexpr int kTileLanes = 16;
#endif

// GCC vectorizes with 256-bit registers by default even where AVX-512 is
// enabled; the tile kernels ask for 512-bit ones, which halves their cost
// there. They must not be inlined, or the caller's preference applies. The
// attribute changes only the generated code, never results.
// NOTE: Clang has no such attribute; with Clang the kernels use whatever
// vector width -mprefer-vector-width selects (256 bits by default).
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#define PYOD_FAST_WIDE_VECTORS __attribute__((noinline, target("prefer-vector-width=512")))
#else
#define PYOD_FAST_WIDE_VECTORS
#endif

// The accumulators stay in registers only when the loops over the tile rows
// are unrolled completely; GCC does not always do that by itself.
#if defined(__clang__)
#define PYOD_FAST_UNROLL_TILE_ROWS _Pragma("unroll")
#elif defined(__GNUC__)
#define PYOD_FAST_UNROLL_TILE_ROWS _Pragma("GCC unroll 16")
#else
#define PYOD_FAST_UNROLL_TILE_ROWS
#endif

// Index of the lowest set bit of a nonzero mask.
inline int lowest_set_bit(std::uint32_t mask) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_ctz(mask);
#else
  int bit = 0;
  while ((mask & 1u) == 0) {
    mask >>= 1;
    ++bit;
  }
  return bit;
#endif
}

// Screens one tile. query_rows contains kTileRows rows of `width` floats (the
// coefficients -2 a_j, then 1). panel contains `width` rows of kTileLanes
// floats (the coordinates b_j of kTileLanes training rows, feature-major, then
// their weighted squared norms h). Computes scores[r][c] = h_c - 2 a_r . b_c,
// summed in the order of j with one fused multiply-add per feature. Returns
// false when no score passes, that is when scores[r][c] > thresholds[r]
// everywhere (NaN never passes); otherwise sets bit c of lane_masks[r] exactly
// when scores[r][c] <= thresholds[r], writes scores and returns true.
// Both versions below compute bit-identical scores.
#if defined(__AVX512F__)
PYOD_FAST_WIDE_VECTORS inline bool screen_tile(const float* query_rows, const float* panel, Index width,
                                               const float* thresholds, float (&scores)[kTileRows][kTileLanes],
                                               std::uint32_t (&lane_masks)[kTileRows]) {
  static_assert(kTileLanes == 32, "the AVX-512 tile holds two 16-float vectors per row");
  __m512 low[kTileRows], high[kTileRows];
  PYOD_FAST_UNROLL_TILE_ROWS
  for (int r = 0; r < kTileRows; ++r) {
    low[r] = _mm512_setzero_ps();
    high[r] = _mm512_setzero_ps();
  }
  for (Index j = 0; j < width; ++j) {
    const __m512 panel_low = _mm512_loadu_ps(panel + j * kTileLanes);
    const __m512 panel_high = _mm512_loadu_ps(panel + j * kTileLanes + 16);
    PYOD_FAST_UNROLL_TILE_ROWS
  for (int r = 0; r < kTileRows; ++r) {
      const __m512 coefficient = _mm512_set1_ps(query_rows[r * width + j]);
      low[r] = _mm512_fmadd_ps(coefficient, panel_low, low[r]);
      high[r] = _mm512_fmadd_ps(coefficient, panel_high, high[r]);
    }
  }
  // Compare straight into bit masks: no horizontal reduction is needed.
  std::uint32_t any = 0;
  PYOD_FAST_UNROLL_TILE_ROWS
  for (int r = 0; r < kTileRows; ++r) {
    const __m512 threshold = _mm512_set1_ps(thresholds[r]);
    const std::uint32_t mask = static_cast<std::uint32_t>(_mm512_cmp_ps_mask(low[r], threshold, _CMP_LE_OQ)) |
                               static_cast<std::uint32_t>(_mm512_cmp_ps_mask(high[r], threshold, _CMP_LE_OQ)) << 16;
    lane_masks[r] = mask;
    any |= mask;
  }
  if (any == 0) return false;
  PYOD_FAST_UNROLL_TILE_ROWS
  for (int r = 0; r < kTileRows; ++r) {
    _mm512_storeu_ps(scores[r], low[r]);
    _mm512_storeu_ps(scores[r] + 16, high[r]);
  }
  return true;
}
#else
PYOD_FAST_WIDE_VECTORS inline bool screen_tile(const float* query_rows, const float* panel, Index width,
                                               const float* thresholds, float (&scores)[kTileRows][kTileLanes],
                                               std::uint32_t (&lane_masks)[kTileRows]) {
  static_assert(kTileLanes <= 32, "lane masks hold 32 bits");
  // A local accumulator: the compiler keeps it in registers because, unlike
  // scores, it cannot alias query_rows or panel.
  float sums[kTileRows][kTileLanes];
  for (int r = 0; r < kTileRows; ++r) {
#pragma omp simd
    for (int c = 0; c < kTileLanes; ++c) sums[r][c] = 0.0f;
  }
  for (Index j = 0; j < width; ++j) {
    const float* panel_row = panel + j * kTileLanes;
    for (int r = 0; r < kTileRows; ++r) {
      const float coefficient = query_rows[r * width + j];
#pragma omp simd
      for (int c = 0; c < kTileLanes; ++c) sums[r][c] = std::fma(coefficient, panel_row[c], sums[r][c]);
    }
  }

  // fl(x - y) <= 0 exactly when x <= y (gradual underflow never rounds a
  // nonzero difference to zero, and flush-to-zero only adds false hits), so
  // the minimum of score - threshold over the whole tile rules out most
  // tiles with one horizontal reduction.
  float lowest[kTileLanes];
#pragma omp simd
  for (int c = 0; c < kTileLanes; ++c) lowest[c] = sums[0][c] - thresholds[0];
  for (int r = 1; r < kTileRows; ++r) {
    const float threshold = thresholds[r];
#pragma omp simd
    for (int c = 0; c < kTileLanes; ++c) lowest[c] = std::min(lowest[c], sums[r][c] - threshold);
  }
  float tile_lowest = lowest[0];
#pragma omp simd reduction(min : tile_lowest)
  for (int c = 0; c < kTileLanes; ++c) tile_lowest = std::min(tile_lowest, lowest[c]);
  if (!(tile_lowest <= 0.0f)) return false;

  for (int r = 0; r < kTileRows; ++r) {
    std::uint32_t mask = 0;
    for (int c = 0; c < kTileLanes; ++c) {
      scores[r][c] = sums[r][c];
      mask |= static_cast<std::uint32_t>(sums[r][c] <= thresholds[r]) << c;
    }
    lane_masks[r] = mask;
  }
  return true;
}
#endif

// --- both directions at once, for the training rows -----------------------
//
// Among the training rows, q.t = t.q: one dot product serves the pair in
// both directions. A pair tile takes kPairRows rows of one panel (from
// first_row on) and the kTileLanes rows of another, computes
// dot[r][c] = -2 sum_j b_rj b_cj (the float chain of fused multiply-adds,
// then an exact doubling) and tests, with the thresholds of the stored rows,
//   forward, row r as the query:  dot[r][c] <= fl(threshold_r - h_c)
//   reverse, lane c as the query: dot[r][c] <= fl(threshold_c - h_r).
// Why this is safe: the chain has d terms, so |dot - (-2 a.b)| <= gamma_d
// (A + B), less than e1 (A + B); with h's own rounding, dot + h_c <=
// D - (1 - s) A follows as in (3). A pair within the k-th distance thus has
// dot <= threshold_r - h_c in exact arithmetic, and since dot is a float and
// rounding to nearest is monotone, dot <= fl(threshold_r - h_c) as well. The
// reverse test follows in the same way.
inline constexpr int kPairRows = kTileLanes / 4;

// Returns false when no pair passes either test. Otherwise sets bit c of
// forward[r] (reverse[r]) exactly when the forward (reverse) test passes for
// row r and lane c. row_panel and lane_panel are panels of n_features + 1
// rows. row_thresholds contains kPairRows values and lane_thresholds
// kTileLanes. Lanes and rows past the training rows have threshold -inf and
// h = +inf, so they never pass (NaN fails every test).
#if defined(__AVX512F__)
PYOD_FAST_WIDE_VECTORS inline bool screen_pair_tile(const float* row_panel, Index first_row, const float* lane_panel,
                                                    Index n_features, const float* row_thresholds,
                                                    const float* lane_thresholds,
                                                    std::uint32_t (&forward)[kPairRows],
                                                    std::uint32_t (&reverse)[kPairRows]) {
  __m512 low[kPairRows], high[kPairRows];
  PYOD_FAST_UNROLL_TILE_ROWS
  for (int r = 0; r < kPairRows; ++r) {
    low[r] = _mm512_setzero_ps();
    high[r] = _mm512_setzero_ps();
  }
  for (Index j = 0; j < n_features; ++j) {
    const __m512 lanes_low = _mm512_loadu_ps(lane_panel + j * kTileLanes);
    const __m512 lanes_high = _mm512_loadu_ps(lane_panel + j * kTileLanes + 16);
    PYOD_FAST_UNROLL_TILE_ROWS
    for (int r = 0; r < kPairRows; ++r) {
      const __m512 coefficient = _mm512_set1_ps(row_panel[j * kTileLanes + first_row + r]);
      low[r] = _mm512_fmadd_ps(coefficient, lanes_low, low[r]);
      high[r] = _mm512_fmadd_ps(coefficient, lanes_high, high[r]);
    }
  }
  const float* lane_norms = lane_panel + n_features * kTileLanes;
  const float* row_norms = row_panel + n_features * kTileLanes + first_row;
  const __m512 minus_two = _mm512_set1_ps(-2.0f);
  const __m512 norms_low = _mm512_loadu_ps(lane_norms), norms_high = _mm512_loadu_ps(lane_norms + 16);
  const __m512 limits_low = _mm512_loadu_ps(lane_thresholds), limits_high = _mm512_loadu_ps(lane_thresholds + 16);
  std::uint32_t any = 0;
  PYOD_FAST_UNROLL_TILE_ROWS
  for (int r = 0; r < kPairRows; ++r) {
    const __m512 dot_low = _mm512_mul_ps(low[r], minus_two), dot_high = _mm512_mul_ps(high[r], minus_two);
    const __m512 row_threshold = _mm512_set1_ps(row_thresholds[r]);
    const __m512 row_norm = _mm512_set1_ps(row_norms[r]);
    const std::uint32_t forward_mask =
        static_cast<std::uint32_t>(
            _mm512_cmp_ps_mask(dot_low, _mm512_sub_ps(row_threshold, norms_low), _CMP_LE_OQ)) |
        static_cast<std::uint32_t>(
            _mm512_cmp_ps_mask(dot_high, _mm512_sub_ps(row_threshold, norms_high), _CMP_LE_OQ))
            << 16;
    const std::uint32_t reverse_mask =
        static_cast<std::uint32_t>(_mm512_cmp_ps_mask(dot_low, _mm512_sub_ps(limits_low, row_norm), _CMP_LE_OQ)) |
        static_cast<std::uint32_t>(_mm512_cmp_ps_mask(dot_high, _mm512_sub_ps(limits_high, row_norm), _CMP_LE_OQ))
            << 16;
    forward[r] = forward_mask;
    reverse[r] = reverse_mask;
    any |= forward_mask | reverse_mask;
  }
  return any != 0;
}
#else
PYOD_FAST_WIDE_VECTORS inline bool screen_pair_tile(const float* row_panel, Index first_row, const float* lane_panel,
                                                    Index n_features, const float* row_thresholds,
                                                    const float* lane_thresholds,
                                                    std::uint32_t (&forward)[kPairRows],
                                                    std::uint32_t (&reverse)[kPairRows]) {
  float sums[kPairRows][kTileLanes];
  for (int r = 0; r < kPairRows; ++r) {
#pragma omp simd
    for (int c = 0; c < kTileLanes; ++c) sums[r][c] = 0.0f;
  }
  for (Index j = 0; j < n_features; ++j) {
    const float* lanes = lane_panel + j * kTileLanes;
    for (int r = 0; r < kPairRows; ++r) {
      const float coefficient = row_panel[j * kTileLanes + first_row + r];
#pragma omp simd
      for (int c = 0; c < kTileLanes; ++c) sums[r][c] = std::fma(coefficient, lanes[c], sums[r][c]);
    }
  }
  const float* lane_norms = lane_panel + n_features * kTileLanes;
  const float* row_norms = row_panel + n_features * kTileLanes + first_row;
  int any = 0;
  for (int r = 0; r < kPairRows; ++r) {
    const float row_threshold = row_thresholds[r], row_norm = row_norms[r];
#pragma omp simd reduction(| : any)
    for (int c = 0; c < kTileLanes; ++c) {
      const float dot = -2.0f * sums[r][c];
      any |= static_cast<int>(dot <= row_threshold - lane_norms[c]) |
             static_cast<int>(dot <= lane_thresholds[c] - row_norm);
    }
  }
  if (any == 0) return false;
  for (int r = 0; r < kPairRows; ++r) {
    std::uint32_t forward_mask = 0, reverse_mask = 0;
    for (int c = 0; c < kTileLanes; ++c) {
      const float dot = -2.0f * sums[r][c];
      forward_mask |= static_cast<std::uint32_t>(dot <= row_thresholds[r] - lane_norms[c]) << c;
      reverse_mask |= static_cast<std::uint32_t>(dot <= lane_thresholds[c] - row_norms[r]) << c;
    }
    forward[r] = forward_mask;
    reverse[r] = reverse_mask;
  }
  return true;
}
#endif

// A permutation of rows that puts rows close in space close in the order: the
// leaf order of a median-split tree with leaves of at most leaf_size rows. The
// screening search visits training rows near each query first, so the k-th
// distance, and with it the threshold, is tight after a few tiles and fewer
// candidates need their exact distance. Only the visiting order changes: the
// result does not depend on it.
class SpatialOrder {
 public:
  SpatialOrder() = default;

  // Orders the rows whose indices `subset` lists (rows is row-major with
  // n_features columns).
  template <class T>
  SpatialOrder(const T* rows, std::vector<Index> subset, Index n_features, Index leaf_size)
      : n_features_(n_features), order_(std::move(subset)) {
    const Index n_rows = static_cast<Index>(order_.size());
    Index n_levels = 1;
    while (((n_rows + (Index{1} << (n_levels - 1)) - 1) >> (n_levels - 1)) > leaf_size) ++n_levels;
    n_internal_ = (Index{1} << (n_levels - 1)) - 1;
    split_dim_.assign(static_cast<size_t>(n_internal_), 0);
    split_value_.assign(static_cast<size_t>(n_internal_), 0.0);
    std::vector<Index> start((Index{1} << n_levels), 0), end((Index{1} << n_levels), 0);
    end[0] = n_rows;
    leaf_start_.assign(static_cast<size_t>(n_internal_ + 1), 0);

    for (Index node = 0; node < (Index{1} << n_levels) - 1; ++node) {
      const Index begin = start[node], stop = end[node];
      if (node >= n_internal_) {
        leaf_start_[node - n_internal_] = begin;
        continue;
      }
      // Split the widest dimension at its median.
      Index widest = 0;
      double widest_spread = -1.0;
      for (Index j = 0; j < n_features; ++j) {
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (Index r = begin; r < stop; ++r) {
          const double value = static_cast<double>(rows[order_[r] * n_features + j]);
          lo = std::min(lo, value);
          hi = std::max(hi, value);
        }
        if (hi - lo > widest_spread) {
          widest_spread = hi - lo;
          widest = j;
        }
      }
      const Index middle = begin + (stop - begin) / 2;
      auto value_of = [&](Index row) { return static_cast<double>(rows[row * n_features + widest]); };
      std::nth_element(order_.begin() + begin, order_.begin() + middle, order_.begin() + stop,
                       [&](Index a, Index b) { return value_of(a) < value_of(b); });
      split_dim_[node] = widest;
      split_value_[node] = middle < stop ? value_of(order_[middle]) : 0.0;
      start[2 * node + 1] = begin;
      end[2 * node + 1] = middle;
      start[2 * node + 2] = middle;
      end[2 * node + 2] = stop;
    }
  }

  // Moves out the permutation: entry s is the original index of the row at
  // position s. home() does not need it, so the caller can own the only copy.
  std::vector<Index> take_order() { return std::move(order_); }

  // Position of the first row in the leaf whose cell contains `row`.
  template <class T>
  Index home(const T* row) const {
    Index node = 0;
    while (node < n_internal_) {
      const bool left = static_cast<double>(row[split_dim_[node]]) < split_value_[node];
      node = 2 * node + (left ? 1 : 2);
    }
    return leaf_start_[node - n_internal_];
  }

 private:
  Index n_features_ = 0;
  Index n_internal_ = 0;
  std::vector<Index> order_;
  std::vector<Index> split_dim_;
  std::vector<double> split_value_;
  std::vector<Index> leaf_start_;
};

// The training rows prepared for float32 screening, and the rounding bound.
//
// Notation: u = 2^-24 and v = 2^-53 are the unit roundoffs of float and
// double, gamma_n = n u / (1 - n u). For a query row q and a training row t,
// a and b are q - c and t - c (c is any fixed centre) scaled by 2^-e (exact:
// a power of two) and rounded to float; A = |a|^2 and B = |b|^2, computed in
// double from those floats. D is the exact squared distance between q and t, in the same 2^-2e
// units. The panel stores h = fl((1 - s) B), and the tile kernel returns
// g = fl(h - 2 a.b), a sum of d + 1 products with one rounding each.
//
//   (1) rounding of the coordinates: each coordinate of a and b has relative
//       error at most w = u + v + u v, so |(A + B - 2 a.b) - D| <= e2 (A + B)
//       with e2 = (4 w + 2 w^2) / (1 - w)^2 < 5 u;
//   (2) the kernel: |g - ((1 - s) B - 2 a.b)| <= gamma_{d+1} (|h| + 2 |a||b|)
//       + u B <= e1 (A + B) with e1 = (2 + u) gamma_{d+1} + u;
//   (3) with s >= e1 + e2, (1) and (2) give g <= D - (1 - s) A, so a row with
//       D <= K, K the current k-th squared distance, has g <= K - (1 - s) A;
//   (4) the same two bounds, the other way round, give an upper bound
//       D <= g + (1 + s/2) A + (3 s/2) B; upper_bound adds s/2 (A + B) more
//       for its own double roundings. The k-th smallest upper bound among
//       the candidates seen so far is therefore a valid K as well, and
//       needs no exact distance.
//
// screening_threshold returns that right-hand side rounded up to float, and
// the kernel keeps a row when g <= threshold. s is twice e1 + e2 so that the
// double-precision roundings of A and B (relative size about d v, far below
// u) are covered as well; K is inflated by (d + 3) v for the roundings of the
// exact distances. Underflow adds at most 2^-126 (the smallest normal float,
// so flush-to-zero is covered too) per float rounding: 2 d coordinate
// roundings move D by at most 4 * 2 * 2^-126 each (coordinates lie in
// [-1, 1]), and the d + 1 products, h and the threshold add one each;
// absolute_slack = 16 (d + 1) 2^-126 bounds the total. Underflow in the exact
// double distances adds at most 2^-1022 per operation, below 2^-220 after
// scaling because is_safe_scale keeps 2^-2e under 2^800, and that is also
// covered by absolute_slack.
class EuclideanScreen {
 public:
  // Prepares n_rows training rows (row-major, n_features columns), taken in
  // the order order[0], order[1], ...; centre and exponent give the centring and
  // the 2^-exponent scaling. The metric's reduced distances carry its scale
  // 2^metric_scale_exponent, squared.
  template <class T>
  EuclideanScreen(const T* rows, const Index* order, Index n_rows, Index n_features, const std::vector<double>& centre,
                  int exponent, int metric_scale_exponent)
      : n_rows_(n_rows),
        width_(n_features + 1),
        n_panels_((n_rows_ + kTileLanes - 1) / kTileLanes),
        exponent_(exponent),
        slack_(screening_slack(n_features)),
        absolute_slack_(16.0 * static_cast<double>(n_features + 1) *
                        static_cast<double>(std::numeric_limits<float>::min())),
        unit_factor_(std::ldexp(1.0, -2 * (exponent + metric_scale_exponent))),
        rounding_factor_(1.0 + 8.0 * static_cast<double>(n_features + 3) *
                                   (std::numeric_limits<double>::epsilon() / 2.0)),
        norm_factor_((1.0 + 2.0 * std::numeric_limits<float>::epsilon()) / (1.0 - slack_)),
        panels_(static_cast<size_t>(n_panels_ * width_ * kTileLanes), 0.0f) {
    const Index d = n_features;
    for (Index t = 0; t < n_rows_; ++t) {
      float* panel = panels_.data() + (t / kTileLanes) * width_ * kTileLanes;
      const Index lane = t % kTileLanes;
      const T* row = rows + order[t] * d;
      double squared_norm = 0.0;
      for (Index j = 0; j < d; ++j) {
        const float b = scaled_coordinate(row[j], centre[j]);
        panel[j * kTileLanes + lane] = b;
        squared_norm += static_cast<double>(b) * static_cast<double>(b);
      }
      panel[d * kTileLanes + lane] = static_cast<float>((1.0 - slack_) * squared_norm);
    }
    // Padding lanes of the last panel get h = +inf, so they never pass.
    for (Index t = n_rows_; t < n_panels_ * kTileLanes; ++t) {
      panels_[static_cast<size_t>(((t / kTileLanes) * width_ + d) * kTileLanes + t % kTileLanes)] =
          std::numeric_limits<float>::infinity();
    }
  }

  // The relative slack s of the derivation above, for d features.
  static double screening_slack(Index n_features) {
    const double u = std::numeric_limits<float>::epsilon() / 2.0;
    const double v = std::numeric_limits<double>::epsilon() / 2.0;
    const double w = u + v + u * v;
    const double e2 = (4.0 * w + 2.0 * w * w) / ((1.0 - w) * (1.0 - w));
    const double n = static_cast<double>(n_features + 1);
    const double gamma = n * u / (1.0 - n * u);
    const double e1 = (2.0 + u) * gamma + u;
    return 2.0 * (e1 + e2);
  }

  // Screening pays off while the slack is a small fraction of the norms; it
  // reaches 1/2 only above about a million features.
  static bool is_useful(Index n_features) { return screening_slack(n_features) < 0.5; }

  // The bound holds while squared distances stay far from the double limits:
  // the largest centred coordinate must be 0 or lie in [2^-400, 2^400].
  // Infinite and NaN coordinates fail this test too.
  static bool is_safe_scale(double largest) {
    return largest == 0.0 || (largest >= std::ldexp(1.0, -400) && largest <= std::ldexp(1.0, 400));
  }

  template <class T>
  float scaled_coordinate(T value, double centre) const {
    return static_cast<float>(std::ldexp(static_cast<double>(value) - centre, -exponent_));
  }

  // Fills one query row of the tile input (width floats: -2 a_j, then 1) and
  // returns A = |a|^2.
  template <class T>
  double prepare_query(const T* row, const std::vector<double>& centre, float* out) const {
    const Index d = width_ - 1;
    double squared_norm = 0.0;
    for (Index j = 0; j < d; ++j) {
      const float a = scaled_coordinate(row[j], centre[j]);
      out[j] = -2.0f * a;
      squared_norm += static_cast<double>(a) * static_cast<double>(a);
    }
    out[d] = 1.0f;
    return squared_norm;
  }

  // The float threshold on g for a query with A = query_norm whose current
  // k-th reduced distance (the metric's, exact) is kth_distance; +inf while fewer
  // than k neighbours are known.
  float screening_threshold(double kth_distance, double query_norm) const {
    return scaled_threshold(kth_distance * unit_factor_, query_norm);
  }

  // Upper bound (4) on the scaled squared distance between the query with
  // A = query_norm and the stored training row `position`, from its score g.
  double upper_bound(float score, double query_norm, Index position) const {
    // B is read back from the panel: h = fl((1 - s) B) >= (1 - s) B (1 - u),
    // so norm_factor_ h >= B, norm_factor_ being (1 + 4 u) / (1 - s).
    return static_cast<double>(score) + (1.0 + slack_) * query_norm +
           2.0 * slack_ * (norm_factor_ * static_cast<double>(weighted_norm(position))) + absolute_slack_;
  }

  // Like screening_threshold, for a k-th squared distance already in scaled
  // units (an upper bound from upper_bound).
  float scaled_threshold(double kth_scaled, double query_norm) const {
    if (std::isinf(kth_scaled)) return std::numeric_limits<float>::infinity();
    return round_up(kth_scaled * rounding_factor_ - (1.0 - slack_) * query_norm + absolute_slack_);
  }

  // The smallest float at least `threshold` (+inf beyond the float range).
  static float round_up(double threshold) {
    if (threshold >= static_cast<double>(std::numeric_limits<float>::max())) {
      return std::numeric_limits<float>::infinity();
    }
    float rounded = static_cast<float>(threshold);
    if (static_cast<double>(rounded) < threshold) {
      rounded = std::nextafter(rounded, std::numeric_limits<float>::infinity());
    }
    return rounded;
  }

  // h = fl((1 - s) B) of the stored row at `position`, from its panel.
  float weighted_norm(Index position) const {
    return panels_[static_cast<size_t>(((position / kTileLanes) * width_ + width_ - 1) * kTileLanes +
                                       position % kTileLanes)];
  }

  // Like screening_threshold for a stored row as the query, with its A known
  // only through its h: (1 - s) A >= h / (1 + u) >= h (1 - 2 u), so the
  // threshold is at least as large as the one from A.
  float stored_row_threshold(double kth_distance, Index position) const {
    const double kth_scaled = kth_distance * unit_factor_;
    if (std::isinf(kth_scaled)) return std::numeric_limits<float>::infinity();
    const double h = static_cast<double>(weighted_norm(position));
    return round_up(kth_scaled * rounding_factor_ - h * (1.0 - std::numeric_limits<float>::epsilon()) +
                    absolute_slack_);
  }

  Index width() const { return width_; }
  Index n_features() const { return width_ - 1; }
  Index n_panels() const { return n_panels_; }
  const float* panel(Index p) const { return panels_.data() + p * width_ * kTileLanes; }

 private:
  Index n_rows_;
  Index width_;
  Index n_panels_;
  int exponent_;
  double slack_;
  double absolute_slack_;
  double unit_factor_;      // 2^-2(e + m): the metric's reduced distances (scale 2^m) to screen units
  double rounding_factor_;  // 1 + 8 (d + 3) v: double roundings of a k-th distance
  double norm_factor_;         // (1 + 4 u) / (1 - s): bounds B from h
  std::vector<float> panels_;  // n_panels x width x kTileLanes
};


// The candidates of one query row that passed the screen, kept with their
// score g until the end of the scan, when only those that still pass the
// final threshold get their exact distance. The k smallest upper bounds (4)
// on their distances tighten the threshold meanwhile without any exact
// distance, which would read the training row from memory.
class ScreenedCandidates {
 public:
  // Records a candidate with its score g and its upper bound (4), keeping
  // the k smallest upper bounds in a max-heap. A stored row that stands for
  // `copies` identical training rows counts that many times.
  void add(float score, Index position, double upper, Index k, Index copies) {
    passed_.emplace_back(score, position);
    for (Index c = 0; c < copies && c < k; ++c) {
      if (static_cast<Index>(smallest_uppers_.size()) < k) {
        smallest_uppers_.push_back(upper);
        std::push_heap(smallest_uppers_.begin(), smallest_uppers_.end());
      } else if (upper < smallest_uppers_.front()) {
        replace_largest(upper);
      } else {
        break;
      }
    }
  }

  // The k-th smallest recorded upper bound; +inf while fewer than k are recorded.
  double kth_upper(Index k) const {
    return static_cast<Index>(smallest_uppers_.size()) < k ? std::numeric_limits<double>::infinity()
                                                           : smallest_uppers_.front();
  }

  Index size() const { return static_cast<Index>(passed_.size()); }

  // Calls visit(position) for every recorded candidate whose score is at most
  // threshold, then forgets all candidates (the upper bounds stay).
  template <class Visit>
  void drain(float threshold, Visit&& visit) {
    for (const auto& [score, position] : passed_) {
      if (score <= threshold) visit(position);
    }
    passed_.clear();
  }

 private:
  // Puts value at the root of the full heap in place of the largest bound
  // and sifts it down.
  void replace_largest(double value) {
    double* heap = smallest_uppers_.data();
    const size_t size = smallest_uppers_.size();
    size_t node = 0;
    for (;;) {
      size_t child = 2 * node + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1] > heap[child]) ++child;
      if (!(heap[child] > value)) break;
      heap[node] = heap[child];
      node = child;
    }
    heap[node] = value;
  }

  std::vector<std::pair<float, Index>> passed_;
  std::vector<double> smallest_uppers_;  // max-heap of at most k bounds
};

// For every row of `rows` (n_rows x n_features, row-major), the index of the
// first row with the same values: the row itself unless an earlier row
// equals it. Values compare with ==, so -0.0 equals 0.0 and a row with a NaN
// equals no row. Rows are grouped through a hash of their values, sorted.
template <class T>
std::vector<Index> first_copies(const T* rows, Index n_rows, Index n_features) {
  std::vector<Index> first(static_cast<size_t>(n_rows));
  std::vector<std::pair<std::uint64_t, Index>> keyed;
  keyed.reserve(static_cast<size_t>(n_rows));
  for (Index i = 0; i < n_rows; ++i) {
    first[i] = i;
    const T* row = rows + i * n_features;
    std::uint64_t hash = 0x243F6A8885A308D3ull;
    bool has_nan = false;
    for (Index j = 0; j < n_features; ++j) {
      const double value = static_cast<double>(row[j]) + 0.0;  // turns -0.0 into 0.0
      has_nan = has_nan || std::isnan(value);
      std::uint64_t bits;
      std::memcpy(&bits, &value, sizeof bits);
      hash = (hash ^ bits) * 0x9E3779B97F4A7C15ull;
      hash ^= hash >> 29;
    }
    if (!has_nan) keyed.emplace_back(hash, i);
  }
  std::sort(keyed.begin(), keyed.end());
  auto equal = [&](Index a, Index b) {
    for (Index j = 0; j < n_features; ++j) {
      if (!(rows[a * n_features + j] == rows[b * n_features + j])) return false;
    }
    return true;
  };
  // Within a run of equal hashes the indices ascend, so the first equal row
  // found is the earliest copy.
  for (size_t begin = 0; begin < keyed.size();) {
    size_t end = begin + 1;
    while (end < keyed.size() && keyed[end].first == keyed[begin].first) ++end;
    for (size_t x = begin + 1; x < end; ++x) {
      const Index row = keyed[x].second;
      for (size_t y = begin; y < x; ++y) {
        const Index earlier = keyed[y].second;
        if (first[earlier] == earlier && equal(row, earlier)) {
          first[row] = earlier;
          break;
        }
      }
    }
    begin = end;
  }
  return first;
}

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

  // Indexes the training rows. With copy_rows (the default) the index keeps
  // its own copy. Without it the index reads train in place for its whole
  // life: the caller must keep that buffer alive and unchanged, and its rows
  // must be contiguous (row_stride == cols). leaf_size only matters for the
  // kd-tree.
  KnnIndex(const MatrixView<T>& train, double p, Algorithm algorithm, Index leaf_size, bool copy_rows = true)
      : metric_(p), n_samples_(train.rows), n_features_(train.cols), leaf_size_(leaf_size) {
    PYOD_FAST_REQUIRE(train.rows >= 1, "the training set is empty: it needs at least one row");
    PYOD_FAST_REQUIRE(train.cols >= 1, "the training set has no features: it needs at least one column");
    PYOD_FAST_REQUIRE(leaf_size >= 1, "leaf_size must be a positive integer, got ", leaf_size);
    const bool automatic = algorithm == Algorithm::automatic;
    if (automatic) algorithm = n_features_ <= kMaxTreeFeatures ? Algorithm::kd_tree : Algorithm::brute;
    algorithm_ = algorithm;

    if (copy_rows || train.row_stride != train.cols) {
      owned_.resize(static_cast<size_t>(n_samples_ * n_features_));
      for (Index r = 0; r < n_samples_; ++r) std::copy_n(train.row(r), n_features_, owned_.data() + r * n_features_);
      rows_ = owned_.data();
    } else {
      rows_ = train.data;
    }
    double largest = 0.0;
    for (Index i = 0; i < n_samples_ * n_features_; ++i) {
      largest = std::max(largest, std::abs(static_cast<double>(rows_[i])));
    }
    metric_.fit_scale(largest);

    // Identical rows are stored once: the search ranks each stored row once
    // and then offers its copies in index order (offer).
    const std::vector<Index> first = detail::first_copies(rows_, n_samples_, n_features_);
    auto store_first_copies = [&] {
      order_.clear();
      for (Index i = 0; i < n_samples_; ++i) {
        if (first[i] == i) order_.push_back(i);
      }
    };
    store_first_copies();
    n_stored_ = static_cast<Index>(order_.size());
    if (algorithm_ == Algorithm::kd_tree) {
      build_tree(MatrixView<T>(rows_, n_samples_, n_features_));
      if (!automatic || probe_tree_visits() <= kMaxTreeVisitShare) {
        index_copies(first);
        return;
      }
      algorithm_ = Algorithm::brute;
      tree_ = KdTree<T>();
      store_first_copies();
    }
    if (metric_.kind == Minkowski::Kind::euclidean) build_spatial_order();
    index_copies(first);
  }

  Index n_samples() const { return n_samples_; }
  Index n_features() const { return n_features_; }
  Algorithm algorithm() const { return algorithm_; }
  double p() const { return metric_.p; }
  Index leaf_size() const { return leaf_size_; }
  const Minkowski& metric() const { return metric_; }

  // Copies the training rows back in their original order into out
  // (n_samples x n_features, row-major), for serialization.
  void training_data(T* out) const { std::copy_n(rows_, n_samples_ * n_features_, out); }

  // Finds the k nearest training rows of every query row. distances and
  // indices are caller-owned buffers of query.rows * k elements, row-major;
  // each row comes back sorted by distance, ties by training index. indices
  // may be nullptr when only the distances are needed.
  void query(const MatrixView<T>& queries, Index k, int n_threads, double* distances, Index* indices) const {
    PYOD_FAST_REQUIRE(queries.cols == n_features_, "the query rows have ", queries.cols,
                      " features but the index was built on ", n_features_);
    PYOD_FAST_REQUIRE(k >= 1 && k <= n_samples_, "k must lie in [1, ", n_samples_, "] (the training rows), got ",
                      k);
    search(queries, /*query_ids=*/nullptr, /*exclude_self=*/false, k, n_threads, distances, indices);
  }

  // Finds the k nearest other training rows of every training row.
  void query_training(Index k, int n_threads, double* distances, Index* indices) const {
    PYOD_FAST_REQUIRE(k >= 1 && k < n_samples_, "k must lie in [1, ", n_samples_ - 1,
                      "] to find neighbours of the training rows among the other ", n_samples_ - 1,
                      " rows, got ", k);
    if (copies_.empty()) {
      search(MatrixView<T>(rows_, n_samples_, n_features_), /*query_ids=*/nullptr, /*exclude_self=*/true, k,
             n_threads, distances, indices);
      return;
    }
    // With identical rows, each stored row is searched once, as a query of
    // k + 1 neighbours that may include itself. Every copy q then takes that
    // list without q: the k best pairs among the other rows.
    const Index d = n_features_, wider = k + 1;
    std::vector<T> stored(static_cast<size_t>(n_stored_ * d));
    for (Index s = 0; s < n_stored_; ++s) std::copy_n(stored_row(s), d, stored.data() + s * d);
    std::vector<double> stored_distances(static_cast<size_t>(n_stored_ * wider));
    std::vector<Index> stored_indices(static_cast<size_t>(n_stored_ * wider));
    search(MatrixView<T>(stored.data(), n_stored_, d), /*query_ids=*/nullptr, /*exclude_self=*/false, wider,
           n_threads, stored_distances.data(), stored_indices.data());
    for (Index s = 0; s < n_stored_; ++s) {
      for (Index c = copy_start_[s]; c < copy_start_[s + 1]; ++c) {
        const Index q = copies_[c];
        Index written = 0;
        for (Index j = 0; j < wider && written < k; ++j) {
          const Index neighbour = stored_indices[s * wider + j];
          if (neighbour == q) continue;
          distances[q * k + written] = stored_distances[s * wider + j];
          if (indices != nullptr) indices[q * k + written] = neighbour;
          ++written;
        }
      }
    }
  }

 private:
  static constexpr Index kQueryBlock = 96;    // query rows per task (a multiple of kTileRows)
  static constexpr Index kLocalBlocks = 4;    // reach of phase 1 of search_training_screened

  // Training row at position r of the search order (tree or spatial order).
  const T* stored_row(Index r) const { return rows_ + order_[r] * n_features_; }

  // Number of training rows equal to the stored row at position r.
  Index copy_count(Index r) const { return copies_.empty() ? 1 : copy_start_[r + 1] - copy_start_[r]; }

  // Offers the training rows equal to the stored row at position r, all at
  // reduced distance `reduced`, to best. They come in index order, so the
  // first one refused ends the offer.
  void offer(detail::TopK& best, double reduced, Index r) const {
    if (copies_.empty()) {
      best.push(reduced, order_[r]);
      return;
    }
    for (Index c = copy_start_[r]; c < copy_start_[r + 1]; ++c) {
      if (!best.push(reduced, copies_[c])) return;
    }
  }

  // Lists the copies of every stored row, by position, from first_copies.
  void index_copies(const std::vector<Index>& first) {
    if (n_stored_ == n_samples_) return;
    std::vector<Index> position_of(static_cast<size_t>(n_samples_), 0);
    for (Index r = 0; r < n_stored_; ++r) position_of[order_[r]] = r;
    copy_start_.assign(static_cast<size_t>(n_stored_ + 1), 0);
    for (Index i = 0; i < n_samples_; ++i) ++copy_start_[position_of[first[i]] + 1];
    for (Index r = 0; r < n_stored_; ++r) copy_start_[r + 1] += copy_start_[r];
    copies_.resize(static_cast<size_t>(n_samples_));
    std::vector<Index> next(copy_start_.begin(), copy_start_.end() - 1);
    for (Index i = 0; i < n_samples_; ++i) copies_[next[position_of[first[i]]]++] = i;
  }

  // Row `row` of an n x k index buffer, or nullptr without one.
  static Index* index_row(Index* indices, Index row, Index k) { return indices == nullptr ? nullptr : indices + row * k; }

  // Output row (and, for training queries, original index) of query row i.
  static Index query_id(const Index* query_ids, Index i) { return query_ids == nullptr ? i : query_ids[i]; }

  // Orders the rows spatially for the screened Euclidean search.
  void build_spatial_order() {
    spatial_ = detail::SpatialOrder(rows_, std::move(order_), n_features_, detail::kTileLanes);
    order_ = spatial_.take_order();
  }

  // Searches for every query row; query_ids (nullptr for 0, 1, ...) gives
  // each row's output row and, with exclude_self, the training row to skip.
  void search(const MatrixView<T>& queries, const Index* query_ids, bool exclude_self, Index k, int n_threads,
              double* distances, Index* indices) const {
    if (algorithm_ == Algorithm::kd_tree) {
      search_tree(queries, query_ids, exclude_self, k, n_threads, distances, indices);
    } else if (metric_.kind == Minkowski::Kind::euclidean) {
      search_brute_euclidean(queries, query_ids, exclude_self, k, n_threads, distances, indices);
    } else {
      search_brute_direct(queries, query_ids, exclude_self, k, n_threads, distances, indices);
    }
    const Index total = queries.rows * k;
    for (Index i = 0; i < total; ++i) distances[i] = metric_.to_distance(distances[i]);
  }

  // --- brute force, any Minkowski metric -------------------------------------
  void search_brute_direct(const MatrixView<T>& queries, const Index* query_ids, bool exclude_self, Index k,
                           int n_threads, double* distances, Index* indices) const {
    const Index n_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
    core::parallel_for(n_blocks, n_threads, [&](Index block) {
      const Index q_end = std::min(queries.rows, (block + 1) * kQueryBlock);
      for (Index i = block * kQueryBlock; i < q_end; ++i) {
        const Index q = query_id(query_ids, i);
        detail::TopK best(distances + q * k, index_row(indices, q, k), k);
        const T* row = queries.row(i);
        for (Index r = 0; r < n_stored_; ++r) {
          if (exclude_self && order_[r] == q) continue;
          offer(best, metric_.reduced(row, stored_row(r), n_features_), r);
        }
      }
    });
  }

  // --- brute force, Euclidean, screened in float32 ------------------------------
  void search_brute_euclidean(const MatrixView<T>& queries, const Index* query_ids, bool exclude_self, Index k,
                              int n_threads, double* distances, Index* indices) const {
    const Index d = n_features_;
    // The rounding error of the screen grows with |q - c|^2 + |t - c|^2, so
    // the centre c must sit among the bulk of the rows: the coordinate-wise
    // median of up to 1,025 evenly spaced stored rows, which a few far-away
    // rows cannot drag (a mean can: one row at 1e7 among 20,000 made the
    // search 20 times slower). Any centre gives exact results.
    const Index n_sample = std::min<Index>(n_stored_, 1025);
    std::vector<double> centre(static_cast<size_t>(d), 0.0), column;
    column.reserve(static_cast<size_t>(n_sample));
    for (Index j = 0; j < d; ++j) {
      column.clear();
      for (Index i = 0; i < n_sample; ++i) {
        const double value = static_cast<double>(stored_row(i * n_stored_ / n_sample)[j]);
        if (!std::isnan(value)) column.push_back(value);
      }
      if (column.empty()) continue;
      const auto middle = column.begin() + static_cast<std::ptrdiff_t>(column.size() / 2);
      std::nth_element(column.begin(), middle, column.end());
      centre[j] = *middle;
    }

    // Scale so that every centred coordinate, of training and query rows
    // alike, lies in [-1, 1]. A NaN coordinate makes `largest` infinite, which
    // sends the search to the direct path.
    double largest = 0.0;
    auto include_row = [&](const T* row) {
      for (Index j = 0; j < d; ++j) {
        const double gap = std::abs(static_cast<double>(row[j]) - centre[j]);
        largest = std::isnan(gap) ? std::numeric_limits<double>::infinity() : std::max(largest, gap);
      }
    };
    for (Index r = 0; r < n_stored_; ++r) include_row(stored_row(r));
    for (Index i = 0; i < queries.rows; ++i) include_row(queries.row(i));
    if (!detail::EuclideanScreen::is_useful(d) || !detail::EuclideanScreen::is_safe_scale(largest)) {
      search_brute_direct(queries, query_ids, exclude_self, k, n_threads, distances, indices);
      return;
    }
    const int exponent = largest > 0.0 ? std::ilogb(largest) + 1 : 0;
    const detail::EuclideanScreen screen(rows_, order_.data(), n_stored_, d, centre, exponent,
                                         std::ilogb(metric_.scale));

    if (exclude_self) {
      search_training_screened(screen, centre, k, n_threads, distances, indices);
      return;
    }

    // Queries are processed sorted by their home position in the training
    // order, so each block holds nearby queries and starts scanning at the
    // panels around them.
    std::vector<Index> query_home(static_cast<size_t>(queries.rows));
    for (Index i = 0; i < queries.rows; ++i) query_home[i] = spatial_.home(queries.row(i));
    std::vector<Index> sorted_queries(static_cast<size_t>(queries.rows));
    std::iota(sorted_queries.begin(), sorted_queries.end(), Index{0});
    std::sort(sorted_queries.begin(), sorted_queries.end(), [&](Index a, Index b) {
      return query_home[a] < query_home[b] || (query_home[a] == query_home[b] && a < b);
    });
    const Index n_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
    core::parallel_for(n_blocks, n_threads, [&](Index block) {
      const Index begin = block * kQueryBlock;
      const Index count = std::min(queries.rows, begin + kQueryBlock) - begin;
      const Index first_panel = query_home[sorted_queries[begin + count / 2]] / detail::kTileLanes;
      screen_block(screen, centre, queries, sorted_queries.data() + begin, count, query_ids, /*exclude_self=*/false, k,
                   first_panel, 0, screen.n_panels(), distances, indices, /*final_thresholds=*/nullptr);
    });
  }

  // Screens count query rows (block_rows: their indices in `queries`) against
  // the training panels [panel_begin, panel_end), visited cyclically from
  // first_panel, and leaves in each row's output row its k nearest training
  // rows among those panels, as exact reduced distances. With exclude_self
  // the query rows are training rows and never their own neighbour. When
  // final_thresholds is given, each row's last screening threshold is stored
  // there.
  void screen_block(const detail::EuclideanScreen& screen, const std::vector<double>& centre,
                    const MatrixView<T>& queries, const Index* block_rows, Index count, const Index* query_ids,
                    bool exclude_self, Index k, Index first_panel, Index panel_begin, Index panel_end,
                    double* distances, Index* indices, float* final_thresholds) const {
    const Index d = n_features_;
    const Index n_tile_rows = (count + detail::kTileRows - 1) / detail::kTileRows;
    const Index padded = n_tile_rows * detail::kTileRows;
    const Index width = screen.width();
    const Index n_window = panel_end - panel_begin;

    // Training panels per pass over the block: about 256 KiB, so a pass
    // stays in the L2 cache while every tile row of the block reuses it.
    const Index panel_bytes = width * detail::kTileLanes * static_cast<Index>(sizeof(float));
    const Index panels_per_pass = std::max<Index>(1, (Index{256} << 10) / panel_bytes);

    // Padding rows have all-zero coefficients and threshold -inf: they never
    // pass the screen.
    std::vector<float> query_rows(static_cast<size_t>(padded * width), 0.0f);
    std::vector<double> query_norms(static_cast<size_t>(padded), 0.0);
    std::vector<float> thresholds(static_cast<size_t>(padded), -std::numeric_limits<float>::infinity());
    std::vector<detail::TopK> best;
    best.reserve(static_cast<size_t>(count));
    std::vector<detail::ScreenedCandidates> candidates(static_cast<size_t>(count));
    std::vector<Index> output_rows(static_cast<size_t>(count));
    for (Index i = 0; i < count; ++i) {
      output_rows[i] = query_id(query_ids, block_rows[i]);
      query_norms[i] = screen.prepare_query(queries.row(block_rows[i]), centre, query_rows.data() + i * width);
      best.emplace_back(distances + output_rows[i] * k, index_row(indices, output_rows[i], k), k);
      thresholds[i] = std::numeric_limits<float>::infinity();
    }

    // Computes the exact distance of every recorded candidate of block row
    // i that still passes its threshold, then tightens the threshold with
    // the exact k-th distance. Called when the candidate list grows long
    // (many near-duplicates) and at the end of the scan.
    // NOTE: the screen's rounding slack grows with |q - c|^2 + |t - c|^2.
    // Where neighbours are much closer to each other than to the centre c
    // (two clusters far apart, or near-identical rows next to far ones),
    // most rows pass and each costs an exact distance. Two clusters of
    // 10,000 rows in 20 features, 2e4 apart, took 0.66 s, against 0.07 s
    // without the offset. Identical rows are stored once and cost nothing.
    const Index flush_size = std::max<Index>(256, 8 * k);
    auto confirm = [&](Index i) {
      const T* row = queries.row(block_rows[i]);
      candidates[i].drain(thresholds[i], [&](Index position) {
        offer(best[i], metric_.reduced(row, stored_row(position), d), position);
      });
      thresholds[i] = std::min(thresholds[i], screen.screening_threshold(best[i].bound(), query_norms[i]));
    };

    float scores[detail::kTileRows][detail::kTileLanes];
    std::uint32_t lane_masks[detail::kTileRows];
    for (Index pass_begin = 0; pass_begin < n_window; pass_begin += panels_per_pass) {
      const Index pass_end = std::min(n_window, pass_begin + panels_per_pass);
      for (Index tile_row = 0; tile_row < n_tile_rows; ++tile_row) {
        const Index first = tile_row * detail::kTileRows;
        for (Index step = pass_begin; step < pass_end; ++step) {
          const Index p = panel_begin + (first_panel - panel_begin + step) % n_window;
          if (!detail::screen_tile(query_rows.data() + first * width, screen.panel(p), width,
                                   thresholds.data() + first, scores, lane_masks)) {
            continue;
          }
          for (Index r = 0; r < detail::kTileRows; ++r) {
            std::uint32_t mask = lane_masks[r];
            if (mask == 0) continue;
            const Index i = first + r;
            // Record the passing lanes, then tighten the threshold once for the row.
            do {
              const int lane = detail::lowest_set_bit(mask);
              mask &= mask - 1;
              const Index position = p * detail::kTileLanes + lane;
              if (position >= n_stored_ || (exclude_self && order_[position] == output_rows[i])) continue;
              const float score = scores[r][lane];
              candidates[i].add(score, position, screen.upper_bound(score, query_norms[i], position), k,
                                copy_count(position));
            } while (mask != 0);
            thresholds[i] =
                std::min(thresholds[i], screen.scaled_threshold(candidates[i].kth_upper(k), query_norms[i]));
            if (candidates[i].size() >= flush_size) confirm(i);
          }
        }
      }
    }
    for (Index i = 0; i < count; ++i) {
      confirm(i);
      if (final_thresholds != nullptr) final_thresholds[i] = thresholds[i];
    }
  }

  // The k nearest other training rows of every training row, screened.
  //
  // Phase 1 runs screen_block for each block of kQueryBlock stored rows
  // against the blocks within kLocalBlocks of it in the spatial order. Rows
  // near in that order are near in space, so every row starts phase 2 with a
  // small k-th distance. Phase 2 visits every remaining pair of blocks once,
  // in order of their distance in the spatial order. It screens both
  // directions with one dot product per pair of rows (screen_pair_tile), and
  // the few rows that pass get their exact distance at once. A task holds the locks of both blocks of a pair while it screens
  // them, so no two threads ever touch the same row at the same time.
  void search_training_screened(const detail::EuclideanScreen& screen, const std::vector<double>& centre, Index k,
                                int n_threads, double* distances, Index* indices) const {
    static_assert(kQueryBlock % detail::kTileLanes == 0, "a block is made of whole panels");
    constexpr Index panels_per_block = kQueryBlock / detail::kTileLanes;
    const Index n_blocks = (n_stored_ + kQueryBlock - 1) / kQueryBlock;
    const Index n_panels = screen.n_panels();
    // The local window must hold k other rows even at either end.
    const Index reach = std::max<Index>(kLocalBlocks, (k + kQueryBlock) / kQueryBlock);

    std::vector<float> thresholds(static_cast<size_t>(n_panels * detail::kTileLanes),
                                  -std::numeric_limits<float>::infinity());
    const MatrixView<T> training(rows_, n_samples_, n_features_);
    core::parallel_for(n_blocks, n_threads, [&](Index block) {
      const Index begin = block * kQueryBlock;
      const Index count = std::min(n_stored_, begin + kQueryBlock) - begin;
      const Index panel_begin = std::max<Index>(0, block - reach) * panels_per_block;
      const Index panel_end = std::min(n_panels, (block + reach + 1) * panels_per_block);
      screen_block(screen, centre, training, order_.data() + begin, count, /*query_ids=*/nullptr,
                   /*exclude_self=*/true, k, (begin + count / 2) / detail::kTileLanes, panel_begin, panel_end,
                   distances, indices, thresholds.data() + begin);
    });

    // Phase 2: pairs (b, b + offset) ordered by offset, then by b. A task
    // locks both blocks of each of its pairs (lower block first), so tasks
    // that share a block never overlap. One parallel loop with locks, rather
    // than rounds of disjoint pairs with a barrier after each, keeps all
    // threads busy when other processes compete for the cores.
    if (n_blocks <= reach + 1) return;
    std::vector<Index> pairs_before(static_cast<size_t>(n_blocks + 1), 0);  // by offset
    for (Index offset = reach + 1; offset < n_blocks; ++offset) {
      pairs_before[offset + 1] = pairs_before[offset] + (n_blocks - offset);
    }
    const Index n_pairs = pairs_before[n_blocks];
    std::vector<std::mutex> block_locks(static_cast<size_t>(n_blocks));
    constexpr Index pairs_per_task = 16;
    core::parallel_for((n_pairs + pairs_per_task - 1) / pairs_per_task, n_threads, [&](Index task) {
      const Index first = task * pairs_per_task, last = std::min(n_pairs, first + pairs_per_task);
      Index offset = static_cast<Index>(std::upper_bound(pairs_before.begin() + reach + 1, pairs_before.end(), first) -
                                        pairs_before.begin()) - 1;
      Index block = first - pairs_before[offset];
      for (Index pair = first; pair < last; ++pair) {
        if (block + offset >= n_blocks) {
          ++offset;
          block = 0;
        }
        std::lock_guard<std::mutex> lower(block_locks[block]);
        std::lock_guard<std::mutex> upper(block_locks[block + offset]);
        screen_block_pair(screen, block, block + offset, k, thresholds.data(), distances, indices);
        ++block;
      }
    });
  }

  // Phase 2 of search_training_screened for the blocks a < b.
  void screen_block_pair(const detail::EuclideanScreen& screen, Index a, Index b, Index k, float* thresholds,
                         double* distances, Index* indices) const {
    constexpr Index panels_per_block = kQueryBlock / detail::kTileLanes;
    const Index d = n_features_;
    const Index n_panels = screen.n_panels();
    // Adds training row `candidate` to the neighbours of `query` (both
    // positions in the stored order) if it is among the k nearest so far.
    auto offer = [&](Index query, Index candidate) {
      const Index q = order_[query], c = order_[candidate];
      detail::TopK best(distances + q * k, index_row(indices, q, k), k, k);
      best.push(metric_.reduced(rows_ + q * d, rows_ + c * d, d), c);
      thresholds[query] = std::min(thresholds[query], screen.stored_row_threshold(best.bound(), query));
    };
    std::uint32_t forward[detail::kPairRows], reverse[detail::kPairRows];
    const Index a_end = std::min(n_panels, (a + 1) * panels_per_block);
    const Index b_end = std::min(n_panels, (b + 1) * panels_per_block);
    for (Index pa = a * panels_per_block; pa < a_end; ++pa) {
      for (Index first_row = 0; first_row < detail::kTileLanes; first_row += detail::kPairRows) {
        const Index row_base = pa * detail::kTileLanes + first_row;
        if (row_base >= n_stored_) break;
        for (Index pb = b * panels_per_block; pb < b_end; ++pb) {
          if (!detail::screen_pair_tile(screen.panel(pa), first_row, screen.panel(pb), d, thresholds + row_base,
                                        thresholds + pb * detail::kTileLanes, forward, reverse)) {
            continue;
          }
          for (Index r = 0; r < detail::kPairRows; ++r) {
            for (std::uint32_t mask = forward[r]; mask != 0; mask &= mask - 1) {
              offer(row_base + r, pb * detail::kTileLanes + detail::lowest_set_bit(mask));
            }
            for (std::uint32_t mask = reverse[r]; mask != 0; mask &= mask - 1) {
              offer(pb * detail::kTileLanes + detail::lowest_set_bit(mask), row_base + r);
            }
          }
        }
      }
    }
  }

  // --- kd-tree -------------------------------------------------------------------
  void build_tree(const MatrixView<T>& train) {
    const Index d = n_features_;
    tree_.n_features = d;
    tree_.leaf_size = leaf_size_;

    // Depth so that leaves hold at most leaf_size rows; the tree is complete,
    // so node i has children 2i+1 and 2i+2.
    Index n_levels = 1;
    while (((n_stored_ + (Index{1} << (n_levels - 1)) - 1) >> (n_levels - 1)) > leaf_size_) ++n_levels;
    const Index n_nodes = (Index{1} << n_levels) - 1;
    tree_.start.assign(n_nodes, 0);
    tree_.end.assign(n_nodes, 0);
    tree_.is_leaf.assign(n_nodes, 0);
    tree_.lower.assign(static_cast<size_t>(n_nodes * d), 0.0);
    tree_.upper.assign(static_cast<size_t>(n_nodes * d), 0.0);

    tree_.start[0] = 0;
    tree_.end[0] = n_stored_;
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
  }

  double min_reduced_to_box(const T* row, Index node) const {
    const Index d = n_features_;
    const double* lo = tree_.lower.data() + node * d;
    const double* hi = tree_.upper.data() + node * d;
    // At most one of the two one-sided gaps is positive. A zero gap adds
    // exactly nothing, so the branch-free sum equals the branchy one.
    double total = 0.0;
    if (metric_.kind == Minkowski::Kind::euclidean) {
      for (Index j = 0; j < d; ++j) {
        const double v = static_cast<double>(row[j]);
        const double gap = (std::max(lo[j] - v, 0.0) + std::max(v - hi[j], 0.0)) * metric_.scale;
        total += gap * gap;
      }
      return total;
    }
    for (Index j = 0; j < d; ++j) {
      const double v = static_cast<double>(row[j]);
      const double gap = v < lo[j] ? lo[j] - v : (v > hi[j] ? v - hi[j] : 0.0);
      if (gap > 0.0) total = metric_.combine(total, metric_.reduced_term(gap));
    }
    return total;
  }

  void search_tree(const MatrixView<T>& queries, const Index* query_ids, bool exclude_self, Index k, int n_threads,
                   double* distances, Index* indices) const {
    const Index n_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
    core::parallel_for(n_blocks, n_threads, [&](Index block) {
      std::vector<std::pair<double, Index>> stack;
      const Index q_end = std::min(queries.rows, (block + 1) * kQueryBlock);
      for (Index i = block * kQueryBlock; i < q_end; ++i) {
        const Index q = query_id(query_ids, i);
        detail::TopK best(distances + q * k, index_row(indices, q, k), k);
        search_tree_row(queries.row(i), exclude_self ? q : -1, best, stack);
      }
    });
  }

  // Searches the tree for one query row, skipping the training row with
  // original index `self` (-1 for none); returns the number of training rows
  // whose distance it computed.
  Index search_tree_row(const T* row, Index self, detail::TopK& best,
                        std::vector<std::pair<double, Index>>& stack) const {
    Index n_visited = 0;
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
          if (order_[r] == self) continue;
          offer(best, metric_.reduced(row, stored_row(r), n_features_), r);
        }
        n_visited += tree_.end[node] - tree_.start[node];
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
    return n_visited;
  }

  // Mean share of the training rows that a tree search for the 10 nearest
  // neighbours of a training row visits, over up to 64 evenly spaced rows.
  double probe_tree_visits() const {
    const Index n_probes = std::min<Index>(64, n_stored_);
    const Index k = std::min<Index>(10, std::max<Index>(1, n_stored_ - 1));
    std::vector<double> distances(static_cast<size_t>(k));
    std::vector<Index> indices(static_cast<size_t>(k));
    std::vector<std::pair<double, Index>> stack;
    double visited = 0.0;
    for (Index i = 0; i < n_probes; ++i) {
      const Index stored = i * n_stored_ / n_probes;
      detail::TopK best(distances.data(), indices.data(), k);
      visited += static_cast<double>(search_tree_row(stored_row(stored), order_[stored], best, stack));
    }
    return visited / static_cast<double>(n_probes * n_stored_);
  }


  Minkowski metric_;
  Index n_samples_;
  Index n_stored_ = 0;         // distinct rows: every row when none repeats
  Index n_features_;
  Index leaf_size_;
  Algorithm algorithm_ = Algorithm::brute;
  std::vector<T> owned_;       // copy of the training rows, when the index owns them
  const T* rows_ = nullptr;    // training rows in their original order (owned_ or the caller's)
  std::vector<Index> order_;   // order_[r] is the original index of stored row r (its first copy)
  std::vector<Index> copy_start_;  // with repeated rows: copies of stored row r are
  std::vector<Index> copies_;      // copies_[copy_start_[r] .. copy_start_[r + 1]), ascending; else empty
  KdTree<T> tree_;
  detail::SpatialOrder spatial_;  // brute force with the Euclidean metric only
};

// Rule that turns the k neighbour distances of a row into its kNN outlier score.
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
