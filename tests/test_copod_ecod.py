"""COPOD and ECOD: parity with PyOD, batch independence, explain_outlier, edge cases."""

import pickle
import sys
import warnings

import joblib
import numpy as np
import pytest
from sklearn.base import clone

from conftest import MEDIUM_SETS, SMALL_SETS, assert_scores_close, load_real, require_pyod
from pyod_fast.models.copod import COPOD
from pyod_fast.models.ecod import ECOD

DETECTORS = {"COPOD": COPOD, "ECOD": ECOD}
INTEGER_SETS = ["adbench/4_breastw.npz", "adbench/20_letter.npz", "adbench/30_satellite.npz", "odds/shuttle.mat"]


def _reference_class(name):
    require_pyod()
    if name == "COPOD":
        from pyod.models.copod import COPOD as Reference
    else:
        from pyod.models.ecod import ECOD as Reference
    return Reference


def _quietly(function, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SciPy's precision warnings on constant columns, PyOD's own
        return function(*args)


def _split(X, seed=0):
    rng = np.random.RandomState(seed)
    order = rng.permutation(X.shape[0])
    cut = int(0.7 * X.shape[0])
    return X[order[:cut]], X[order[cut:]]


@pytest.mark.parametrize("name", SMALL_SETS + MEDIUM_SETS)
@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_training_scores_match_pyod(name, detector):
    X, _ = load_real(name)
    # PyOD negates unsigned integers in their own dtype, where they wrap
    # around, so the reference runs on a float64 copy; pyod_fast converts
    # every integer input to float64 before any arithmetic.
    X64 = np.asarray(X, dtype=np.float64)
    reference = _quietly(_reference_class(detector)().fit, X64)
    ours = DETECTORS[detector]().fit(X)
    assert_scores_close(ours.decision_scores_, reference.decision_scores_)
    assert_scores_close(ours.O, reference.O)
    assert_scores_close(ours.U_l, reference.U_l)
    assert_scores_close(ours.U_r, reference.U_r)
    assert_scores_close(ours.U_skew, reference.U_skew)


@pytest.mark.parametrize("name", SMALL_SETS[:8] + ["odds/mnist.mat"])
@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_float32_training_scores_match_pyod(name, detector):
    X, _ = load_real(name)
    X32 = np.asarray(X, dtype=np.float32)
    reference = _quietly(_reference_class(detector)().fit, X32)
    ours = DETECTORS[detector]().fit(X32)
    assert ours.X_train.dtype == np.float32
    assert_scores_close(ours.decision_scores_, reference.decision_scores_)


@pytest.mark.parametrize("name", SMALL_SETS[:10] + ["odds/satellite.mat", "adbench/38_thyroid.npz"])
@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_batch_dependent_option_matches_pyod(name, detector):
    X, _ = load_real(name)
    X_train, X_test = _split(np.asarray(X, dtype=np.float64))
    reference = _quietly(_reference_class(detector)().fit, X_train)
    expected = _quietly(reference.decision_function, X_test)
    for n_jobs in (1, 2):
        ours = DETECTORS[detector](batch_dependent=True, n_jobs=n_jobs).fit(X_train)
        assert_scores_close(ours.decision_function(X_test), expected)
        # Training scores do not depend on the option.
        assert_scores_close(ours.decision_scores_, reference.decision_scores_)


@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_batch_dependent_option_matches_pyod_on_float32(detector):
    rng = np.random.RandomState(5)
    X_train = rng.gamma(2.0, size=(500, 6)).astype(np.float32)
    X_test = rng.gamma(2.0, size=(80, 6)).astype(np.float32)
    reference = _quietly(_reference_class(detector)().fit, X_train)
    ours = DETECTORS[detector](batch_dependent=True).fit(X_train)
    assert_scores_close(ours.decision_function(X_test), _quietly(reference.decision_function, X_test))
    # Mixed precision: PyOD concatenates into float64.
    X_test64 = X_test.astype(np.float64) + 1e-3
    assert_scores_close(ours.decision_function(X_test64), _quietly(reference.decision_function, X_test64))


@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_single_row_equals_row_in_batch(detector):
    # A Gaussian cloud around (10, 0) scored on a grid around (0, 0), the
    # setting of a public PyOD bug report: PyOD's score of a row changes by
    # more than 1.0 depending on the other rows of the call.
    rng = np.random.RandomState(0)
    X_train = rng.normal(loc=(10.0, 0.0), scale=1.0, size=(1000, 2))
    grid = np.stack(np.meshgrid(np.linspace(-12, 12, 40), np.linspace(-12, 12, 25)), axis=-1).reshape(-1, 2)
    rows = [0, 500, 777, len(grid) - 1]

    reference = _quietly(_reference_class(detector)().fit, X_train)
    pyod_batch = _quietly(reference.decision_function, grid)
    pyod_single = np.array([_quietly(reference.decision_function, grid[i : i + 1])[0] for i in rows])
    assert np.max(np.abs(pyod_single - pyod_batch[rows])) > 1.0

    ours = DETECTORS[detector]().fit(X_train)
    batch = ours.decision_function(grid)
    single = np.array([ours.decision_function(grid[i : i + 1])[0] for i in rows])
    np.testing.assert_array_equal(single, batch[rows])

    # Against the fitted ECDFs the training centre scores lowest.
    centre, middle, far = ours.decision_function(np.array([[10.0, 0.0], [7.0, 0.0], [0.0, 0.0]]))
    assert centre < middle <= far


@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_scores_of_training_rows_equal_decision_scores(detector):
    X, _ = load_real("odds/cardio.mat")
    ours = DETECTORS[detector]().fit(X)
    np.testing.assert_array_equal(ours.decision_function(X), ours.decision_scores_)
    np.testing.assert_array_equal(ours.predict(X), ours.labels_)


@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_values_beyond_training_range_take_the_extreme_tail(detector):
    X_train = np.arange(1.0, 11.0).reshape(-1, 1)
    ours = DETECTORS[detector]().fit(X_train)
    low, lowest_train, high = ours.decision_function(np.array([[-1e300], [1.0], [1e300]]))
    assert low == lowest_train == ours.decision_scores_[0]
    assert high == ours.decision_scores_[-1]
    assert np.isfinite(low)
    assert np.isfinite(high)


@pytest.mark.parametrize("name", INTEGER_SETS)
@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_integer_data_sets_match_pyod_on_float64(name, detector):
    X, _ = load_real(name)
    assert X.dtype.kind in "iu"
    reference = _quietly(_reference_class(detector)().fit, X.astype(np.float64))
    assert_scores_close(DETECTORS[detector]().fit(X).decision_scores_, reference.decision_scores_)


@pytest.mark.parametrize("detector", ["HBOS", "COPOD", "ECOD"])
def test_integer_dtypes_give_identical_scores(detector):
    from pyod_fast.models.hbos import HBOS

    cls = {"HBOS": HBOS, **DETECTORS}[detector]
    rng = np.random.RandomState(6)
    values = rng.randint(0, 200, size=(400, 5))
    values[rng.rand(*values.shape) < 0.15] = 0
    test_values = rng.randint(0, 200, size=(50, 5))
    test_values[:5] = 0
    results = []
    for dtype in (np.uint8, np.int16, np.float64):
        detector_ = cls().fit(values.astype(dtype))
        results.append((detector_.decision_scores_, detector_.decision_function(test_values.astype(dtype))))
    for scores, test_scores in results[:2]:
        np.testing.assert_array_equal(scores, results[2][0])
        np.testing.assert_array_equal(test_scores, results[2][1])
    assert np.all(np.isfinite(results[0][0]))


@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
@pytest.mark.parametrize("batch_dependent", [False, True])
def test_edge_cases_stay_finite(detector, batch_dependent):
    rng = np.random.RandomState(7)
    X = rng.exponential(size=(60, 5))
    X[:30] = X[0]  # duplicated rows
    X[:, 1] = 3.0  # constant
    X[:, 2] = np.where(np.arange(60) % 2 == 0, 1.0, -1.0)  # two values, zero skewness
    ours = DETECTORS[detector](batch_dependent=batch_dependent).fit(X)
    assert np.all(np.isfinite(ours.decision_scores_))
    assert ours._skew_signs[1] == 0.0
    assert ours._skew_signs[2] == 0.0
    for rows in (X[:1], X[5:6], np.full((1, 5), -1e300), np.full((3, 5), 1e300), X):
        scores = ours.decision_function(rows)
        assert scores.shape == (rows.shape[0],)
        assert np.all(np.isfinite(scores))

    single = DETECTORS[detector](batch_dependent=batch_dependent).fit(X[:1])
    assert single.decision_scores_[0] == 0.0
    assert np.all(np.isfinite(single.decision_function(X[:4])))


@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
@pytest.mark.parametrize("batch_dependent", [False, True])
def test_pickle_joblib_clone_and_threads(detector, batch_dependent, tmp_path):
    rng = np.random.RandomState(8)
    X_train = rng.lognormal(size=(2000, 6))
    X_test = rng.lognormal(size=(300, 6))
    ours = DETECTORS[detector](batch_dependent=batch_dependent).fit(X_train)
    expected = ours.decision_function(X_test)

    state = ours.__getstate__()
    assert "_sorted_columns" not in state  # rebuilt from X_train on load
    restored = pickle.loads(pickle.dumps(ours))
    np.testing.assert_array_equal(restored.decision_scores_, ours.decision_scores_)
    np.testing.assert_array_equal(restored.decision_function(X_test), expected)
    path = tmp_path / "detector.joblib"
    joblib.dump(ours, path)
    np.testing.assert_array_equal(joblib.load(path).decision_function(X_test), expected)

    copy = clone(ours)
    assert copy.get_params() == ours.get_params()
    assert not hasattr(copy, "decision_scores_")

    two = DETECTORS[detector](batch_dependent=batch_dependent, n_jobs=2).fit(X_train)
    np.testing.assert_array_equal(two.decision_scores_, ours.decision_scores_)
    np.testing.assert_array_equal(two.decision_function(X_test), expected)


@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_batch_dependent_must_be_bool(detector):
    ours = DETECTORS[detector](batch_dependent="yes")
    with pytest.raises(TypeError, match="batch_dependent must be True or False, got 'yes'"):
        ours.fit(np.ones((5, 2)))


@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_explain_outlier_plots_feature_scores(detector, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, _ = load_real("odds/cardio.mat")
    ours = DETECTORS[detector]().fit(X)
    ind = int(np.argmax(ours.decision_scores_))
    scores = ours.explain_outlier(ind)
    assert scores.shape == (X.shape[1],)
    np.testing.assert_allclose(scores.sum(), ours.decision_scores_[ind], rtol=1e-12)
    np.testing.assert_array_equal(scores, ours.O[ind])

    fig, ax = plt.subplots()
    columns = [0, 3, 7]
    picked = ours.explain_outlier(ind, columns=columns, feature_names=["a", "b", "c"], ax=ax,
                                  file_name=str(tmp_path / "explain"))
    np.testing.assert_array_equal(picked, scores[columns])
    assert (tmp_path / "explain.png").stat().st_size > 0
    assert "Outlier" in ax.get_title()
    assert len(ax.get_lines()) == 2  # the two default cutoff bands
    plt.close("all")

    with pytest.raises(ValueError, match="feature_names has 2 names, but 3 features are shown"):
        ours.explain_outlier(ind, columns=columns, feature_names=["a", "b"])
    with pytest.raises(ValueError, match="ind must be a training sample index"):
        ours.explain_outlier(X.shape[0])
    plt.close("all")


@pytest.mark.parametrize("detector", ["COPOD", "ECOD"])
def test_explain_outlier_without_matplotlib(detector, monkeypatch):
    ours = DETECTORS[detector]().fit(np.random.RandomState(9).normal(size=(50, 3)))
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        ours.explain_outlier(0)
