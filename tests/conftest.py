"""Shared fixtures: the real benchmark data sets and the PyOD reference.

The data sets are read from ``$PYOD_FAST_DATASETS`` or else from
``../shared/datasets`` beside the repository. Tests that need them skip with
the reason when the folder is missing; nothing is ever copied into the project.
Under CI (the ``CI`` variable set) a missing PyOD fails instead of skipping,
so a broken install cannot pass quietly.
"""

import os
from pathlib import Path

import numpy as np
import pytest

from pyod_fast.datasets import load_dataset_file

REPO = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("PYOD_FAST_DATASETS", REPO.parent / "shared" / "datasets"))

# Small and medium real data sets used by the parity tests; each is in the
# ODDS or ADBench collection. Large ones are marked slow.
SMALL_SETS = [
    "odds/arrhythmia.mat",
    "odds/cardio.mat",
    "odds/glass.mat",
    "odds/ionosphere.mat",
    "odds/letter.mat",
    "odds/lympho.mat",
    "odds/pima.mat",
    "odds/vertebral.mat",
    "odds/vowels.mat",
    "odds/wbc.mat",
    "adbench/4_breastw.npz",
    "adbench/20_letter.npz",
    "adbench/38_thyroid.npz",
    "adbench/45_wine.npz",
]
MEDIUM_SETS = [
    "odds/mnist.mat",
    "odds/musk.mat",
    "odds/optdigits.mat",
    "odds/pendigits.mat",
    "odds/satellite.mat",
    "adbench/23_mammography.npz",
    "adbench/30_satellite.npz",
]


def load_real(name):
    """Return (X, y) of a data set under DATASETS, or skip the test with the reason."""
    path = DATASETS / name
    if not path.exists():
        pytest.skip(f"benchmark data {name} not found under {DATASETS} (set PYOD_FAST_DATASETS)")
    return load_dataset_file(path)


def require_pyod():
    """Import pyod, or skip (fail under CI) when it is missing."""
    try:
        import pyod  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("pyod is not installed: pip install .[test]")


def assert_scores_close(actual, expected, rtol=1e-6, atol=1e-9):
    """Scores agree to rtol relative, with atol for scores near zero."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape
    assert np.all(np.isfinite(actual))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)
