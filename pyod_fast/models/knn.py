"""k-nearest-neighbour outlier detector.

Scores a sample by its distance to its k-th nearest training sample
(Ramaswamy, Rastogi and Shim, "Efficient Algorithms for Mining Outliers from
Large Data Sets", SIGMOD 2000), or by the mean or median distance to its k
nearest training samples (Angiulli and Pizzuti, "Fast Outlier Detection in
High Dimensional Spaces", PKDD 2002).

Path: ``KNN.fit`` -> ``NeighborSearch`` (models/_neighbors.py) ->
``_core.KnnIndex`` (src/bind_knn.cpp) -> ``pyod_fast::knn::KnnIndex``
(cpp/include/pyod_fast/knn.hpp).
"""

import numpy as np

from .. import _core
from ..utils.validation import check_n_jobs, check_positive_int
from ._neighbors import NeighborSearch
from .base import BaseDetector

__all__ = ["KNN"]

_METHODS = ("largest", "mean", "median")


class KNN(BaseDetector):
    """kNN outlier detector: distance to the k nearest training samples.

    Parameters
    ----------
    contamination : float in (0, 0.5], default=0.1
        Expected proportion of outliers; sets ``threshold_``.
    n_neighbors : int, default=5
        Number of neighbours k. Must be smaller than the number of training
        samples, because a training sample is never its own neighbour.
    method : {'largest', 'mean', 'median'}, default='largest'
        Score of a sample: the distance to its k-th neighbour, or the mean or
        median of the distances to its k neighbours.
    radius : float, default=1.0
        Kept for compatibility with PyOD; not used for scoring.
    algorithm : {'auto', 'ball_tree', 'kd_tree', 'brute'}, default='auto'
        Neighbour search. 'auto' picks the kd-tree up to 15 features and
        brute force above; 'ball_tree' runs the kd-tree. The search is exact,
        so the choice changes only the speed.
    leaf_size : int, default=30
        Maximum number of samples in a kd-tree leaf.
    metric : str or callable, default='minkowski'
        Distance metric. The Minkowski family ('minkowski', 'euclidean',
        'manhattan', 'chebyshev' and their aliases) runs in the compiled
        kernel; any other scikit-learn metric runs through
        ``sklearn.neighbors.NearestNeighbors``. With 'precomputed', as in
        PyOD, ``fit`` takes the square matrix of distances between the
        training samples and ``decision_function`` the (n_queries, n_train)
        distances to them; a non-square or negative matrix raises ValueError.
    p : float, default=2
        Exponent of the Minkowski metric: 1 is manhattan, 2 is euclidean.
    metric_params : dict, default=None
        Extra keyword arguments of the metric, such as ``{'V': X.var(axis=0)}``
        for 'seuclidean', which cannot run without them.
    n_jobs : int, default=1
        Threads of the neighbour search; -1 uses all cores. Scores do not
        depend on it.

    Attributes
    ----------
    decision_scores_ : ndarray of shape (n_samples,)
        Outlier scores of the training data, each computed without the sample
        itself among its neighbours.
    threshold_ : float
        See :class:`~pyod_fast.models.base.BaseDetector`.
    labels_ : ndarray of shape (n_samples,)
        Binary labels of the training data (1 = outlier).
    n_neighbors_ : int
        Number of neighbours used in ``fit``; ``decision_function`` uses the
        same number, so changing ``n_neighbors`` takes effect at the next fit.
    n_features_in_ : int
        Number of features seen in ``fit``.
    """

    def __init__(
        self,
        contamination=0.1,
        n_neighbors=5,
        method="largest",
        radius=1.0,
        algorithm="auto",
        leaf_size=30,
        metric="minkowski",
        p=2,
        metric_params=None,
        n_jobs=1,
    ):
        super().__init__(contamination=contamination)
        self.n_neighbors = n_neighbors
        self.method = method
        self.radius = radius
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.metric = metric
        self.p = p
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    def fit(self, X, y=None):
        """Fit the detector on ``X`` and score the training samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Present for API consistency.

        Returns
        -------
        self : KNN
            The fitted detector.
        """
        X = self._validate_fit_input(X, y)
        if self.method not in _METHODS:
            raise ValueError(f"method must be one of {list(_METHODS)}, got {self.method!r}")
        n_neighbors = check_positive_int(self.n_neighbors, "n_neighbors")
        n_samples = X.shape[0]
        if n_neighbors >= n_samples:
            raise ValueError(
                f"n_neighbors={n_neighbors} must be smaller than the number of training samples ({n_samples}), "
                f"because a training sample is not its own neighbour: use n_neighbors <= {max(1, n_samples - 1)}"
                + ("" if n_samples > 1 else " with at least 2 training samples")
            )
        threads = check_n_jobs(self.n_jobs)
        self.n_neighbors_ = n_neighbors

        self.neighbors_ = NeighborSearch(
            self.algorithm, self.leaf_size, self.metric, self.p, self.metric_params, threads
        ).fit(X)
        distances, _ = self.neighbors_.query_training(n_neighbors, threads, return_indices=False)
        self.decision_scores_ = _core.knn_scores(distances, self.method)
        self._process_decision_scores()
        return self

    def decision_function(self, X):
        """Return the kNN scores of ``X`` against the training samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Higher means more abnormal.
        """
        X = self._validate_predict_input(X, dtype=self.neighbors_.dtype_ if hasattr(self, "neighbors_") else None)
        distances, _ = self.neighbors_.query(X, self.n_neighbors_, check_n_jobs(self.n_jobs), return_indices=False)
        return _core.knn_scores(distances, self.method)
