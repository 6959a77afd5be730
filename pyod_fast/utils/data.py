"""Synthetic data and evaluation printing with PyOD's names.

:func:`generate_data` draws from NumPy's legacy ``RandomState`` in the same
order as PyOD's function of the same name, so a given ``random_state``
yields the same arrays in both packages and results can be compared.
"""

import warnings

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.utils import check_consistent_length, check_random_state, column_or_1d

from .utility import precision_n_scores

__all__ = ["evaluate_print", "generate_data", "get_outliers_inliers"]


def _draw(n_inliers, n_outliers, n_features, spread, offset, rng, n_nan=0, n_inf=0):
    """Gaussian inliers around ``offset`` and uniform outliers in [-offset, offset]."""
    inliers = spread * rng.randn(n_inliers, n_features) + offset
    outliers = rng.uniform(low=-offset, high=offset, size=(n_outliers, n_features))
    X = np.r_[inliers, outliers]
    y = np.r_[np.zeros(n_inliers), np.ones(n_outliers)]
    if n_nan > 0:
        X = np.r_[X, np.full((n_nan, n_features), np.nan)]
        y = np.r_[y, np.full(n_nan, np.nan)]
    if n_inf > 0:
        X = np.r_[X, np.full((n_inf, n_features), np.inf)]
        y = np.r_[y, np.full(n_inf, np.inf)]
    return X, y


def generate_data(
    n_train=1000,
    n_test=500,
    n_features=2,
    contamination=0.1,
    train_only=False,
    offset=10,
    behaviour="new",
    random_state=None,
    n_nan=0,
    n_inf=0,
):
    """Generate a toy outlier-detection data set.

    Inliers are Gaussian with a random spread around a random centre
    ``c`` in [1, offset); outliers are uniform in the box [-c, c]. Labels are
    0 for inliers and 1 for outliers, and the outliers come last.

    Parameters
    ----------
    n_train, n_test : int, default=1000, 500
        Number of training and test samples.
    n_features : int, default=2
        Number of features.
    contamination : float, default=0.1
        Share of outliers in each set.
    train_only : bool, default=False
        Return only ``(X_train, y_train)``.
    offset : float, default=10
        Upper bound of the centre; must be at least 1.
    behaviour : {'new', 'old'}, default='new'
        'new' returns ``X_train, X_test, y_train, y_test``; 'old' (deprecated)
        returns ``X_train, y_train, X_test, y_test``.
    random_state : int, RandomState or None, default=None
        Seed for reproducible data.
    n_nan, n_inf : int, default=0
        Rows of NaN or infinity appended to each set, to test input checks.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        In the order set by ``behaviour``.
    """
    rng = check_random_state(random_state)
    if offset < 1:
        raise ValueError(
            f"offset must be at least 1, got {offset!r}: a smaller offset puts the outlier box inside "
            "the inlier cloud, so the labels would no longer mark the outlying points"
        )

    # The draws below happen in the same order as in PyOD, which keeps the
    # data identical for a given random_state.
    bound = int(offset)
    centre = rng.randint(low=bound)
    if centre == 0:
        if offset == 1:
            centre = 1
        elif offset >= 2:
            centre = rng.randint(low=1, high=bound)
        else:
            centre = rng.uniform(low=1.0, high=offset)
    spread = rng.random_sample() + 0.001

    if not isinstance(contamination, (float, int)):
        contamination = 0.1
    n_outliers_train = int(n_train * contamination)
    X_train, y_train = _draw(n_train - n_outliers_train, n_outliers_train, n_features, spread, centre, rng, n_nan, n_inf)
    if train_only:
        return X_train, y_train

    n_outliers_test = int(n_test * contamination)
    X_test, y_test = _draw(n_test - n_outliers_test, n_outliers_test, n_features, spread, centre, rng, n_nan, n_inf)
    if behaviour == "old":
        warnings.warn(
            "behaviour='old' is deprecated: use behaviour='new', which returns X_train, X_test, y_train, y_test",
            FutureWarning,
            stacklevel=2,
        )
        return X_train, y_train, X_test, y_test
    return X_train, X_test, y_train, y_test


def get_outliers_inliers(X, y):
    """Split ``X`` into its outlier rows (y == 1) and inlier rows (y == 0)."""
    X = np.asarray(X)
    y = np.asarray(y)
    return X[y == 1], X[y == 0]


def evaluate_print(clf_name, y, y_pred):
    """Print ROC AUC and precision @ rank n of scores ``y_pred`` against ``y``."""
    y = column_or_1d(y)
    y_pred = column_or_1d(y_pred)
    check_consistent_length(y, y_pred)
    roc = np.round(roc_auc_score(y, y_pred), decimals=4)
    prn = np.round(precision_n_scores(y, y_pred), decimals=4)
    print(f"{clf_name} ROC:{roc}, precision @ rank n:{prn}")
