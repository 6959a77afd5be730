// Local Outlier Factor (Breunig, Kriegel, Ng and Sander, "LOF: Identifying
// Density-Based Local Outliers", SIGMOD 2000) from precomputed neighbours.
//
// For a training row o with neighbours N_k(o) (found by knn::KnnIndex):
//   k-distance(o)           distance to its k-th neighbour
//   reach-dist(p, o)        max(k-distance(o), d(p, o))
//   lrd(p)                  1 / (mean over o in N_k(p) of reach-dist(p, o) + 1e-10)
//   LOF(p)                  mean over o in N_k(p) of lrd(o) / lrd(p)
// The 1e-10 keeps lrd finite when more than k rows coincide (every
// reachability distance is then 0); scikit-learn's LocalOutlierFactor adds
// the same constant, so scores agree with it and with PyOD.
#pragma once

#include "pyod_fast/core/errors.hpp"
#include "pyod_fast/core/matrix.hpp"

namespace pyod_fast::lof {

inline constexpr double kDensityEpsilon = 1e-10;

// Local reachability densities of n_rows rows from their neighbour distances
// and indices (n_rows x k, row-major) and the k-distance of every training
// row (k_distance has one entry per training row). Writes n_rows values.
inline void reachability_density(const double* distances, const Index* indices, Index n_rows, Index k,
                                 const double* k_distance, Index n_train, double* density) {
  for (Index i = 0; i < n_rows; ++i) {
    double sum = 0.0;
    for (Index j = 0; j < k; ++j) {
      const Index neighbour = indices[i * k + j];
      PYOD_FAST_REQUIRE(neighbour >= 0 && neighbour < n_train, "neighbour index ", neighbour,
                        " is outside the training set of ", n_train, " rows");
      const double reach = distances[i * k + j] > k_distance[neighbour] ? distances[i * k + j] : k_distance[neighbour];
      sum += reach;
    }
    density[i] = 1.0 / (sum / static_cast<double>(k) + kDensityEpsilon);
  }
}

// LOF scores of n_rows rows with densities row_density, given the densities
// of all training rows. Higher means more outlying; about 1 for inliers.
inline void outlier_factor(const Index* indices, Index n_rows, Index k, const double* row_density,
                           const double* train_density, double* scores) {
  for (Index i = 0; i < n_rows; ++i) {
    double sum = 0.0;
    for (Index j = 0; j < k; ++j) sum += train_density[indices[i * k + j]] / row_density[i];
    scores[i] = sum / static_cast<double>(k);
  }
}

}  // namespace pyod_fast::lof
