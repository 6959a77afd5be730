"""The detector contract shared by every model in pyod_fast.

:class:`BaseDetector` keeps PyOD's public API: ``fit`` stores the training
scores in ``decision_scores_`` (higher means more abnormal) and turns them
into ``threshold_`` and ``labels_`` through :meth:`_process_decision_scores`;
``decision_function``, ``predict``, ``predict_proba`` and
``predict_confidence`` score new samples against the fitted model.

Subclasses implement ``fit`` (validate, compute ``decision_scores_``, then
call ``_process_decision_scores``) and ``decision_function``. They validate
parameters in ``fit``, never in ``__init__``, so ``set_params`` and
``sklearn.base.clone`` see the same checks.
"""

import abc
import functools
import logging
import warnings

import numpy as np
from scipy.optimize import brentq
from scipy.special import erf
from scipy.stats import binom
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..utils.validation import check_contamination, check_input, feature_names_of

__all__ = ["BaseDetector"]

logger = logging.getLogger("pyod_fast")

_FITTED_ATTRIBUTES = ["decision_scores_", "threshold_", "labels_"]


def _check_finite_scores(scores, detector, where):
    """Raise ValueError when ``scores`` has NaN or infinity, else return it.

    Valid input never gives such scores: they come from distances, densities
    or ranges that overflowed or underflowed double precision, which a
    threshold or an AUC would then silently mishandle.
    """
    scores = np.asarray(scores)
    bad = ~np.isfinite(scores)
    if bad.any():
        raise ValueError(
            f"{type(detector).__name__}.{where} produced {int(bad.sum())} NaN or infinite score(s): the values of X "
            "are too large or too small for double-precision arithmetic in this detector (for example squared "
            "distances above 1e308). Rescale X, for example with pyod_fast.utils.utility.standardizer"
        )
    return scores


class BaseDetector(BaseEstimator, metaclass=abc.ABCMeta):
    """Abstract base class of all outlier detectors.

    Parameters
    ----------
    contamination : float in (0, 0.5], default=0.1
        Expected proportion of outliers in the training data. ``fit`` uses it
        to place ``threshold_``.

    Attributes
    ----------
    decision_scores_ : ndarray of shape (n_samples,)
        Outlier scores of the training data; higher means more abnormal.
    threshold_ : float
        Score above which a sample is labelled an outlier: the
        ``100 * (1 - contamination)`` percentile of ``decision_scores_``,
        moved down past a block of tied scores when that brings the share of
        labelled outliers closer to ``contamination`` (see Notes).
    labels_ : ndarray of shape (n_samples,)
        Binary labels of the training data, 1 for outliers and 0 for
        inliers: ``decision_scores_ > threshold_``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen in ``fit``, only when ``X`` was a DataFrame whose
        column names are all strings.

    Notes
    -----
    Ties at the threshold. PyOD labels ``scores > percentile``. When many
    training samples share the score at the percentile, that rule labels the
    whole tied block an inlier, even when the block contains the rarest samples
    and the detector then flags fewer outliers than asked (none at all, in
    the worst case). pyod_fast keeps a tied block together and labels it an
    outlier only when that brings the number of outliers closer to
    ``contamination * n_samples`` than leaving it out; ``threshold_`` then
    becomes the largest score below the block. Without such a tie the rule
    gives exactly PyOD's threshold and labels. Labels stay monotone in the
    score, and ``predict`` on the training data reproduces ``labels_``.
    """

    @abc.abstractmethod
    def __init__(self, contamination=0.1):
        self.contamination = contamination

    def __init_subclass__(cls, **kwargs):
        # Every detector's own decision_function gets the finiteness check, so
        # no detector can return a NaN or infinite score by omission.
        super().__init_subclass__(**kwargs)
        method = cls.__dict__.get("decision_function")
        if method is None or getattr(method, "_checks_scores", False) or getattr(method, "__isabstractmethod__", False):
            return

        @functools.wraps(method)
        def decision_function(self, X):
            return _check_finite_scores(method(self, X), self, "decision_function")

        decision_function._checks_scores = True
        cls.decision_function = decision_function

    # -- subclass interface ---------------------------------------------------------
    @abc.abstractmethod
    def fit(self, X, y=None):
        """Fit the detector; ``y`` is ignored by unsupervised detectors."""

    @abc.abstractmethod
    def decision_function(self, X):
        """Return the outlier scores of ``X``; higher means more abnormal."""

    # -- shared fitting steps -------------------------------------------------------
    def _validate_fit_input(self, X, y=None):
        """Check ``contamination`` and ``X`` at the start of ``fit``.

        Records ``n_features_in_`` (and ``feature_names_in_`` for a DataFrame)
        and returns ``X`` as a float32 or float64 array.
        """
        check_contamination(self.contamination)
        names = feature_names_of(X)
        X = check_input(X)
        self.n_features_in_ = X.shape[1]
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self._set_n_classes(y)
        return X

    def _validate_predict_input(self, X, dtype=None):
        """Check a fitted detector's ``X`` against what ``fit`` saw."""
        check_is_fitted(self, _FITTED_ATTRIBUTES)
        names = feature_names_of(X)
        fitted_names = getattr(self, "feature_names_in_", None)
        if names is not None and fitted_names is not None and list(names) != list(fitted_names):
            raise ValueError(
                "the column names of X differ from those seen in fit: "
                f"got {list(names)}, expected {list(fitted_names)}; reorder or rename the columns"
            )
        return check_input(X, n_features=self.n_features_in_, dtype=dtype)

    def _set_n_classes(self, y):
        """Record the number of classes for ``predict_proba`` (two by default)."""
        self._classes = 2
        if y is not None:
            y = np.asarray(y)
            self._classes = max(2, len(np.unique(y)))
            warnings.warn(
                "y was passed to fit, but unsupervised detectors ignore it",
                UserWarning,
                stacklevel=3,
            )
        return self

    def _process_decision_scores(self):
        """Derive ``threshold_``, ``labels_`` and the score statistics from
        ``decision_scores_``, with the tie rule given in the class Notes."""
        scores = np.asarray(self.decision_scores_, dtype=np.float64).ravel()
        _check_finite_scores(scores, self, "fit")
        n_samples = scores.shape[0]
        contamination = float(self.contamination)

        threshold = float(np.percentile(scores, 100.0 * (1.0 - contamination)))
        n_above = int(np.count_nonzero(scores > threshold))
        n_tied = int(np.count_nonzero(scores == threshold))
        target = contamination * n_samples
        if n_tied > 0 and abs(n_above + n_tied - target) < abs(n_above - target):
            below = scores[scores < threshold]
            if below.size > 0:
                threshold = float(below.max())

        self.threshold_ = threshold
        self.labels_ = (scores > threshold).astype(int)
        # The mean and standard deviation feed predict_proba(method="unify").
        # A power-of-two rescaling keeps the squares of scores near 1e155
        # finite and changes no bit elsewhere.
        largest = float(np.max(np.abs(scores)))
        shift = int(np.frexp(largest)[1]) if largest > 0.0 else 0
        self._mu = float(np.mean(scores))
        self._sigma = float(np.ldexp(np.std(np.ldexp(scores, -shift)), shift))
        return self

    # -- prediction -----------------------------------------------------------------
    def predict(self, X, return_confidence=False):
        """Predict whether each sample of ``X`` is an outlier (1) or not (0).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples to label.
        return_confidence : bool, default=False
            Also return :meth:`predict_confidence` of each sample.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            1 where the score exceeds ``threshold_``, else 0.
        confidence : ndarray of shape (n_samples,)
            Only when ``return_confidence`` is True.
        """
        check_is_fitted(self, _FITTED_ATTRIBUTES)
        scores = self.decision_function(X)
        labels = (scores > self.threshold_).astype(int).ravel()
        if return_confidence:
            return labels, self._confidence_from_scores(scores)
        return labels

    def predict_proba(self, X, method="linear", return_confidence=False):
        """Estimate the probability that each sample of ``X`` is an outlier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples to score.
        method : {'linear', 'unify'}, default='linear'
            'linear' rescales the scores to [0, 1] with the minimum and
            maximum of the training scores and clips. 'unify' applies the
            Gaussian scaling of Kriegel, Kroger, Schubert and Zimek,
            "Interpreting and Unifying Outlier Scores" (SDM 2011):
            ``max(0, erf((score - mean) / (std * sqrt(2))))`` with the
            mean and standard deviation of the training scores.
        return_confidence : bool, default=False
            Also return :meth:`predict_confidence` of each sample.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Column 0 is the probability of an inlier, column 1 of an outlier;
            rows sum to 1.
        confidence : ndarray of shape (n_samples,)
            Only when ``return_confidence`` is True.
        """
        check_is_fitted(self, _FITTED_ATTRIBUTES)
        if method not in ("linear", "unify"):
            raise ValueError(f"method must be 'linear' or 'unify', got {method!r}")
        scores = self.decision_function(X)
        train_scores = self.decision_scores_

        if method == "linear":
            low, high = float(np.min(train_scores)), float(np.max(train_scores))
            span = high - low if high > low else 1.0
            outlier = np.clip((scores - low) / span, 0.0, 1.0)
        elif self._sigma > 0:
            outlier = np.clip(erf((scores - self._mu) / (self._sigma * np.sqrt(2.0))), 0.0, 1.0)
        else:
            # All training scores are equal: a sample is an outlier exactly
            # when it scores above them.
            outlier = (scores > self._mu).astype(np.float64)

        proba = np.zeros((scores.shape[0], max(2, int(getattr(self, "_classes", 2)))))
        proba[:, 1] = outlier
        proba[:, 0] = 1.0 - outlier
        if return_confidence:
            return proba, self._confidence_from_scores(scores)
        return proba

    def predict_confidence(self, X):
        """Estimate how stable each sample's label is under resampled training data.

        Follows Perini, Vercruyssen and Davis, "Quantifying the Confidence of
        Anomaly Detectors in Their Example-Wise Predictions" (ECML PKDD 2020):
        with ``m`` training scores at or below the sample's score, the
        outlier probability ``p = (1 + m) / (2 + n)`` gets the confidence
        ``1 - BinomCDF(n - floor(n * contamination); n, p)`` for a predicted
        outlier, and one minus that for a predicted inlier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        confidence : ndarray of shape (n_samples,)
            Values in [0, 1].
        """
        check_is_fitted(self, _FITTED_ATTRIBUTES)
        return self._confidence_from_scores(self.decision_function(X))

    def _confidence_from_scores(self, scores):
        train_sorted = np.sort(self.decision_scores_)
        n = train_sorted.shape[0]
        n_at_or_below = np.searchsorted(train_sorted, scores, side="right")
        posterior = (1.0 + n_at_or_below) / (2.0 + n)
        confidence = 1.0 - binom.cdf(n - int(n * float(self.contamination)), n, posterior)
        inlier = scores <= self.threshold_
        confidence[inlier] = 1.0 - confidence[inlier]
        return np.clip(confidence, 0.0, 1.0)

    def predict_with_rejection(self, X, T=32, return_stats=False, delta=0.1, c_fp=1, c_fn=1, c_r=-1):
        """Predict labels, rejecting (label -2) the samples whose label is uncertain.

        Implements the rejection rule of Perini and Davis, "Unsupervised
        Anomaly Detection with Rejection" (NeurIPS 2023): a prediction is
        rejected when its stability, ``2 * |confidence - 0.5|`` with the
        outlier confidence of :meth:`predict_confidence`, is at most
        ``1 - 2 * exp(-T)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples to label.
        T : float, default=32
            Sets the rejection threshold; a larger T rejects more.
        return_stats : bool, default=False
            Also return the list from :meth:`compute_rejection_stats`.
        delta : float in (0, 1), default=0.1
            The rejection-rate bound holds with probability ``1 - delta``.
            Another value is replaced by 0.1 with a warning.
        c_fp, c_fn, c_r : float, default=1, 1, -1
            Costs of a false positive, a false negative and a rejection; a
            negative ``c_r`` is replaced by ``contamination`` with a warning.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            1 for outliers, 0 for inliers, -2 for rejected samples.
        stats : list of 3 floats
            Only when ``return_stats`` is True: expected rejection rate, upper
            bound of the rejection rate, upper bound of the cost.
        """
        check_is_fitted(self, _FITTED_ATTRIBUTES)
        if c_r < 0:
            warnings.warn(
                f"c_r={c_r} is negative; using the contamination {self.contamination} as the rejection cost",
                UserWarning,
                stacklevel=2,
            )
            c_r = self.contamination
        if not 0 < delta < 1:
            warnings.warn(f"delta={delta} is outside (0, 1); using 0.1", UserWarning, stacklevel=2)
            delta = 0.1

        self.rejection_threshold_ = 1.0 - 2.0 * np.exp(-T)
        scores = self.decision_function(X)
        labels = (scores > self.threshold_).astype(int)
        confidence = self._confidence_from_scores(scores)
        # Back from "confidence in the predicted label" to "confidence in an outlier".
        outlier_confidence = np.where(labels == 0, 1.0 - confidence, confidence)
        stability = 2.0 * np.abs(outlier_confidence - 0.5)
        labels[stability <= self.rejection_threshold_] = -2
        if return_stats:
            return labels, list(self.compute_rejection_stats(T=T, delta=delta, c_fp=c_fp, c_fn=c_fn, c_r=c_r))
        return labels

    def compute_rejection_stats(self, T=32, delta=0.1, c_fp=1, c_fn=1, c_r=-1, verbose=False):
        """Bounds on the rejection rate and the cost of :meth:`predict_with_rejection`.

        Parameters
        ----------
        T, delta, c_fp, c_fn, c_r
            As in :meth:`predict_with_rejection`; out-of-range ``delta`` and
            negative ``c_r`` fall back to 0.1 and ``contamination``.
        verbose : bool, default=False
            Log the three values at INFO level on the "pyod_fast" logger.

        Returns
        -------
        expected_rejection_rate : float
        upper_bound_rejection_rate : float
            Holds with probability ``1 - delta``.
        upper_bound_cost : float
        """
        check_is_fitted(self, _FITTED_ATTRIBUTES)
        if c_r < 0:
            c_r = self.contamination
        if not 0 < delta < 1:
            delta = 0.1
        n = len(self.decision_scores_)
        gamma = float(self.contamination)

        # Probabilities p at which BinomCDF(n * gamma - 1; n, p) equals
        # 1 - exp(-T) and exp(-T): the band of rejected outlier probabilities.
        k = int(n * gamma) - 1
        q_low = brentq(lambda p: binom.cdf(k, n, p) - (1.0 - np.exp(-T)), 0.0, 1.0)
        q_high = brentq(lambda p: binom.cdf(k, n, p) - np.exp(-T), 0.0, 1.0)
        expected_rate = q_high - q_low

        right = min(1.0, (-gamma * (n + 2) + n + 1) / n + T * (n + 2) / np.sqrt(2 * n**3 * T))
        radicand = 0.5 * n**5 * (2 * n * (-3 * gamma**2 - 2 * n * (1 - gamma) ** 2 + 4 * gamma - 3) + T * (n + 2) ** 2 - 8)
        # A negative radicand means the lower margin has no real value; it is then 0.
        left = (2 + n * (1 - gamma) * (n + 1)) / n**2 - np.sqrt(radicand) / n**4 if radicand >= 0 else 0.0
        left = max(0.0, left)
        upper_rate = right - left + 2.0 * np.sqrt(np.log(2.0 / delta) / (2.0 * n))
        upper_cost = min(gamma, q_low) * c_fp + min(1.0 - q_high, gamma) * c_fn + (q_high - q_low) * c_r

        if verbose:
            logger.info(
                "expected rejection rate %.4f, upper bound of the rejection rate %.4f, upper bound of the cost %.4f",
                expected_rate,
                upper_rate,
                upper_cost,
            )
        return expected_rate, upper_rate, upper_cost

    def fit_predict(self, X, y=None):
        """Fit on ``X`` and return ``labels_``.

        .. deprecated::
            Kept because PyOD still offers it; call ``fit(X).labels_`` instead.
        """
        warnings.warn(
            "fit_predict is deprecated, as in PyOD: call fit(X) and read labels_ instead",
            FutureWarning,
            stacklevel=2,
        )
        self.fit(X, y)
        return self.labels_

    def _predict_rank(self, X, normalized=False):
        """Rank of each sample's score among the training scores (used by combination)."""
        check_is_fitted(self, ["decision_scores_"])
        ranks = np.searchsorted(np.sort(self.decision_scores_), self.decision_function(X))
        if normalized:
            ranks = ranks / ranks.max()
        return ranks
