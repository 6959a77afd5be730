"""Input checking done once, where a public method starts.

Detectors call :func:`check_input` on every ``X`` they receive. It returns a
2-D float32 or float64 array whose rows are contiguous, so the compiled
kernels can read it in place. Every other real dtype is converted to float64
once, here, before any arithmetic: unsigned integers are never subtracted or
negated in their own dtype, where the result would wrap around.
"""

import numbers

import numpy as np

# Smallest value of a C int, the type of the thread count in the compiled core.
_MIN_C_INT = -(2**31)

__all__ = ["check_input", "check_n_jobs", "check_contamination", "check_positive_int", "feature_names_of"]


def _is_sparse(X):
    try:
        import scipy.sparse as sp
    except ImportError:  # scipy is a dependency; this only guards odd installs
        return False
    return sp.issparse(X)


def feature_names_of(X):
    """Return the column names of a DataFrame as an array of str, else None.

    Names are returned only when every column name is a string, as in
    scikit-learn's ``feature_names_in_``.
    """
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "iloc"):
        return None
    names = list(columns)
    if not names or not all(isinstance(name, str) for name in names):
        return None
    return np.asarray(names, dtype=object)


def check_input(X, *, name="X", n_features=None, dtype=None):
    """Validate ``X`` and return it as a 2-D float array with contiguous rows.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        NumPy arrays of any real dtype and memory order, lists, or pandas
        DataFrames with numeric columns.
    name : str, default="X"
        Name used in error messages.
    n_features : int, default=None
        When given, the number of columns that ``X`` must have (the number
        seen in ``fit``).
    dtype : numpy dtype, default=None
        Forces the result dtype (float32 or float64). By default float32 and
        float64 are kept and every other dtype becomes float64.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        float32 or float64, C-contiguous or a view whose rows are contiguous.
        It is ``X`` itself when no conversion was needed.

    Raises
    ------
    TypeError
        For sparse matrices and non-numeric data.
    ValueError
        For a shape other than 2-D, an empty array, NaN or infinity, or a
        feature count that differs from ``n_features``.
    """
    if _is_sparse(X):
        raise TypeError(
            f"{name} is a scipy.sparse matrix, which pyod_fast does not support: "
            f"pass a dense array, for example {name}.toarray()"
        )
    if hasattr(X, "select_dtypes"):  # pandas DataFrame
        non_numeric = [str(c) for c in X.select_dtypes(exclude=["number", "bool"]).columns]
        if non_numeric:
            raise TypeError(f"{name} has non-numeric columns {non_numeric}: encode or drop them before fitting")
    if hasattr(X, "select_dtypes"):
        # Bool and nullable (Int64, Float64) columns become float64, with
        # missing values as NaN, which the finiteness check below reports.
        X = X.to_numpy(dtype=np.float64, na_value=np.nan)
    elif hasattr(X, "to_numpy"):  # pandas Series
        X = X.to_numpy()

    try:
        array = np.asarray(X)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            f"{name} could not be turned into a 2-D array ({error}): every row must have the same number of values"
        ) from None
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"{name} must contain real numbers, got dtype {array.dtype}: convert it, "
            f"for example with {name}.astype(float)"
        )
    if array.ndim != 2:
        if array.ndim == 1:
            raise ValueError(
                f"{name} must be 2-D (n_samples, n_features), got a 1-D array of shape {array.shape}: "
                f"use {name}.reshape(-1, 1) for one feature or {name}.reshape(1, -1) for one sample"
            )
        raise ValueError(f"{name} must be 2-D (n_samples, n_features), got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}): it needs at least one sample")
    if array.shape[1] == 0:
        raise ValueError(f"{name} has no features (shape {array.shape}): it needs at least one column")

    if dtype is None:
        # Native-order float32 stays float32; everything else, including
        # byte-swapped floats, becomes native float64 for the kernels.
        dtype = np.float32 if array.dtype == np.dtype(np.float32) else np.float64
    array = array.astype(dtype, copy=False)

    rows_contiguous = array.shape[1] == 1 or array.strides[1] == array.itemsize
    if not rows_contiguous or array.strides[0] <= 0:
        array = np.ascontiguousarray(array)

    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))
        row, col = bad[0]
        raise ValueError(
            f"{name} contains {len(bad)} NaN or infinite value(s), the first at row {row}, column {col} "
            f"({array[row, col]}): impute or drop them before calling this method"
        )
    if n_features is not None and array.shape[1] != n_features:
        raise ValueError(
            f"{name} has {array.shape[1]} features, but the detector was fitted with {n_features} features"
        )
    return array


def check_n_jobs(n_jobs):
    """Return the thread count for ``n_jobs`` as scikit-learn and joblib read it.

    None is 1 thread, -1 all cores, -2 all but one, and so on, with at least
    one thread. A positive ``n_jobs`` larger than the core count means all
    cores, because more OpenMP threads than cores only add overhead. The core
    count is ``_core.max_threads()``, which ``OMP_NUM_THREADS`` can lower.

    Raises
    ------
    TypeError
        When ``n_jobs`` is not an integer or None.
    ValueError
        When ``n_jobs`` is 0, or negative beyond the range of a C int
        (below -2**31), which no core count can make meaningful.
    """
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral):
        raise TypeError(f"n_jobs must be a non-zero integer or None (-1 uses all cores), got {n_jobs!r}")
    n_jobs = int(n_jobs)
    if n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero integer or None (-1 uses all cores), got {n_jobs!r}")
    if n_jobs < _MIN_C_INT:
        raise ValueError(
            f"n_jobs={n_jobs} is out of range: a negative n_jobs counts back from all cores "
            "(-1 uses all cores, -2 all but one), so use -1 or a positive thread count"
        )
    from .. import _core

    cores = _core.max_threads()
    if n_jobs > cores:
        return cores
    return _core.resolve_threads(n_jobs)


def check_contamination(contamination):
    """Check that ``contamination`` is a number in (0, 0.5]."""
    if isinstance(contamination, bool) or not isinstance(contamination, numbers.Real):
        raise TypeError(f"contamination must be a float in (0, 0.5], got {contamination!r}")
    if not 0.0 < float(contamination) <= 0.5:
        raise ValueError(
            f"contamination must lie in (0, 0.5], got {contamination}: it is the expected fraction of "
            "outliers, for example 0.1 for 10 %"
        )
    return float(contamination)


def check_positive_int(value, name, minimum=1):
    """Check that ``value`` is an integer of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)
