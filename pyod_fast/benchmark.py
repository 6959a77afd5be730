"""Benchmark protocol: accuracy and speed of the detectors on labelled data.

The protocol follows ``notebooks/benchmark.py`` in PyOD's repository. Each
round ``i`` of ``n_splits`` splits the data at random into 60 % training and
40 % test rows with the seed ``seed + i``. Both parts are standardized with
the training part's mean and standard deviation
(:func:`pyod_fast.utils.utility.standardizer`). The detector is fitted on
the training rows and scores the test rows, and ROC AUC and precision at
rank n (n = the number of outliers in the test rows) are computed on those
test scores. Each result is the mean over the rounds. A round whose test
part has no outlier (or only outliers) has no ROC AUC, so it is left out of
the accuracy means with a logged warning. The contamination of every
detector is the share of outliers in the data set, capped at 0.5. PyOD's
script runs 20 rounds with the seeds 0 to 19; here the default is 5.

PyOD's script does not stratify the split. ``stratify=True`` keeps the
share of outliers the same in both parts, so a small set never gets a test
part without outliers; it needs at least 2 outliers per set.

Fit and ``decision_function`` are timed separately (PyOD's script times
them together), in wall-clock seconds (``time.perf_counter``), each call once
per round. Randomized detectors get the round's integer seed as
``random_state``, while PyOD's script passes them the ``RandomState`` object
that the split has already drawn from, so their scores differ from that
script's. With ``compare=True`` PyOD's detector of the same name runs on the
same standardized splits with the same parameters.

Detectors are looked up in :data:`DETECTORS` and imported only when used, so
a detector whose module is missing from this build is skipped with a logged
warning instead of stopping the run.
"""

import importlib
import inspect
import json
import logging
import math
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from .datasets import BUILTIN_DATASETS, find_dataset_files, load_builtin_dataset, load_dataset_file
from .utils.utility import precision_n_scores, standardizer

__all__ = [
    "BASE_COLUMNS",
    "COMPARE_COLUMNS",
    "DETECTORS",
    "Dataset",
    "builtin_datasets",
    "file_datasets",
    "load_detector_class",
    "make_detector",
    "resolve_detectors",
    "run_benchmark",
    "write_results",
]

logger = logging.getLogger(__name__)

DETECTORS = {
    "knn": ("pyod_fast.models.knn", "KNN"),
    "lof": ("pyod_fast.models.lof", "LOF"),
    "hbos": ("pyod_fast.models.hbos", "HBOS"),
    "copod": ("pyod_fast.models.copod", "COPOD"),
    "ecod": ("pyod_fast.models.ecod", "ECOD"),
    "iforest": ("pyod_fast.models.iforest", "IForest"),
}
"""Detector name -> (module path, class name) in pyod_fast. PyOD's class of
the same name lives at the same path with ``pyod`` in place of ``pyod_fast``."""

TEST_SIZE = 0.4
"""Share of the rows in the test part of each split, as in PyOD's benchmark."""

BASE_COLUMNS = [
    "dataset",
    "n_samples",
    "n_features",
    "n_outliers",
    "detector",
    "n_splits",
    "auc",
    "auc_std",
    "p_at_n",
    "fit_s",
    "predict_s",
    "error",
]
"""Keys of every result row; times are mean seconds per split."""

COMPARE_COLUMNS = [
    "pyod_auc",
    "pyod_auc_std",
    "pyod_p_at_n",
    "pyod_fit_s",
    "pyod_predict_s",
    "pyod_error",
    "speedup",
    "auc_diff",
]
"""Extra keys with ``compare=True``. ``speedup`` is PyOD's fit plus predict
time divided by pyod_fast's; ``auc_diff`` is pyod_fast's AUC minus PyOD's."""


@dataclass
class Dataset:
    """A labelled data set: ``X`` of shape (n_samples, n_features), ``y`` 1 for outliers."""

    name: str
    X: np.ndarray
    y: np.ndarray


def _checked_dataset(name, X, y):
    y = np.asarray(y).astype(int)
    n_outliers = int(np.count_nonzero(y))
    if n_outliers == 0 or n_outliers == y.shape[0]:
        raise ValueError(f"data set {name!r} has {n_outliers} outliers in {y.shape[0]} rows: ROC AUC needs both classes")
    return Dataset(name, np.asarray(X), y)


def builtin_datasets(names=None, random_state=0):
    """Build the named built-in sets (all of them by default), see :mod:`pyod_fast.datasets`."""
    names = list(BUILTIN_DATASETS) if names is None else list(names)
    return [_checked_dataset(name, *load_builtin_dataset(name, random_state=random_state)) for name in names]


def file_datasets(paths):
    """Read every ODDS ``.mat`` and ADBench ``.npz`` file at ``paths`` (files or folders).

    Each set is named after its file name without the suffix. A folder with
    no such file raises FileNotFoundError.
    """
    datasets = []
    for path in paths:
        files = find_dataset_files(path)
        if not files:
            raise FileNotFoundError(f"no .mat or .npz file found in the folder {str(path)!r}")
        for file in files:
            datasets.append(_checked_dataset(Path(file).stem, *load_dataset_file(file)))
    return datasets


def load_detector_class(name, reference=False):
    """Import the detector class registered as ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`DETECTORS`.
    reference : bool, default=False
        Import PyOD's class of the same name instead of pyod_fast's.

    Raises
    ------
    ValueError
        For a name that is not in :data:`DETECTORS`.
    ImportError
        When the module or the class cannot be imported.
    """
    if name not in DETECTORS:
        raise ValueError(f"unknown detector {name!r}: choose from {', '.join(DETECTORS)}")
    module_path, class_name = DETECTORS[name]
    if reference:
        module_path = "pyod" + module_path[len("pyod_fast") :]
    module = importlib.import_module(module_path)
    try:
        return getattr(module, class_name)
    except AttributeError as exc:
        raise ImportError(f"{module_path} has no class {class_name}") from exc


def resolve_detectors(names=None):
    """Import the named pyod_fast detectors (all registered ones by default).

    Unknown names raise ValueError. A detector whose module cannot be
    imported is left out with a logged note, so the benchmark runs with
    whatever this build contains. The note is a warning when the detector
    was named in ``names`` and an INFO message when it was only implied by
    the default.

    Returns
    -------
    dict
        Detector name -> class, in the order of ``names``.
    """
    skip_level = logging.INFO if names is None else logging.WARNING
    names = list(DETECTORS) if names is None else list(names)
    unknown = [name for name in names if name not in DETECTORS]
    if unknown:
        raise ValueError(f"unknown detector {', '.join(map(repr, unknown))}: choose from {', '.join(DETECTORS)}")
    classes = {}
    for name in names:
        try:
            classes[name] = load_detector_class(name)
        except ImportError as exc:
            logger.log(skip_level, "skipping detector %s: it cannot be imported (%s)", name, exc)
    return classes


def make_detector(cls, contamination=0.1, n_jobs=1, random_state=None):
    """Create ``cls`` with default parameters plus the given ones it accepts.

    ``n_jobs`` and ``random_state`` are passed only to classes whose
    constructor takes them, so one call works for every detector, in
    pyod_fast and in PyOD.
    """
    accepted = inspect.signature(cls.__init__).parameters
    kwargs = {"contamination": contamination}
    if "n_jobs" in accepted:
        kwargs["n_jobs"] = n_jobs
    if "random_state" in accepted:
        kwargs["random_state"] = random_state
    return cls(**kwargs)


def _standardized_splits(dataset, n_splits, seed, stratify):
    splits = []
    for round_index in range(n_splits):
        split_seed = seed + round_index
        X_train, X_test, _, y_test = train_test_split(
            dataset.X,
            dataset.y,
            test_size=TEST_SIZE,
            random_state=split_seed,
            stratify=dataset.y if stratify else None,
        )
        X_train, X_test = standardizer(X_train, X_test)
        splits.append((split_seed, X_train, X_test, y_test))
    return splits


def _score_split(cls, contamination, n_jobs, split_seed, X_train, X_test, y_test):
    detector = make_detector(cls, contamination=contamination, n_jobs=n_jobs, random_state=split_seed)
    start = time.perf_counter()
    detector.fit(X_train)
    fitted = time.perf_counter()
    scores = detector.decision_function(X_test)
    done = time.perf_counter()

    scores = np.asarray(scores, dtype=np.float64).ravel()
    if not np.all(np.isfinite(scores)):
        raise ValueError(f"{np.count_nonzero(~np.isfinite(scores))} test scores are NaN or infinite")
    if np.unique(y_test).size < 2:
        # Possible only without stratify, on small or very skewed sets.
        logger.warning(
            "split seed %d has a test part with one class: ROC AUC and P@n are undefined, "
            "so the means leave this split out (--stratify avoids it)",
            split_seed,
        )
        auc = p_at_n = math.nan
    else:
        auc = roc_auc_score(y_test, scores)
        p_at_n = precision_n_scores(y_test, scores)
    return {
        "auc": auc,
        "p_at_n": p_at_n,
        "fit_s": fitted - start,
        "predict_s": done - fitted,
    }


def _run_splits(cls, label, dataset, splits, contamination, n_jobs):
    """Score every split; on the first error log it and return NaN results with the message."""
    # One untimed run on the first split absorbs one-time costs, such as
    # PyOD's numba compilation or lazy imports, that would otherwise be
    # charged to the first timed split. Its errors surface in the timed runs.
    if splits:
        split_seed, X_train, X_test, y_test = splits[0]
        try:
            _score_split(cls, contamination, n_jobs, split_seed, X_train, X_test, y_test)
        except Exception:  # noqa: BLE001
            pass
    per_split = []
    for split_seed, X_train, X_test, y_test in splits:
        try:
            per_split.append(_score_split(cls, contamination, n_jobs, split_seed, X_train, X_test, y_test))
        # A failing detector must not end a long benchmark run: the error is
        # logged and reported in the row's error column instead.
        except Exception as exc:  # noqa: BLE001
            message = f"{type(exc).__name__}: {exc}"
            logger.warning("%s failed on %s (split seed %d): %s", label, dataset.name, split_seed, message)
            return {"auc": math.nan, "auc_std": math.nan, "p_at_n": math.nan, "fit_s": math.nan,
                    "predict_s": math.nan, "error": message}
    aucs = np.array([result["auc"] for result in per_split])
    defined = ~np.isnan(aucs)
    if not defined.any():
        message = "every test part has one class: ROC AUC is undefined"
        logger.warning("%s on %s: %s", label, dataset.name, message)
        return {"auc": math.nan, "auc_std": math.nan, "p_at_n": math.nan, "fit_s": math.nan,
                "predict_s": math.nan, "error": message}
    return {
        "auc": float(np.mean(aucs[defined])),
        "auc_std": float(np.std(aucs[defined])),
        "p_at_n": float(np.mean([result["p_at_n"] for result in per_split if not math.isnan(result["p_at_n"])])),
        "fit_s": float(np.mean([result["fit_s"] for result in per_split])),
        "predict_s": float(np.mean([result["predict_s"] for result in per_split])),
        "error": "",
    }


def run_benchmark(datasets, detectors, n_splits=5, seed=0, n_jobs=1, compare=False, stratify=False):
    """Run every detector on every data set with the protocol of the module docstring.

    Parameters
    ----------
    datasets : list of Dataset
        The labelled sets, each with inliers and outliers.
    detectors : dict
        Detector name -> pyod_fast class, as :func:`resolve_detectors` returns.
    n_splits : int, default=5
        Number of random train/test splits per data set.
    seed : int, default=0
        Seed of the first split; split ``i`` uses ``seed + i`` for the split
        and for the ``random_state`` of randomized detectors.
    n_jobs : int, default=1
        Passed to every detector that takes ``n_jobs``.
    compare : bool, default=False
        Also run PyOD's detector of the same name on the same splits. A
        detector that PyOD lacks gets an error in ``pyod_error``.
    stratify : bool, default=False
        Keep the outlier share equal in the training and test parts.

    Returns
    -------
    list of dict
        One row per data set and detector, with the keys of
        :data:`BASE_COLUMNS` (plus :data:`COMPARE_COLUMNS` with ``compare``).
        Failed runs have NaN values and the message in ``error``.
    """
    if isinstance(n_splits, bool) or not isinstance(n_splits, int) or n_splits < 1:
        raise ValueError(f"n_splits must be a positive integer, got {n_splits!r}")
    rows = []
    total = len(datasets) * len(detectors)
    step = 0
    for dataset in datasets:
        splits = _standardized_splits(dataset, n_splits, seed, stratify)
        n_outliers = int(np.count_nonzero(dataset.y))
        contamination = min(0.5, n_outliers / dataset.y.shape[0])
        for name, cls in detectors.items():
            step += 1
            logger.info("[%d/%d] %s %s", step, total, dataset.name, name)
            row = {
                "dataset": dataset.name,
                "n_samples": int(dataset.X.shape[0]),
                "n_features": int(dataset.X.shape[1]),
                "n_outliers": n_outliers,
                "detector": name,
                "n_splits": n_splits,
            }
            row.update(_run_splits(cls, f"pyod_fast {name}", dataset, splits, contamination, n_jobs))
            if compare:
                row.update(_compare_with_pyod(name, dataset, splits, contamination, n_jobs, row))
            rows.append(row)
    return rows


def _compare_with_pyod(name, dataset, splits, contamination, n_jobs, row):
    try:
        reference_cls = load_detector_class(name, reference=True)
    except ImportError as exc:
        logger.warning("skipping PyOD's %s: it cannot be imported (%s)", name, exc)
        reference = {"auc": math.nan, "auc_std": math.nan, "p_at_n": math.nan, "fit_s": math.nan,
                     "predict_s": math.nan, "error": f"ImportError: {exc}"}
    else:
        reference = _run_splits(reference_cls, f"PyOD {name}", dataset, splits, contamination, n_jobs)
    fast_time = row["fit_s"] + row["predict_s"]
    reference_time = reference["fit_s"] + reference["predict_s"]
    return {
        "pyod_auc": reference["auc"],
        "pyod_auc_std": reference["auc_std"],
        "pyod_p_at_n": reference["p_at_n"],
        "pyod_fit_s": reference["fit_s"],
        "pyod_predict_s": reference["predict_s"],
        "pyod_error": reference["error"],
        "speedup": reference_time / fast_time if fast_time > 0 else math.nan,
        "auc_diff": row["auc"] - reference["auc"],
    }


def _json_value(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN; null marks a missing result
    return value


def _installed_version(package):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def write_results(rows, path, settings=None):
    """Write benchmark rows to ``path``: CSV or JSON, chosen by the suffix.

    Parameters
    ----------
    rows : list of dict
        Rows from :func:`run_benchmark`.
    path : str or pathlib.Path
        Ends in ``.csv`` (one line per row, NaN written as an empty field) or
        ``.json`` (an object with ``settings``, ``environment`` and
        ``results``; NaN written as null).
    settings : dict, default=None
        The run's settings, stored in the JSON file.

    Raises
    ------
    ValueError
        For any other suffix.
    """
    import csv

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ValueError(f"cannot write results to {str(path)!r}: the file name must end in .csv or .json")
    columns = BASE_COLUMNS + (COMPARE_COLUMNS if any("pyod_auc" in row for row in rows) else [])
    if suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({key: ("" if _json_value(value) is None else value) for key, value in row.items()})
        return
    from . import __version__

    document = {
        "settings": dict(settings or {}),
        "environment": {
            "pyod_fast": __version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "pyod": _installed_version("pyod"),
            "machine": platform.machine(),
            "cpu_count": os.cpu_count(),
        },
        "results": [{key: _json_value(row.get(key)) for key in columns} for row in rows],
    }
    with open(path, "w", encoding="utf-8") as stream:
        json.dump(document, stream, indent=2)
        stream.write("\n")
