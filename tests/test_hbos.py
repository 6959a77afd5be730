"""HBOS: parity with PyOD on real data, dtypes, edge cases and parameter checks."""

import pickle
import warnings

import numpy as np
import pytest

from conftest import MEDIUM_SETS, SMALL_SETS, assert_scores_close, load_real, require_pyod
from pyod_fast.models.hbos import HBOS

INTEGER_SETS = ["adbench/4_breastw.npz", "adbench/20_letter.npz", "adbench/30_satellite.npz", "odds/shuttle.mat"]


def _reference(X, **kwargs):
    require_pyod()
    from pyod.models.hbos import HBOS as Reference

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyOD's and NumPy's own warnings
        return Reference(**kwargs).fit(X)


def _reference_scores(reference, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reference.decision_function(X)


def _test_rows(X, seed=0):
    """Training rows, rows stretched beyond the training range, and new rows."""
    rng = np.random.RandomState(seed)
    X = np.asarray(X, dtype=np.float64)
    low, high = X.min(axis=0), X.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    picks = X[rng.choice(X.shape[0], size=min(60, X.shape[0]), replace=False)]
    stretched = low + (picks - low) * 1.3 - 0.15 * span
    near = np.vstack([low - 0.02 * span, high + 0.02 * span, low - 3 * span, high + 3 * span])
    return np.vstack([picks, stretched, near])


def _check_attributes(ours, reference, n_bins):
    if n_bins == "auto":
        assert len(ours.hist_) == len(reference.hist_)
        for mine, theirs in zip(ours.hist_, reference.hist_):
            np.testing.assert_allclose(mine, theirs, rtol=1e-12)
        for mine, theirs in zip(ours.bin_edges_, reference.bin_edges_):
            np.testing.assert_array_equal(mine, np.asarray(theirs, dtype=np.float64))
    else:
        assert ours.hist_.shape == reference.hist_.shape
        np.testing.assert_allclose(ours.hist_, reference.hist_, rtol=1e-12)
        np.testing.assert_array_equal(ours.bin_edges_, reference.bin_edges_)


@pytest.mark.parametrize("name", SMALL_SETS + MEDIUM_SETS)
@pytest.mark.parametrize("n_bins", [10, "auto"])
def test_hbos_matches_pyod_on_real_data(name, n_bins):
    X, _ = load_real(name)
    reference = _reference(X, n_bins=n_bins)
    X_test = _test_rows(X)
    ours = HBOS(n_bins=n_bins).fit(X)
    assert_scores_close(ours.decision_scores_, reference.decision_scores_)
    assert_scores_close(ours.decision_function(X_test), _reference_scores(reference, X_test))
    _check_attributes(ours, reference, n_bins)


@pytest.mark.parametrize("name", SMALL_SETS[:6] + ["odds/mnist.mat"])
@pytest.mark.parametrize("n_bins", [10, "auto"])
def test_hbos_matches_pyod_on_float32(name, n_bins):
    X, _ = load_real(name)
    X32 = np.asarray(X, dtype=np.float32)
    reference = _reference(X32, n_bins=n_bins)
    ours = HBOS(n_bins=n_bins).fit(X32)
    assert_scores_close(ours.decision_scores_, reference.decision_scores_)
    _check_attributes(ours, reference, n_bins)
    if n_bins == 10:
        # NOTE: with n_bins='auto' PyOD tests the tolerance band in float32
        # arithmetic for float32 input, so a value at the band's boundary
        # may differ; the fixed-bin path computes it in float64 like ours.
        X_test = _test_rows(X32).astype(np.float32)
        assert_scores_close(ours.decision_function(X_test), _reference_scores(reference, X_test))


@pytest.mark.parametrize("name", INTEGER_SETS)
def test_hbos_matches_pyod_on_integer_data(name):
    X, _ = load_real(name)
    assert X.dtype.kind in "iu"
    for n_bins in (10, "auto"):
        reference = _reference(X, n_bins=n_bins)
        ours = HBOS(n_bins=n_bins).fit(X)
        assert_scores_close(ours.decision_scores_, reference.decision_scores_)
        X_test = _test_rows(X)
        assert_scores_close(ours.decision_function(X_test), _reference_scores(reference, X_test))


@pytest.mark.parametrize("n_bins", [10, 3, "auto"])
def test_hbos_edge_cases_stay_finite(n_bins):
    rng = np.random.RandomState(1)
    X = rng.normal(size=(80, 4))
    X[:, 1] = 5.0  # constant
    X[:, 2] = 0.0  # another constant
    X[:40] = X[0]  # half the rows duplicated
    detector = HBOS(n_bins=n_bins).fit(X)
    assert np.all(np.isfinite(detector.decision_scores_))
    far = np.array([[1e300, 5.0, -1e300, 0.0], [0.0, 5.1, 0.0, -7.0]])
    assert np.all(np.isfinite(detector.decision_function(far)))
    one = detector.decision_function(X[3:4])
    assert one.shape == (1,)
    assert one[0] == detector.decision_scores_[3]


def test_hbos_constant_features_match_pyod():
    X = np.tile(np.array([[1.0, -3.0, 2.5]]), (30, 1))
    X[:, 2] += np.arange(30) % 3
    reference = _reference(X)
    ours = HBOS().fit(X)
    assert_scores_close(ours.decision_scores_, reference.decision_scores_)
    test = np.array([[1.0, -3.0, 2.5], [1.04, -3.2, 2.5], [0.0, 9.0, 10.0]])
    assert_scores_close(ours.decision_function(test), _reference_scores(reference, test))


def test_hbos_value_outside_range_uses_tolerance():
    X = np.arange(11, dtype=np.float64).reshape(-1, 1)  # edges 0, 1, ..., 10 with n_bins=10
    X = np.vstack([X, [[5.5], [5.6]]])
    detector = HBOS(n_bins=10, tol=0.5).fit(X)
    inside, near, far = detector.decision_function(np.array([[10.0], [10.4], [10.6]]))
    assert near == inside  # within half a bin: the last bin
    lowest_log_density = np.log2(detector.hist_[:, 0] + detector.alpha).min()
    assert far == -lowest_log_density
    assert far > near


def test_hbos_float32_data_keeps_float32_edges():
    rng = np.random.RandomState(2)
    X = rng.normal(size=(200, 3)).astype(np.float32)
    detector = HBOS().fit(X)
    edges = detector.bin_edges_
    np.testing.assert_array_equal(edges, edges.astype(np.float32).astype(np.float64))
    np.testing.assert_allclose(detector.decision_scores_, HBOS().fit(X.astype(np.float64)).decision_scores_, rtol=1e-5)


def test_hbos_pickle_and_threads_with_auto_bins():
    rng = np.random.RandomState(3)
    X = rng.normal(size=(3000, 5))
    X_test = rng.normal(size=(100, 5)) * 2
    detector = HBOS(n_bins="auto").fit(X)
    restored = pickle.loads(pickle.dumps(detector))
    np.testing.assert_array_equal(restored.decision_function(X_test), detector.decision_function(X_test))
    two = HBOS(n_bins="auto", n_jobs=2).fit(X)
    np.testing.assert_array_equal(two.decision_scores_, detector.decision_scores_)
    np.testing.assert_array_equal(two.decision_function(X_test), detector.decision_function(X_test))


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"n_bins": 1}, ValueError, "n_bins must be an integer >= 2 or 'auto', got 1"),
        ({"n_bins": "many"}, ValueError, "got 'many'"),
        ({"n_bins": 2.5}, TypeError, "n_bins must be an integer"),
        ({"n_bins": True}, TypeError, "n_bins must be an integer"),
        ({"alpha": 0.0}, ValueError, r"alpha must be a float in \(0, 1\), got 0.0"),
        ({"alpha": 1.5}, ValueError, "alpha must be a float"),
        ({"tol": -0.1}, ValueError, "tol must be a float"),
        ({"tol": "wide"}, TypeError, "tol must be a float"),
    ],
)
def test_hbos_rejects_bad_parameters_in_fit(params, error, message):
    detector = HBOS(**params)  # no check in __init__
    with pytest.raises(error, match=message):
        detector.fit(np.random.RandomState(0).normal(size=(20, 2)))


def test_hbos_accepts_auto_in_any_case():
    X = np.random.RandomState(4).normal(size=(400, 2))
    np.testing.assert_array_equal(HBOS(n_bins="AUTO").fit(X).decision_scores_, HBOS(n_bins="auto").fit(X).decision_scores_)


def test_hbos_huge_bin_count_raises_before_allocating():
    X = np.random.RandomState(0).randn(100, 4)
    with pytest.raises(ValueError, match=r"n_bins=1000000000 with 4 features needs 4,000,000,000 bins"):
        HBOS(n_bins=10**9).fit(X)
    with pytest.raises(ValueError, match="HBOS.fit produced 100 NaN or infinite score"):
        HBOS().fit(X * 1e-310)
