"""Readers for outlier-detection benchmark files.

Two formats are read: ODDS MATLAB files (``.mat`` with ``X`` and ``y``) and
ADBench NumPy archives (``.npz`` with ``X`` and ``y``). In both, ``y`` is 1
for outliers and 0 for inliers.
"""

from pathlib import Path

import numpy as np

__all__ = ["find_dataset_files", "load_dataset_file"]

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
    if path.suffix == ".mat":
        from scipy.io import loadmat

        content = loadmat(path)
    elif path.suffix == ".npz":
        with np.load(path, allow_pickle=False) as archive:
            content = {key: archive[key] for key in archive.files}
    else:
        raise ValueError(f"unsupported data file {str(path)!r}: expected an ODDS .mat or an ADBench .npz file")
    missing = [key for key in ("X", "y") if key not in content]
    if missing:
        raise ValueError(f"{str(path)!r} has no {' or '.join(missing)} entry: it is not an ODDS or ADBench file")
    X = np.asarray(content["X"])
    y = np.asarray(content["y"]).ravel().astype(int)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError(f"{str(path)!r} holds X of shape {X.shape} and y of shape {y.shape}: they must match")
    return X, y


def find_dataset_files(path):
    """Return the ``.mat`` and ``.npz`` files at ``path`` (a file or a folder), sorted by name."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"no data file or folder at {str(path)!r}")
    return sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
