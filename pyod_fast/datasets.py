"""Outlier-detection data sets: benchmark file readers and built-in sets.

Two file formats are read: ODDS MATLAB files (``.mat`` with ``X`` and ``y``)
and ADBench NumPy archives (``.npz`` with ``X`` and ``y``). In both, ``y`` is
1 for outliers and 0 for inliers.

The built-in sets are made from classification data that ships with
scikit-learn, so they need no download. Each is built the way ODDS builds its
versions of multi-class data: one or more classes are the inliers, and a
small random sample of another class, drawn with a fixed seed, are the
outliers. Rows keep scikit-learn's order.

================  ======  ========  ===========================  =========================  ==========
name              n       features  inliers                      outliers                   share
================  ======  ========  ===========================  =========================  ==========
``breast_cancer`` 378     30        all 357 benign rows          21 malignant rows          5.6 %
``wine``          129     13        all 119 rows of classes 1-2  10 rows of class 0         7.8 %
``digits``        1669    64        all 1619 images of 1-9       50 images of the digit 0   3.0 %
================  ======  ========  ===========================  =========================  ==========

The outlier counts follow ODDS. Its wbc set has the shape of this breast
cancer set (30 features, 357 inliers, 21 outliers). Its wine set, as copied
into ADBench (``45_wine.npz``), is exactly classes 1 and 2 of scikit-learn's
wine data plus 10 rows of class 0. Its optdigits set (5216 rows of the larger
UCI version of the digits) has 150 outliers, about 3 %.
The images of 0 form a compact class, so distance-based detectors rank
them below the inliers: KNN and LOF reach a ROC AUC of only 0.3 to 0.4 on
``digits`` and 0.37 and 0.43 on ODDS's optdigits (``pyod-fast benchmark``
with its defaults, 5 splits).

The outlier rows are drawn without replacement by
``numpy.random.default_rng(random_state)``, with ``random_state=0`` by
default, so the default sets are the same on every machine and NumPy version
that keeps the ``Generator.choice`` stream.
"""

from pathlib import Path

import numpy as np

__all__ = [
    "BUILTIN_DATASETS",
    "find_dataset_files",
    "load_breast_cancer_outliers",
    "load_builtin_dataset",
    "load_dataset_file",
    "load_digits_outliers",
    "load_wine_outliers",
]

SUFFIXES = (".mat", ".npz")


def load_dataset_file(path):
    """Read ``X`` and ``y`` from an ODDS ``.mat`` or ADBench ``.npz`` file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to read.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The data in the dtype stored in the file.
    y : ndarray of shape (n_samples,)
        int labels, 1 for outliers.
    """
    path = Path(path)
    if path.suffix not in SUFFIXES:
        raise ValueError(f"unsupported data file {str(path)!r}: expected an ODDS .mat or an ADBench .npz file")
    try:
        if path.suffix == ".mat":
            from scipy.io import loadmat

            content = loadmat(path)
        else:
            with np.load(path, allow_pickle=False) as archive:
                content = {key: archive[key] for key in archive.files}
    except FileNotFoundError:
        raise
    # scipy and numpy raise many types for a damaged or foreign file
    # (MatReadError, BadZipFile, EOFError, ValueError): all mean "unreadable".
    except Exception as error:  # noqa: BLE001
        raise ValueError(f"could not read {str(path)!r} as an ODDS .mat or ADBench .npz file: {error}") from None
    missing = [key for key in ("X", "y") if key not in content]
    if missing:
        raise ValueError(f"{str(path)!r} has no {' or '.join(missing)} entry: it is not an ODDS or ADBench file")
    X = np.asarray(content["X"])
    y = np.asarray(content["y"]).ravel().astype(int)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError(f"{str(path)!r} contains X of shape {X.shape} and y of shape {y.shape}: their numbers of rows must match")
    return X, y


def find_dataset_files(path):
    """Return the ``.mat`` and ``.npz`` files at ``path`` (a file or a folder), sorted by name."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"no data file or folder at {str(path)!r}")
    return sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())


def _inliers_plus_sampled_outliers(X, target, inlier_classes, outlier_class, n_outliers, random_state):
    """Keep every row of ``inlier_classes`` and ``n_outliers`` random rows of ``outlier_class``."""
    outlier_rows = np.flatnonzero(target == outlier_class)
    if not 1 <= n_outliers <= outlier_rows.size:
        raise ValueError(
            f"n_outliers must lie in [1, {outlier_rows.size}] (the rows of class {outlier_class}), got {n_outliers}"
        )
    rng = np.random.default_rng(random_state)
    chosen = rng.choice(outlier_rows, size=n_outliers, replace=False)
    keep = np.isin(target, inlier_classes)
    keep[chosen] = True
    y = (target[keep] == outlier_class).astype(int)
    return np.ascontiguousarray(X[keep], dtype=np.float64), y


def load_breast_cancer_outliers(n_outliers=21, random_state=0):
    """Build the breast cancer outlier set: benign rows are inliers, sampled malignant rows outliers.

    Parameters
    ----------
    n_outliers : int, default=21
        Number of malignant rows to keep, from 1 to 212. The default gives
        ODDS's WBC proportion (21 of 378 rows).
    random_state : int, default=0
        Seed of the sample of malignant rows.

    Returns
    -------
    X : ndarray of shape (357 + n_outliers, 30)
    y : ndarray of shape (357 + n_outliers,)
        1 for the malignant rows.
    """
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    # scikit-learn codes malignant as 0 and benign as 1.
    return _inliers_plus_sampled_outliers(data.data, data.target, [1], 0, n_outliers, random_state)


def load_wine_outliers(n_outliers=10, random_state=0):
    """Build the wine outlier set: classes 1 and 2 are inliers, sampled class-0 rows outliers.

    Parameters
    ----------
    n_outliers : int, default=10
        Number of class-0 rows to keep, from 1 to 59. The default is ODDS's.
    random_state : int, default=0
        Seed of the sample of class-0 rows.

    Returns
    -------
    X : ndarray of shape (119 + n_outliers, 13)
    y : ndarray of shape (119 + n_outliers,)
        1 for the class-0 rows.
    """
    from sklearn.datasets import load_wine

    data = load_wine()
    return _inliers_plus_sampled_outliers(data.data, data.target, [1, 2], 0, n_outliers, random_state)


def load_digits_outliers(n_outliers=50, random_state=0):
    """Build the digits outlier set: images of 1 to 9 are inliers, sampled images of 0 outliers.

    Parameters
    ----------
    n_outliers : int, default=50
        Number of images of the digit 0 to keep, from 1 to 178. The default
        gives about ODDS's optdigits proportion (3 %).
    random_state : int, default=0
        Seed of the sample of zeros.

    Returns
    -------
    X : ndarray of shape (1619 + n_outliers, 64)
        8 x 8 pixel intensities from 0 to 16, flattened row by row.
    y : ndarray of shape (1619 + n_outliers,)
        1 for the images of 0.
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    return _inliers_plus_sampled_outliers(data.data, data.target, list(range(1, 10)), 0, n_outliers, random_state)


BUILTIN_DATASETS = {
    "breast_cancer": load_breast_cancer_outliers,
    "wine": load_wine_outliers,
    "digits": load_digits_outliers,
}
"""Built-in set name -> function that builds it; see the module docstring."""


def load_builtin_dataset(name, random_state=0):
    """Build the built-in outlier set ``name`` with its default outlier count.

    Parameters
    ----------
    name : {'breast_cancer', 'wine', 'digits'}
    random_state : int, default=0
        Seed of the sample of outlier rows.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        1 for outliers.
    """
    if name not in BUILTIN_DATASETS:
        raise ValueError(f"unknown built-in data set {name!r}: choose one of {', '.join(BUILTIN_DATASETS)}")
    return BUILTIN_DATASETS[name](random_state=random_state)
