"""Histogram-based outlier score (HBOS).

Goldstein and Dengel, "Histogram-based Outlier Score (HBOS): A fast
Unsupervised Anomaly Detection Algorithm", KI-2012. Each feature gets an
equal-width histogram of the training data. A sample's score is minus the sum
over its features of ``log2(density + alpha)`` of the bins it falls into,
which treats the features as independent.

Path: ``HBOS.fit`` -> ``_core.hbos_fit`` / ``_core.hbos_score``
(src/bind_hbos.cpp) -> ``pyod_fast::hbos`` (cpp/include/pyod_fast/hbos.hpp).
"""

import numbers

from sklearn.utils.validation import check_is_fitted

from .. import _core
from ..utils.validation import check_n_jobs
from .base import BaseDetector

__all__ = ["HBOS"]


# Bins over all features above which fit refuses to allocate the histograms
# (16 bytes each, so 1 GiB), instead of exhausting memory: n_bins is then far
# above any useful resolution.
_MAX_TOTAL_BINS = 2**26


def _check_bins(n_bins):
    """Return the kernel's bin count: n_bins itself, or 0 for 'auto'."""
    if isinstance(n_bins, str):
        if n_bins.lower() == "auto":
            return 0
        raise ValueError(f"n_bins must be an integer >= 2 or 'auto', got {n_bins!r}: use for example 10 or 'auto'")
    if isinstance(n_bins, bool) or not isinstance(n_bins, numbers.Integral):
        raise TypeError(f"n_bins must be an integer >= 2 or 'auto', got {n_bins!r}")
    if n_bins < 2:
        raise ValueError(f"n_bins must be an integer >= 2 or 'auto', got {n_bins}")
    return int(n_bins)


def _check_open_unit(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a float in (0, 1), got {value!r}")
    if not 0.0 < float(value) < 1.0:
        raise ValueError(f"{name} must be a float in (0, 1), got {value}")
    return float(value)


class HBOS(BaseDetector):
    """Histogram-based outlier detector.

    Parameters
    ----------
    n_bins : int or 'auto', default=10
        Number of equal-width bins per feature. 'auto' picks, for each
        feature, the count b in ``1 .. max(2, floor(sqrt(n_samples))) - 1``
        that maximises Birge and Rozenholc's penalised likelihood ("How many
        bins should be put in a regular histogram", ESAIM: P&S 10, 2006), as
        PyOD does.
    alpha : float in (0, 1), default=0.1
        Added to every bin density before the logarithm, so that empty bins
        get a finite score.
    tol : float in (0, 1), default=0.5
        A value outside the training range of a feature, but within ``tol``
        bin widths of it, gets the density of the nearest (outer) bin. A
        value farther out gets the lowest log-density of the feature.
    contamination : float in (0, 0.5], default=0.1
        Expected proportion of outliers; sets ``threshold_``.
    n_jobs : int, default=1
        Threads of the histogram and scoring kernels; -1 uses all cores.
        Scores do not depend on it. PyOD's HBOS has no such parameter.

    Attributes
    ----------
    hist_ : ndarray of shape (n_bins, n_features), or list of ndarray
        Density of every bin (count / bin width / n_samples, as
        ``numpy.histogram(density=True)``). With ``n_bins='auto'``, a list
        with one array per feature, since the bin counts differ.
    bin_edges_ : ndarray of shape (n_bins + 1, n_features), or list of ndarray
        Bin edges of every feature, computed in the precision of the training
        data (float32 data gives float32-exact edges).
    decision_scores_ : ndarray of shape (n_samples,)
        Outlier scores of the training data.
    threshold_ : float
        See :class:`~pyod_fast.models.base.BaseDetector`.
    labels_ : ndarray of shape (n_samples,)
        Binary labels of the training data (1 = outlier).
    n_features_in_ : int
        Number of features seen in ``fit``.

    Notes
    -----
    Scores equal PyOD's: the bins follow ``numpy.histogram`` and the lookup
    follows ``numpy.digitize(right=True)``, so a training value lying exactly
    on an inner edge is scored with the bin to the left of that edge, as in
    PyOD. A constant feature spans ``[c - 0.5, c + 0.5]`` as in NumPy. Where
    NumPy would divide by a zero bin width (a range too narrow for the
    precision to split into bins), pyod_fast uses the mean bin width instead
    and stays finite.
    """

    def __init__(self, n_bins=10, alpha=0.1, tol=0.5, contamination=0.1, n_jobs=1):
        super().__init__(contamination=contamination)
        self.n_bins = n_bins
        self.alpha = alpha
        self.tol = tol
        self.n_jobs = n_jobs

    def fit(self, X, y=None):
        """Build the histograms on ``X`` and score the training samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Present for API consistency.

        Returns
        -------
        self : HBOS
            The fitted detector.
        """
        X = self._validate_fit_input(X, y)
        bins = _check_bins(self.n_bins)
        if bins * X.shape[1] > _MAX_TOTAL_BINS:
            raise ValueError(
                f"n_bins={bins} with {X.shape[1]} features needs {bins * X.shape[1]:,} bins, above the limit of "
                f"{_MAX_TOTAL_BINS:,}: use fewer bins, or 'auto'"
            )
        alpha = _check_open_unit(self.alpha, "alpha")
        tol = _check_open_unit(self.tol, "tol")
        threads = check_n_jobs(self.n_jobs)

        offsets, edges, density, scores = _core.hbos_fit(X, bins, alpha, tol, threads)
        self._offsets, self._edges, self._density = offsets, edges, density
        n_features = X.shape[1]
        if bins > 0:
            self.hist_ = density.reshape(n_features, bins).T.copy()
            self.bin_edges_ = edges.reshape(n_features, bins + 1).T.copy()
        else:
            self.hist_ = [density[offsets[j] : offsets[j + 1]].copy() for j in range(n_features)]
            self.bin_edges_ = [edges[offsets[j] + j : offsets[j + 1] + j + 1].copy() for j in range(n_features)]

        self.decision_scores_ = scores
        self._process_decision_scores()
        return self

    def decision_function(self, X):
        """Return the HBOS scores of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Higher means more abnormal.
        """
        check_is_fitted(self, ["hist_", "bin_edges_"])
        X = self._validate_predict_input(X)
        alpha = _check_open_unit(self.alpha, "alpha")
        tol = _check_open_unit(self.tol, "tol")
        return _core.hbos_score(X, self._offsets, self._edges, self._density, alpha, tol, check_n_jobs(self.n_jobs))
