"""Outlier detection with empirical cumulative distribution functions (ECOD).

Li, Zhao, Hu, Botta, Ionescu and Chen, "ECOD: Unsupervised Outlier Detection
Using Empirical Cumulative Distribution Functions", IEEE TKDE 2022. Each
feature's empirical CDF gives a left-tail and a right-tail score,
``-log F(x)`` and ``-log(1 - F(x-))``. A feature's outlier score is the
largest of the two tails and of the tail that the sign of the feature's
skewness points to; a sample's score sums its features.

Path: ``ECOD.fit`` -> ``_core.ecdf_fit`` (src/bind_ecdf.cpp) ->
``pyod_fast::ecdf`` (cpp/include/pyod_fast/ecdf.hpp).
"""

from ._ecdf import EcdfDetector

__all__ = ["ECOD"]


class ECOD(EcdfDetector):
    """ECOD outlier detector: empirical CDF tail probabilities.

    Parameters
    ----------
    contamination : float in (0, 0.5], default=0.1
        Expected proportion of outliers; sets ``threshold_``.
    n_jobs : int, default=1
        Threads of the kernels (features run in parallel); -1 uses all cores.
        Scores do not depend on it.
    batch_dependent : bool, default=False
        How ``decision_function`` scores new samples. False: against the
        ECDFs of the training data, so a sample's score does not depend on
        the other samples of the call; a value beyond the training range
        gets the tail probability 1/n_samples of the most extreme training
        value. True: PyOD's behaviour, which recomputes the ECDFs and the
        skewness over the training data and all samples of the call
        together, so the same sample scores differently in different
        batches. Training scores are the same either way.

    Attributes
    ----------
    decision_scores_ : ndarray of shape (n_samples,)
        Outlier scores of the training data, equal to PyOD's.
    threshold_ : float
        See :class:`~pyod_fast.models.base.BaseDetector`.
    labels_ : ndarray of shape (n_samples,)
        Binary labels of the training data (1 = outlier).
    X_train : ndarray of shape (n_samples, n_features)
        The training data (as PyOD keeps it), used by ``explain_outlier`` and
        by ``batch_dependent=True``. It is the array passed to ``fit`` when
        that was already float32 or float64 with contiguous rows, not a copy.
    U_l, U_r, U_skew, O : ndarray of shape (n_samples, n_features)
        Per-feature tail scores and outlier scores of the training data,
        computed on access.
    n_features_in_ : int
        Number of features seen in ``fit``.
    """

    _aggregation = "ecod"

    def __init__(self, contamination=0.1, n_jobs=1, batch_dependent=False):
        super().__init__(contamination=contamination, n_jobs=n_jobs, batch_dependent=batch_dependent)
