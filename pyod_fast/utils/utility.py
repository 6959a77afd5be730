"""Score and label helpers with PyOD's names and semantics."""

import numbers

import numpy as np
from sklearn.metrics import precision_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_consistent_length, column_or_1d

from .validation import check_input

__all__ = [
    "argmaxn",
    "check_detector",
    "check_parameter",
    "generate_bagging_indices",
    "generate_indices",
    "get_diff_elements",
    "get_intersection",
    "get_list_diff",
    "get_label_n",
    "invert_order",
    "precision_n_scores",
    "score_to_label",
    "standardizer",
]


def check_parameter(param, low=None, high=None, param_name="", include_left=False, include_right=False):
    """Check that a number lies between ``low`` and ``high``.

    Parameters
    ----------
    param : int or float
        The value to check.
    low, high : int or float, default=None
        Bounds; None leaves that side open, but at least one must be given.
    param_name : str, default=""
        Name used in the error message.
    include_left, include_right : bool, default=False
        Whether each bound is allowed.

    Returns
    -------
    True
        When the value is in range; otherwise TypeError or ValueError.
    """
    if isinstance(param, bool) or not isinstance(param, numbers.Real):
        raise TypeError(f"{param_name or 'the parameter'} must be a number, got {param!r}")
    if low is None and high is None:
        raise ValueError("check_parameter needs at least one of low and high")
    if low is not None and high is not None and low > high:
        raise ValueError(f"the lower bound {low} is larger than the upper bound {high}")
    too_low = low is not None and (param < low if include_left else param <= low)
    too_high = high is not None and (param > high if include_right else param >= high)
    if too_low or too_high:
        left = "[" if include_left else "("
        right = "]" if include_right else ")"
        interval = f"{left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
        raise ValueError(f"{param_name or 'the parameter'} must lie in {interval}, got {param}")
    return True


def standardizer(X, X_t=None, keep_scalar=False):
    """Scale features to zero mean and unit variance, fitted on ``X``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data that defines the scaling (usually the training set).
    X_t : array-like of shape (n_samples_t, n_features), default=None
        Optional second data set scaled with the statistics of ``X``.
    keep_scalar : bool, default=False
        Also return the fitted ``StandardScaler``.

    Returns
    -------
    X_scaled, [X_t_scaled], [scaler]
        The scaled arrays, then the scaler when ``keep_scalar`` is True.
    """
    X = check_input(X, dtype=np.float64)
    scaler = StandardScaler().fit(X)
    if X_t is None:
        return (scaler.transform(X), scaler) if keep_scalar else scaler.transform(X)
    X_t = check_input(X_t, name="X_t", dtype=np.float64)
    if X.shape[1] != X_t.shape[1]:
        raise ValueError(f"X has {X.shape[1]} features but X_t has {X_t.shape[1]}: both need the same columns")
    if keep_scalar:
        return scaler.transform(X), scaler.transform(X_t), scaler
    return scaler.transform(X), scaler.transform(X_t)


def score_to_label(pred_scores, outliers_fraction=0.1):
    """Label the top ``outliers_fraction`` of scores as outliers (1).

    A score is an outlier when it exceeds the ``100 * (1 - outliers_fraction)``
    percentile of all scores, as in PyOD.
    """
    pred_scores = column_or_1d(pred_scores)
    check_parameter(outliers_fraction, 0, 1, param_name="outliers_fraction")
    threshold = np.percentile(pred_scores, 100 * (1 - outliers_fraction))
    return (pred_scores > threshold).astype(int)


def get_label_n(y, y_pred, n=None):
    """Turn scores into labels that mark the ``n`` highest scores as outliers.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Ground truth (1 = outlier); when ``n`` is None its number of outliers
        is used for ``n``.
    y_pred : array-like of shape (n_samples,)
        Outlier scores.
    n : int, default=None
        Number of samples to label as outliers.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
        1 for scores above the ``100 * (1 - n / n_samples)`` percentile.
    """
    y = column_or_1d(y)
    y_pred = column_or_1d(y_pred)
    check_consistent_length(y, y_pred)
    fraction = (n if n is not None else np.count_nonzero(y)) / len(y)
    threshold = np.percentile(y_pred, 100 * (1 - fraction))
    return (y_pred > threshold).astype(int)


def precision_n_scores(y, y_pred, n=None):
    """Precision at rank n: the share of true outliers among the n top scores.

    ``n`` defaults to the number of outliers in ``y``.
    """
    labels = get_label_n(y, y_pred, n)
    return precision_score(column_or_1d(y), labels, zero_division=0)


def argmaxn(value_list, n, order="desc"):
    """Return the indices of the ``n`` largest values (``order='desc'``) or of
    all but the ``n`` largest (any other order), as PyOD does."""
    value_list = column_or_1d(value_list)
    length = len(value_list)
    check_parameter(n, 1, length, include_left=True, include_right=True, param_name="n")
    if order != "desc":
        n = length - n
    threshold = np.partition(value_list, length - n)[int(length - n)]
    if order == "desc":
        return np.where(np.greater_equal(value_list, threshold))[0]
    return np.where(np.less(value_list, threshold))[0]


def invert_order(scores, method="multiplication"):
    """Flip the order of scores: ``-scores`` or ``max(scores) - scores``."""
    scores = column_or_1d(scores)
    if method == "multiplication":
        return scores.ravel() * -1
    if method == "subtraction":
        return (scores.max() - scores).ravel()
    raise ValueError(f"method must be 'multiplication' or 'subtraction', got {method!r}")


def check_detector(detector):
    """Check that ``detector`` has ``fit`` and ``decision_function`` methods."""
    for method in ("fit", "decision_function"):
        if not callable(getattr(detector, method, None)):
            raise AttributeError(f"{detector!r} is not a detector: it has no {method} method")


def get_intersection(lst1, lst2):
    """Return the elements present in both lists (order not preserved)."""
    return list(set(lst1) & set(lst2))


def get_list_diff(li1, li2):
    """Return the elements of ``li1`` absent from ``li2`` (order not preserved)."""
    return list(set(li1) - set(li2))


def get_diff_elements(li1, li2):
    """Return the elements present in exactly one of the two lists."""
    return list(set(li1) ^ set(li2))


def generate_indices(random_state, bootstrap, n_population, n_samples):
    """Draw ``n_samples`` indices from ``range(n_population)``.

    With ``bootstrap`` the draw is with replacement, else without.
    ``random_state`` must be a ``numpy.random.RandomState``.
    """
    if bootstrap:
        return random_state.randint(0, n_population, n_samples)
    return random_state.choice(n_population, n_samples, replace=False)


def generate_bagging_indices(random_state, bootstrap_features, n_features, min_features, max_features):
    """Draw a random feature subset of between ``min_features`` and
    ``max_features - 1`` features, as feature bagging does."""
    from sklearn.utils import check_random_state

    rng = check_random_state(random_state)
    n_chosen = rng.randint(min_features, max_features)
    return generate_indices(rng, bootstrap_features, n_features, n_chosen)
