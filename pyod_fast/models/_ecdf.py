"""Shared machinery of COPOD and ECOD: per-feature empirical CDFs.

``fit`` sorts every training column once (``_core.ecdf_fit``); scoring looks
each value up in the sorted columns. The two detectors differ only in how a
feature's left-tail and right-tail scores are combined, which the compiled
kernel does (cpp/include/pyod_fast/ecdf.hpp).
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .. import _core
from ..utils.validation import check_n_jobs
from .base import BaseDetector

_SORTED = "_sorted_columns"


class EcdfDetector(BaseDetector):
    """Base of COPOD and ECOD; subclasses set ``_aggregation``."""

    _aggregation = None

    def __init__(self, contamination=0.1, n_jobs=1, batch_dependent=False):
        super().__init__(contamination=contamination)
        self.n_jobs = n_jobs
        self.batch_dependent = batch_dependent

    def fit(self, X, y=None):
        """Fit the per-feature ECDFs on ``X`` and score the training samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Present for API consistency.

        Returns
        -------
        self
            The fitted detector.
        """
        X = self._validate_fit_input(X, y)
        self._check_batch_dependent()
        sorted_columns, skew_signs, scores = _core.ecdf_fit(X, self._aggregation, check_n_jobs(self.n_jobs))
        self.X_train = X
        setattr(self, _SORTED, sorted_columns)
        self._skew_signs = skew_signs
        self.decision_scores_ = scores
        self._process_decision_scores()
        return self

    def decision_function(self, X):
        """Return the outlier scores of ``X``.

        With ``batch_dependent=False`` (the default) each row is scored
        against the training ECDFs alone, so a row gets the same score
        whatever else ``X`` contains. With ``batch_dependent=True`` the ECDFs
        and skewness signs are recomputed over the training rows and all rows
        of ``X`` together, which reproduces PyOD's numbers.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Higher means more abnormal.
        """
        check_is_fitted(self, ["decision_scores_", "X_train"])
        X = self._validate_predict_input(X)
        threads = check_n_jobs(self.n_jobs)
        if self._check_batch_dependent():
            skew_signs = _core.ecdf_skew_signs(self.X_train, X, threads)
            return _core.ecdf_score(getattr(self, _SORTED), skew_signs, X, self._aggregation, "batch", False, threads)
        return _core.ecdf_score(getattr(self, _SORTED), self._skew_signs, X, self._aggregation, "fitted", False, threads)

    # -- per-feature scores ---------------------------------------------------------
    def _training_feature_scores(self):
        """Return (U_l, U_r, O) of the training rows, each (n_samples, n_features)."""
        check_is_fitted(self, ["decision_scores_", "X_train"])
        return _core.ecdf_score(
            getattr(self, _SORTED),
            self._skew_signs,
            self.X_train,
            self._aggregation,
            "fitted",
            True,
            check_n_jobs(self.n_jobs),
        )

    @property
    def U_l(self):
        """Left-tail scores ``-log F(x)`` of the training data, shape (n_samples, n_features).

        Computed on access, which needs three n_samples x n_features arrays
        while it runs. PyOD stores these arrays at fit and overwrites them at
        every ``decision_function`` call. In pyod_fast they always describe
        the training data.
        """
        return self._training_feature_scores()[0]

    @property
    def U_r(self):
        """Right-tail scores ``-log(1 - F(x-))`` of the training data; see :attr:`U_l`."""
        return self._training_feature_scores()[1]

    @property
    def U_skew(self):
        """Tail scores chosen by the sign of each feature's skewness; see :attr:`U_l`.

        U_l where the training skewness is negative, U_r where positive, and
        U_l + U_r where it is zero (a symmetric or constant feature), as PyOD
        computes it.
        """
        left, right, _ = self._training_feature_scores()
        signs = self._skew_signs
        return left * -1 * np.sign(signs - 1) + right * np.sign(signs + 1)

    @property
    def O(self):  # noqa: E743 - PyOD's attribute name
        """Per-feature outlier scores of the training data, whose row sums are
        ``decision_scores_``; see :attr:`U_l`."""
        return self._training_feature_scores()[2]

    def explain_outlier(
        self, ind, columns=None, cutoffs=None, feature_names=None, file_name=None, file_type=None, ax=None
    ):
        """Plot the per-feature outlier scores of training sample ``ind``.

        Draws the sample's score on every feature (triangles) with, as
        dashed lines, the quantiles ``cutoffs`` of every feature's scores over
        the training data, so the features that make the sample an outlier
        stand out. Needs matplotlib (``pip install matplotlib``).

        Parameters
        ----------
        ind : int
            Row of the training data to explain (negative values count from
            the end).
        columns : list of int, default=None
            Features to show; all by default.
        cutoffs : list of float in (0, 1), default=None
            Quantiles drawn as bands; ``[1 - contamination, 0.99]`` by default.
        feature_names : list of str, default=None
            Tick labels, one per shown feature.
        file_name : str, default=None
            When given, the figure is saved to ``file_name + '.' + file_type``.
        file_type : str, default=None
            File extension of the saved figure; 'png' by default.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure by default. Unlike PyOD, the method
            does not call ``matplotlib.pyplot.show()``: call it to open a
            window from a script (notebooks display the figure by themselves).

        Returns
        -------
        scores : ndarray of shape (n_columns,)
            The per-feature outlier scores of the sample, in ``columns`` order.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as error:
            raise ImportError(
                "explain_outlier draws its plot with matplotlib, which is not installed: pip install matplotlib"
            ) from error

        _, _, feature_scores = self._training_feature_scores()
        n_samples, n_features = feature_scores.shape
        if isinstance(ind, bool) or not isinstance(ind, (int, np.integer)) or not -n_samples <= ind < n_samples:
            raise ValueError(f"ind must be a training sample index in [0, {n_samples}), got {ind!r}")
        ind = int(ind) % n_samples
        columns = list(range(n_features)) if columns is None else [int(c) for c in columns]
        if not columns or any(not 0 <= c < n_features for c in columns):
            raise ValueError(f"columns must list feature indices in [0, {n_features}), got {columns}")
        cutoffs = [1 - float(self.contamination), 0.99] if cutoffs is None else list(cutoffs)
        if feature_names is not None and len(feature_names) != len(columns):
            raise ValueError(
                f"feature_names has {len(feature_names)} names, but {len(columns)} features are shown: "
                "give one name per entry of columns"
            )

        shown = feature_scores[:, columns]
        sample = shown[ind]
        positions = np.arange(1, len(columns) + 1)
        if ax is None:
            _, ax = plt.subplots()
        ax.scatter(positions, sample, marker="^", c="black", label="Outlier score")
        for cutoff in cutoffs:
            ax.plot(positions, np.quantile(shown, q=cutoff, axis=0), "--", label=f"{cutoff} cutoff band")
        top = int(shown.max()) + 1
        ax.set_ylim(0, top)
        ax.set_xlim(0.95, positions[-1] + 0.05)
        ax.set_xticks(positions)
        if feature_names is not None:
            ax.set_xticklabels(feature_names)
        ax.set_ylabel("Dimensional outlier score")
        ax.set_xlabel("Dimension")
        label = "Outlier" if self.labels_[ind] == 1 else "Inlier"
        ax.set_title(f"Outlier score breakdown for sample #{ind + 1} ({label})")
        ax.legend()
        if file_name is not None:
            ax.figure.tight_layout()
            ax.figure.savefig(f"{file_name}.{file_type or 'png'}", dpi=300)
        return sample.copy()

    # -- helpers --------------------------------------------------------------------
    def _check_batch_dependent(self):
        if not isinstance(self.batch_dependent, (bool, np.bool_)):
            raise TypeError(f"batch_dependent must be True or False, got {self.batch_dependent!r}")
        return bool(self.batch_dependent)

    def __getstate__(self):
        # The sorted columns are a function of X_train: rebuilding them on load
        # (one sort per feature) halves the size of a pickled detector.
        state = dict(super().__getstate__())
        state.pop(_SORTED, None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "X_train" in self.__dict__:
            setattr(self, _SORTED, _core.ecdf_sort_columns(self.X_train, check_n_jobs(self.n_jobs)))
