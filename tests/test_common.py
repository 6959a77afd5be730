"""The detector contract, checked on every detector of pyod_fast.

Each detector in DETECTORS goes through the same checks: shapes and dtypes
of every output, labels that agree with threshold_, clone and pickle round
trips, list, Fortran-order, strided and read-only input, and clear errors for
a changed feature count or an unfitted detector.
"""

import importlib
import pickle

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from pyod_fast.utils.data import generate_data

# (module, class, constructor arguments for a quick fit). Modules that are not
# part of this build yet are skipped by `_make`.
DETECTORS = [
    ("knn", "KNN", {}),
    ("knn", "KNN", {"method": "mean"}),
    ("knn", "KNN", {"method": "median", "algorithm": "brute"}),
    ("lof", "LOF", {}),
    ("lof", "LOF", {"algorithm": "kd_tree", "metric": "manhattan"}),
    ("hbos", "HBOS", {}),
    ("copod", "COPOD", {}),
    ("ecod", "ECOD", {}),
    ("iforest", "IForest", {"random_state": 0, "n_estimators": 20}),
]
IDS = [f"{cls}-{'-'.join(f'{k}={v}' for k, v in kwargs.items()) or 'default'}" for _, cls, kwargs in DETECTORS]


def _make(module, cls, kwargs):
    try:
        mod = importlib.import_module(f"pyod_fast.models.{module}")
    except ModuleNotFoundError:
        pytest.skip(f"pyod_fast.models.{module} is not part of this build")
    return getattr(mod, cls)(**kwargs)


@pytest.fixture(scope="module")
def data():
    X_train, X_test, _, _ = generate_data(n_train=300, n_test=100, n_features=4, contamination=0.1, random_state=7)
    return X_train, X_test


@pytest.mark.parametrize("spec", DETECTORS, ids=IDS)
def test_fitted_outputs(spec, data):
    X_train, X_test = data
    detector = _make(*spec).fit(X_train)

    assert detector.decision_scores_.shape == (X_train.shape[0],)
    assert detector.decision_scores_.dtype == np.float64
    assert np.all(np.isfinite(detector.decision_scores_))
    assert set(np.unique(detector.labels_)) <= {0, 1}
    assert detector.n_features_in_ == X_train.shape[1]
    np.testing.assert_array_equal(detector.labels_, (detector.decision_scores_ > detector.threshold_).astype(int))
    assert abs(detector.labels_.mean() - detector.contamination) < 0.05

    scores = detector.decision_function(X_test)
    assert scores.shape == (X_test.shape[0],)
    assert np.all(np.isfinite(scores))
    np.testing.assert_array_equal(detector.predict(X_test), (scores > detector.threshold_).astype(int))

    proba = detector.predict_proba(X_test)
    assert proba.shape == (X_test.shape[0], 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    confidence = detector.predict_confidence(X_test)
    assert confidence.shape == (X_test.shape[0],)
    assert np.all((confidence >= 0) & (confidence <= 1))


@pytest.mark.parametrize("spec", DETECTORS, ids=IDS)
def test_predict_on_training_matches_labels(spec, data):
    X_train, _ = data
    detector = _make(*spec).fit(X_train)
    if spec[0] in ("knn", "lof"):
        pytest.skip("neighbour detectors score training rows without the row itself, as PyOD does")
    np.testing.assert_array_equal(detector.predict(X_train), detector.labels_)


@pytest.mark.parametrize("spec", DETECTORS, ids=IDS)
def test_clone_and_params(spec, data):
    X_train, _ = data
    detector = _make(*spec)
    params = detector.get_params()
    copy = clone(detector)
    assert copy.get_params() == params
    assert not hasattr(copy, "decision_scores_")
    detector.set_params(contamination=0.2).fit(X_train)
    assert abs(detector.labels_.mean() - 0.2) < 0.05


@pytest.mark.parametrize("spec", DETECTORS, ids=IDS)
def test_pickle_and_joblib_round_trip(spec, data, tmp_path):
    X_train, X_test = data
    unfitted = pickle.loads(pickle.dumps(_make(*spec)))
    assert unfitted.get_params() == _make(*spec).get_params()

    detector = _make(*spec).fit(X_train)
    expected = detector.decision_function(X_test)
    restored = pickle.loads(pickle.dumps(detector))
    np.testing.assert_array_equal(restored.decision_scores_, detector.decision_scores_)
    np.testing.assert_array_equal(restored.decision_function(X_test), expected)

    path = tmp_path / "detector.joblib"
    joblib.dump(detector, path)
    np.testing.assert_array_equal(joblib.load(path).decision_function(X_test), expected)


@pytest.mark.parametrize("spec", DETECTORS, ids=IDS)
def test_input_layouts_give_same_scores(spec, data):
    X_train, X_test = data
    detector = _make(*spec).fit(X_train)
    expected = detector.decision_function(X_test)

    wide = np.zeros((X_test.shape[0], 2 * X_test.shape[1]))
    wide[:, ::2] = X_test
    read_only = X_test.copy()
    read_only.setflags(write=False)
    swapped = X_test.astype(">f8")
    explicit_order = X_test.astype("<f8")
    for variant in (X_test.tolist(), np.asfortranarray(X_test), wide[:, ::2], read_only, swapped, explicit_order):
        np.testing.assert_array_equal(detector.decision_function(variant), expected)

    refit = _make(*spec).fit(np.asfortranarray(X_train))
    np.testing.assert_array_equal(refit.decision_scores_, detector.decision_scores_)


@pytest.mark.parametrize("spec", DETECTORS, ids=IDS)
def test_bad_input_raises_clear_errors(spec, data):
    X_train, X_test = data
    detector = _make(*spec)
    with pytest.raises(NotFittedError):
        detector.decision_function(X_test)
    detector.fit(X_train)
    with pytest.raises(ValueError, match="3 features, but the detector was fitted with 4"):
        detector.decision_function(X_test[:, :3])
    with pytest.raises(ValueError, match="1-D"):
        detector.decision_function(X_test[0])
    with pytest.raises(ValueError, match="NaN or infinite"):
        bad = X_test.copy()
        bad[3, 1] = np.nan
        detector.decision_function(bad)
    with pytest.raises(ValueError, match="empty"):
        detector.decision_function(np.empty((0, 4)))
    for contamination in (0.0, 0.7, -0.1):
        with pytest.raises(ValueError, match="contamination must lie in"):
            clone(detector).set_params(contamination=contamination).fit(X_train)


@pytest.mark.parametrize("spec", DETECTORS, ids=IDS)
def test_one_row_predict(spec, data):
    X_train, X_test = data
    detector = _make(*spec).fit(X_train)
    batch = detector.decision_function(X_test)
    for i in (0, 5, len(X_test) - 1):
        single = detector.decision_function(X_test[i : i + 1])
        assert single.shape == (1,)
        np.testing.assert_allclose(single[0], batch[i], rtol=1e-12)


@pytest.mark.parametrize("spec", DETECTORS, ids=IDS)
def test_threads_do_not_change_scores(spec, data):
    X_train, X_test = data
    module, cls, kwargs = spec
    if "n_jobs" not in _make(*spec).get_params():
        pytest.skip(f"{cls} has no n_jobs parameter")
    one = _make(module, cls, {**kwargs, "n_jobs": 1}).fit(X_train)
    two = _make(module, cls, {**kwargs, "n_jobs": 2}).fit(X_train)
    np.testing.assert_array_equal(one.decision_scores_, two.decision_scores_)
    np.testing.assert_array_equal(one.decision_function(X_test), two.decision_function(X_test))
