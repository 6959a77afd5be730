"""Local Outlier Factor.

Breunig, Kriegel, Ng and Sander, "LOF: Identifying Density-Based Local
Outliers" (SIGMOD 2000): a sample's score is the mean local reachability
density of its k nearest neighbours divided by its own, so about 1 inside a
cluster and larger for samples in sparser regions than their neighbours.
The numbers match scikit-learn's LocalOutlierFactor, which PyOD wraps.

Path: ``LOF.fit`` -> ``NeighborSearch`` (models/_neighbors.py) ->
``_core.KnnIndex`` (src/bind_knn.cpp), then ``_core.lof_training`` and
``_core.lof_scores`` (src/bind_lof.cpp) -> cpp/include/pyod_fast/lof.hpp.
"""

import warnings

from .. import _core
from ..utils.validation import check_n_jobs, check_positive_int
from ._neighbors import NeighborSearch
from .base import BaseDetector

__all__ = ["LOF"]


class LOF(BaseDetector):
    """Local Outlier Factor detector.

    Parameters
    ----------
    n_neighbors : int, default=20
        Number of neighbours k. A value of at least the number of training
        samples is lowered to ``n_samples - 1`` with a warning, as in
        scikit-learn.
    algorithm : {'auto', 'ball_tree', 'kd_tree', 'brute'}, default='auto'
        Neighbour search; see :class:`~pyod_fast.models.knn.KNN`.
    leaf_size : int, default=30
        Maximum number of samples in a kd-tree leaf.
    metric : str or callable, default='minkowski'
        Distance metric; the Minkowski family runs in the compiled kernel and
        other metrics through ``sklearn.neighbors.NearestNeighbors``. With
        'precomputed', as in PyOD, ``fit`` takes the square matrix of
        distances between the training samples and ``decision_function`` the
        (n_queries, n_train) distances to them.
    p : float, default=2
        Exponent of the Minkowski metric.
    metric_params : dict, default=None
        Extra keyword arguments of the metric, such as ``{'V': X.var(axis=0)}``
        for 'seuclidean', which cannot run without them.
    contamination : float in (0, 0.5], default=0.1
        Expected proportion of outliers; sets ``threshold_``.
    n_jobs : int, default=1
        Threads of the neighbour search; -1 uses all cores.
    novelty : bool, default=True
        Kept for compatibility with PyOD, whose default True lets
        ``decision_function`` score new data. Scoring new data always works
        here, whatever the value.

    Attributes
    ----------
    decision_scores_ : ndarray of shape (n_samples,)
        LOF of each training sample; higher means more abnormal.
    threshold_ : float
        See :class:`~pyod_fast.models.base.BaseDetector`.
    labels_ : ndarray of shape (n_samples,)
        Binary labels of the training data (1 = outlier).
    n_neighbors_ : int
        Number of neighbours actually used.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Notes
    -----
    When more than ``n_neighbors`` samples coincide, their reachability
    distances are all 0; a constant of 1e-10 added to the mean reachability
    distance keeps their density finite, as in scikit-learn.
    """

    def __init__(
        self,
        n_neighbors=20,
        algorithm="auto",
        leaf_size=30,
        metric="minkowski",
        p=2,
        metric_params=None,
        contamination=0.1,
        n_jobs=1,
        novelty=True,
    ):
        super().__init__(contamination=contamination)
        self.n_neighbors = n_neighbors
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.metric = metric
        self.p = p
        self.metric_params = metric_params
        self.n_jobs = n_jobs
        self.novelty = novelty

    def fit(self, X, y=None):
        """Fit the detector on ``X`` and compute the LOF of every training sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data with at least 2 samples.
        y : Ignored
            Present for API consistency.

        Returns
        -------
        self : LOF
            The fitted detector.
        """
        X = self._validate_fit_input(X, y)
        n_neighbors = check_positive_int(self.n_neighbors, "n_neighbors")
        n_samples = X.shape[0]
        if n_samples < 2:
            raise ValueError(
                f"LOF needs at least 2 training samples to find neighbours, got {n_samples}: fit on more data"
            )
        if n_neighbors >= n_samples:
            if n_neighbors > n_samples:
                warnings.warn(
                    f"n_neighbors ({n_neighbors}) is larger than the number of training samples ({n_samples}); "
                    f"using n_neighbors = {n_samples - 1}",
                    UserWarning,
                    stacklevel=2,
                )
            n_neighbors = n_samples - 1
        self.n_neighbors_ = n_neighbors
        threads = check_n_jobs(self.n_jobs)

        self.neighbors_ = NeighborSearch(
            self.algorithm, self.leaf_size, self.metric, self.p, self.metric_params, threads
        ).fit(X)
        distances, indices = self.neighbors_.query_training(n_neighbors, threads)
        self._k_distance, self._lrd, self.decision_scores_ = _core.lof_training(distances, indices)
        self._process_decision_scores()
        return self

    def decision_function(self, X):
        """Return the LOF of each sample of ``X`` relative to the training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Higher means more abnormal.
        """
        X = self._validate_predict_input(X, dtype=self.neighbors_.dtype_ if hasattr(self, "neighbors_") else None)
        distances, indices = self.neighbors_.query(X, self.n_neighbors_, check_n_jobs(self.n_jobs))
        return _core.lof_scores(distances, indices, self._k_distance, self._lrd)
