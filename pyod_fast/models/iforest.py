"""Isolation Forest outlier detector.

Isolates samples with random axis-parallel splits (Liu, Ting and Zhou,
"Isolation Forest", ICDM 2008): anomalies are few and different, so random
partitions separate them from the rest after fewer splits, and their average
path length over many random trees is short.

Path: ``IForest.fit`` -> ``_core.IsolationForest`` (src/bind_iforest.cpp) ->
``pyod_fast::iforest::IsolationForest`` (cpp/include/pyod_fast/iforest.hpp).
"""

import numbers
import os
import warnings

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .. import _core
from ..utils.validation import check_n_jobs, check_positive_int
from .base import BaseDetector

__all__ = ["IForest"]

_BEHAVIOURS = ("old", "new")
# With 1 row a tree never splits, and with 2 it splits once into two leaves of
# one row, so every sample, seen or new, gets the same path length and the
# same score. 3 rows is the smallest sample that can rank samples.
_MIN_SAMPLES_PER_TREE = 3


class IForest(BaseDetector):
    """Isolation Forest: outliers are the samples that random trees isolate quickly.

    Each of ``n_estimators`` trees is grown on a random subsample of the
    training data. A node splits on a feature drawn uniformly among those that
    vary within the node, at a threshold drawn uniformly between that
    feature's minimum and maximum in the node. Trees stop at a height of
    ``ceil(log2(max_samples_))``. The path length of a sample in a tree is the
    depth of its leaf plus ``c(m)``, the expected depth still missing below a
    leaf that kept ``m`` subsample rows. ``c(m)`` is the average path length
    of an unsuccessful binary search tree lookup among ``m`` keys.

    Scores follow PyOD, which inverts scikit-learn's ``decision_function``:
    ``decision_scores_`` and :meth:`decision_function` return
    ``s(x) + offset_``, where ``s(x) = 2 ** (-E[h(x)] / c(max_samples_))`` is
    the anomaly score of the paper, in (0, 1], and ``offset_`` is the
    ``100 * contamination`` percentile of ``-s`` over the training samples.
    Thresholds and ROC AUCs can therefore be compared with PyOD's directly.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    max_samples : 'auto', int or float, default='auto'
        Number of training samples drawn to grow each tree.

        - 'auto': ``min(256, n_samples)``.
        - int: that many samples; a value above ``n_samples`` warns and
          uses ``n_samples``.
        - float in (0, 1]: ``int(max_samples * n_samples)`` samples.

        A value that yields fewer than 3 samples per tree raises ValueError:
        with 1 or 2 samples every tree gives all samples the same path
        length, so all scores would be equal.
    contamination : float in (0, 0.5], default=0.1
        Expected proportion of outliers; sets ``threshold_`` and ``offset_``.
    max_features : int or float, default=1.0
        Number of features each tree may split on, drawn at random per tree
        without replacement: an int in [1, n_features], or a float in (0, 1]
        for ``max(1, int(max_features * n_features))`` features.
    bootstrap : bool, default=False
        Draw each tree's samples with replacement.
    n_jobs : int, default=1
        Threads that grow trees and score blocks of samples; -1 uses all
        cores. Scores do not depend on it.
    behaviour : {'old', 'new'}, default='old'
        Accepted for compatibility with PyOD, where it no longer has an
        effect either.
    random_state : int, RandomState instance or None, default=None
        Seed of the forest. An int, or a ``numpy.random.RandomState``, gives
        the same trees on every call; None draws the seed from NumPy's
        global random state.
    verbose : int, default=0
        Accepted for compatibility with PyOD; the compiled trees print
        nothing.

    Attributes
    ----------
    decision_scores_ : ndarray of shape (n_samples,)
        Outlier scores of the training data; higher means more abnormal.
    threshold_ : float
        See :class:`~pyod_fast.models.base.BaseDetector`.
    labels_ : ndarray of shape (n_samples,)
        Binary labels of the training data (1 = outlier).
    max_samples_ : int
        Number of samples drawn to grow each tree.
    max_features_ : int
        Number of features each tree may split on.
    offset_ : float
        ``100 * contamination`` percentile of ``-s(x)`` over the training
        samples, with the same meaning as scikit-learn's ``offset_``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    forest_ : pyod_fast._core.IsolationForest
        The fitted trees as flat node arrays (``feature``, ``threshold``,
        ``left``, ``n_node_samples``, ``tree_offsets``).

    Notes
    -----
    PyOD's IForest wraps scikit-learn's IsolationForest and exposes its
    internals ``estimators_`` (a list of ``ExtraTreeRegressor``),
    ``estimators_samples_`` and ``estimators_features_``. This class grows its
    own trees and does not offer those three attributes; ``forest_`` contains the
    trees instead. ``feature_importances_`` here counts splits (see the
    property), because the impurity of scikit-learn's trees has no meaning in
    an isolation tree.

    The trees draw from their own random generator, so the same
    ``random_state`` gives different trees than PyOD, while the ROC AUC over
    several seeds agrees with PyOD's.
    """

    def __init__(
        self,
        n_estimators=100,
        max_samples="auto",
        contamination=0.1,
        max_features=1.0,
        bootstrap=False,
        n_jobs=1,
        behaviour="old",
        random_state=None,
        verbose=0,
    ):
        super().__init__(contamination=contamination)
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.n_jobs = n_jobs
        self.behaviour = behaviour
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y=None):
        """Grow the forest on ``X`` and score the training samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Present for API consistency.

        Returns
        -------
        self : IForest
            The fitted detector.
        """
        X = self._validate_fit_input(X, y)
        n_samples, n_features = X.shape
        n_estimators = check_positive_int(self.n_estimators, "n_estimators")
        max_samples = _resolve_max_samples(self.max_samples, n_samples)
        max_features = _resolve_max_features(self.max_features, n_features)
        if not isinstance(self.bootstrap, (bool, np.bool_)):
            raise TypeError(f"bootstrap must be True or False, got {self.bootstrap!r}")
        if self.behaviour not in _BEHAVIOURS:
            raise ValueError(f"behaviour must be one of {list(_BEHAVIOURS)}, got {self.behaviour!r}")
        threads = check_n_jobs(self.n_jobs)
        # Drawn through RandomState so that an int seed and RandomState(seed)
        # give the same forest, as in scikit-learn.
        try:
            rng = check_random_state(self.random_state)
        except ValueError:
            raise ValueError(
                f"random_state must be None, an int in [0, 2**32 - 1] or a numpy RandomState, "
                f"got {self.random_state!r}"
            ) from None
        seed = int(rng.randint(np.iinfo(np.int64).max, dtype=np.int64))

        _check_forest_fits_in_memory(n_estimators, max_samples)
        self.max_samples_ = max_samples
        self.max_features_ = max_features
        self.forest_ = _core.IsolationForest.fit(
            X,
            n_estimators=n_estimators,
            max_samples=max_samples,
            max_features=max_features,
            bootstrap=bool(self.bootstrap),
            seed=seed,
            n_jobs=threads,
        )

        train_scores = self.forest_.anomaly_scores(X, threads)
        self.offset_ = float(np.percentile(-train_scores, 100.0 * float(self.contamination)))
        self.decision_scores_ = train_scores + self.offset_
        self._process_decision_scores()
        return self

    def decision_function(self, X):
        """Return the outlier scores of ``X``: ``s(x) + offset_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Higher means more abnormal; on the scale of ``decision_scores_``.
        """
        X = self._validate_predict_input(X)
        return self.forest_.anomaly_scores(X, check_n_jobs(self.n_jobs)) + self.offset_

    @property
    def feature_importances_(self):
        """Share of all splits that use each feature, an ndarray of shape (n_features,).

        The values sum to 1, or are all 0 when no tree split at all (every
        feature constant on every subsample).
        """
        check_is_fitted(self, "forest_")
        counts = self.forest_.split_counts()
        total = counts.sum()
        return counts / total if total > 0 else counts


# Bytes per tree node: split feature, threshold, child and sample count as
# built, then the packed node and leaf value that scoring reads.
_NODE_BYTES = 4 + 8 + 4 + 4 + 16 + 8


def _physical_memory():
    """Return the machine's physical memory in bytes, or None where unknown."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return None


def _check_forest_fits_in_memory(n_estimators, max_samples):
    """Raise a ValueError when the forest can need more than the machine's memory.

    A tree grown on m samples has at most 2 m - 1 nodes, and isolation trees
    come close to that bound, so the bound decides.
    """
    needed = n_estimators * (2 * max_samples - 1) * _NODE_BYTES
    available = _physical_memory()
    if available is not None and needed > available:
        raise ValueError(
            f"n_estimators={n_estimators} trees of max_samples={max_samples} samples can need up to "
            f"{needed / 2**30:.1f} GiB, more than this machine's {available / 2**30:.1f} GiB of memory: "
            "lower n_estimators or max_samples"
        )


def _resolve_max_samples(max_samples, n_samples):
    """Return the number of samples per tree for the ``max_samples`` parameter."""
    if isinstance(max_samples, str):
        if max_samples != "auto":
            raise ValueError(f"max_samples must be 'auto', an int or a float in (0, 1], got {max_samples!r}")
        resolved = min(256, n_samples)
    elif isinstance(max_samples, (bool, np.bool_)):
        raise TypeError(f"max_samples must be 'auto', an int or a float in (0, 1], got {max_samples!r}")
    elif isinstance(max_samples, numbers.Integral):
        if max_samples < 1:
            raise ValueError(f"max_samples must be an int >= {_MIN_SAMPLES_PER_TREE}, got {max_samples}")
        resolved = int(max_samples)
        if resolved > n_samples:
            warnings.warn(
                f"max_samples ({resolved}) is greater than the number of training samples ({n_samples}); "
                f"each tree is grown on all {n_samples} samples",
                UserWarning,
                stacklevel=3,
            )
            resolved = n_samples
    elif isinstance(max_samples, numbers.Real):
        if not 0.0 < float(max_samples) <= 1.0:
            raise ValueError(
                f"max_samples as a float is a fraction of the training samples and must lie in (0, 1], "
                f"got {max_samples}"
            )
        resolved = int(float(max_samples) * n_samples)
        if resolved < _MIN_SAMPLES_PER_TREE:
            smallest = _MIN_SAMPLES_PER_TREE / n_samples
            fix = (
                f"use max_samples >= {smallest:.3g} or an int >= {_MIN_SAMPLES_PER_TREE}"
                if smallest <= 1.0
                else f"fit at least {_MIN_SAMPLES_PER_TREE} samples"
            )
            raise ValueError(
                f"max_samples={max_samples} draws int({max_samples} * {n_samples}) = {resolved} training "
                f"sample(s) per tree, but an isolation tree needs at least {_MIN_SAMPLES_PER_TREE} to tell "
                f"samples apart: {fix}"
            )
    else:
        raise TypeError(f"max_samples must be 'auto', an int or a float in (0, 1], got {max_samples!r}")

    if resolved < _MIN_SAMPLES_PER_TREE:
        if n_samples < _MIN_SAMPLES_PER_TREE:
            raise ValueError(f"IForest needs at least {_MIN_SAMPLES_PER_TREE} training samples, got {n_samples}")
        raise ValueError(
            f"max_samples={max_samples!r} gives {resolved} sample(s) per tree, but an isolation tree needs at "
            f"least {_MIN_SAMPLES_PER_TREE} to tell samples apart"
        )
    return resolved


def _resolve_max_features(max_features, n_features):
    """Return the number of features per tree for the ``max_features`` parameter."""
    if isinstance(max_features, (bool, np.bool_)) or not isinstance(max_features, numbers.Real):
        raise TypeError(f"max_features must be an int or a float in (0, 1], got {max_features!r}")
    if isinstance(max_features, numbers.Integral):
        if not 1 <= max_features <= n_features:
            raise ValueError(
                f"max_features as an int must lie in [1, n_features = {n_features}], got {max_features}"
            )
        return int(max_features)
    if not 0.0 < float(max_features) <= 1.0:
        raise ValueError(
            f"max_features as a float is a fraction of the features and must lie in (0, 1], got {max_features}"
        )
    return max(1, int(float(max_features) * n_features))
