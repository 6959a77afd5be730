"""Exact k-nearest-neighbour search shared by the neighbour-based detectors.

:class:`NeighborSearch` maps scikit-learn's neighbour parameters (algorithm,
leaf_size, metric, p, metric_params) onto the compiled index
``pyod_fast._core.KnnIndex`` for the Minkowski family (euclidean, manhattan,
chebyshev, minkowski with any p >= 1). Any other metric, or metric_params
that the compiled index does not take (such as weights ``w``), falls back to
scikit-learn's ``NearestNeighbors``: slower, with the same results.

metric='precomputed' is supported as in PyOD (checked with 3.6.7), whose KNN
and LOF pass it to scikit-learn. ``fit`` then takes the square matrix of
distances between training rows, and ``decision_function`` the
(n_queries, n_train) matrix of distances from each query to those rows.
"""

import contextlib
import numbers

import numpy as np

from .. import _core

_METRIC_EXPONENTS = {
    "euclidean": 2.0,
    "l2": 2.0,
    "manhattan": 1.0,
    "cityblock": 1.0,
    "l1": 1.0,
    "chebyshev": np.inf,
    "infinity": np.inf,
}
_ALGORITHMS = ("auto", "ball_tree", "kd_tree", "brute")

# Metrics of scipy and scikit-learn that cannot run without metric_params,
# with the parameters they need and an example value.
_REQUIRED_METRIC_PARAMS = {
    "seuclidean": (("V",), "metric_params={'V': X.var(axis=0)}, the variance of each feature"),
    "mahalanobis": (
        ("V", "VI"),
        "metric_params={'VI': np.linalg.inv(np.cov(X, rowvar=False))}, the inverse covariance matrix",
    ),
}


def _minkowski_exponent(metric, p, metric_params):
    """Return p when the compiled index can serve the metric, else None."""
    params = dict(metric_params or {})
    if isinstance(metric, str) and metric in _METRIC_EXPONENTS and not params:
        return _METRIC_EXPONENTS[metric]
    if metric == "minkowski":
        if set(params) - {"p"}:
            return None
        exponent = params.get("p", p)
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real) or not exponent >= 1:
            raise ValueError(
                f"p must be a number >= 1 for the minkowski metric, got {exponent!r}: "
                "p = 1 is the manhattan distance and p = 2 the euclidean distance"
            )
        return float(exponent)
    return None


def _check_distances(D, name):
    """Raise a ValueError when a precomputed distance matrix has a negative entry."""
    negative = np.argwhere(D < 0)
    if len(negative):
        row, col = negative[0]
        raise ValueError(
            f"metric='precomputed' expects {name} to contain distances, which are >= 0, but {name}[{row}, {col}] "
            f"is {D[row, col]}: pass distances, or feature rows with a metric such as 'euclidean'"
        )


class NeighborSearch:
    """Exact k-nearest neighbours of new rows or of the training rows.

    Parameters mirror ``sklearn.neighbors.NearestNeighbors``. 'ball_tree' is
    served by the compiled kd-tree: the search is exact, so the neighbours are
    the same.
    """

    def __init__(self, algorithm="auto", leaf_size=30, metric="minkowski", p=2, metric_params=None, n_jobs=1):
        if algorithm not in _ALGORITHMS:
            raise ValueError(f"algorithm must be one of {list(_ALGORITHMS)}, got {algorithm!r}")
        if isinstance(leaf_size, bool) or not isinstance(leaf_size, numbers.Integral) or leaf_size < 1:
            raise ValueError(f"leaf_size must be a positive integer, got {leaf_size!r}")
        self.algorithm = algorithm
        self.leaf_size = int(leaf_size)
        self.metric = metric
        self.p = p
        self.metric_params = metric_params
        self.n_jobs = n_jobs
        self.exponent_ = _minkowski_exponent(metric, p, metric_params)

    def fit(self, X):
        """Index the training rows X (float32 or float64, validated).

        With metric='precomputed', X is the square matrix of distances between
        the training rows.
        """
        if self.exponent_ is not None:
            kernel_algorithm = {"ball_tree": "kd_tree"}.get(self.algorithm, self.algorithm)
            self.index_ = _core.KnnIndex(X, p=self.exponent_, algorithm=kernel_algorithm, leaf_size=self.leaf_size)
        else:
            from sklearn.neighbors import NearestNeighbors

            self._check_fallback_metric(X)
            with self._explain_metric_params_errors():
                self.index_ = NearestNeighbors(
                    algorithm=self.algorithm,
                    leaf_size=self.leaf_size,
                    metric=self.metric,
                    p=self.p,
                    metric_params=self.metric_params,
                    n_jobs=self.n_jobs,
                ).fit(X)
        self.dtype_ = X.dtype
        self.n_samples_ = X.shape[0]
        return self

    def _check_fallback_metric(self, X):
        """Raise a ValueError naming the metric for inputs scikit-learn would reject cryptically."""
        metric = self.metric
        if isinstance(metric, str) and metric == "precomputed":
            if X.shape[0] != X.shape[1]:
                raise ValueError(
                    f"metric='precomputed' expects X to be the square matrix of distances between the "
                    f"training samples, got shape {X.shape}: pass sklearn.metrics.pairwise_distances(X) "
                    "or use a metric such as 'euclidean' on the feature rows"
                )
            _check_distances(X, "X")
            return
        if isinstance(metric, str) and metric in _REQUIRED_METRIC_PARAMS:
            names, example = _REQUIRED_METRIC_PARAMS[metric]
            if not set(names) & set(self.metric_params or {}):
                raise ValueError(
                    f"metric={metric!r} needs metric_params with {' or '.join(repr(name) for name in names)}, "
                    f"got metric_params={self.metric_params!r}: pass for example {example}"
                )

    @contextlib.contextmanager
    def _explain_metric_params_errors(self):
        """Re-raise scikit-learn's errors for a bad metric or metric parameter with the parameter names."""
        try:
            yield
        except (SystemError, ValueError) as error:
            # scikit-learn's trees end with a SystemError, or a ValueError
            # about array shapes, when a callable metric returns a negative or
            # NaN distance.
            if isinstance(error, ValueError) and not callable(self.metric):
                raise
            raise ValueError(
                f"the search with metric={self.metric!r} failed in scikit-learn ({error}): a metric must "
                "return a non-negative, finite distance for every pair of rows"
            ) from error
        except TypeError as error:
            if not self.metric_params:
                raise
            raise TypeError(
                f"metric_params={self.metric_params!r} is invalid for metric={self.metric!r} ({error}): "
                "pass only the keyword arguments that this metric takes, as listed for "
                "sklearn.metrics.DistanceMetric and scipy.spatial.distance"
            ) from error

    def query(self, X, k, n_jobs, return_indices=True):
        """Return (distances, indices) of the k nearest training rows of each row of X.

        With ``return_indices=False`` the compiled index keeps distances only
        and indices is None. KNN scores need only the distances, and the
        search then allocates n x k fewer integers.
        """
        X = np.asarray(X, dtype=self.dtype_)
        if self.exponent_ is not None:
            return self.index_.query(X, k, n_jobs, return_indices)
        if isinstance(self.metric, str) and self.metric == "precomputed":
            _check_distances(X, "X")
        with self._explain_metric_params_errors():
            result = self.index_.kneighbors(X, n_neighbors=k)
        return self._sklearn_result(result, return_indices)

    def query_training(self, k, n_jobs, return_indices=True):
        """Like :meth:`query` for the training rows, none being its own neighbour."""
        if self.exponent_ is not None:
            return self.index_.query_training(k, n_jobs, return_indices)
        # The brute-force search builds the metric only now, so a bad
        # metric parameter can first fail here.
        with self._explain_metric_params_errors():
            result = self.index_.kneighbors(n_neighbors=k)
        return self._sklearn_result(result, return_indices)

    def _sklearn_result(self, result, return_indices):
        distances, indices = result
        distances = np.ascontiguousarray(distances, dtype=np.float64)
        # A callable metric can return anything; scores built on negative or
        # NaN distances would be silent garbage.
        bad = np.argwhere(~(distances >= 0))
        if len(bad):
            row, col = bad[0]
            raise ValueError(
                f"metric={self.metric!r} returned the distance {distances[row, col]} for row {row}: a metric "
                "must return a non-negative, finite distance for every pair of rows"
            )
        return distances, (np.ascontiguousarray(indices, dtype=np.int64) if return_indices else None)
