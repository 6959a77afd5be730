"""Thresholds, ties, probabilities and confidence of the shared base class."""

import warnings

import numpy as np
import pytest

from pyod_fast.models.knn import KNN
from pyod_fast.utils.data import generate_data


@pytest.fixture(scope="module")
def tied_data():
    # One feature: 37 rows equal to 1.0 and 13 rare rows equal to -1.0.
    return np.r_[np.ones(37), -np.ones(13)].reshape(-1, 1)


def test_tie_at_threshold_flags_the_rare_block(tied_data):
    detector = KNN(n_neighbors=15, contamination=0.2).fit(tied_data)
    scores = detector.decision_scores_
    assert scores[37:].min() > scores[:37].max()
    # PyOD's percentile lands inside the tied block of rare rows and labels none of them.
    assert np.percentile(scores, 80) == scores[37:].min()
    np.testing.assert_array_equal(detector.labels_, np.r_[np.zeros(37), np.ones(13)])
    assert detector.threshold_ == scores[:37].max()
    np.testing.assert_array_equal(detector.predict(tied_data), np.r_[np.zeros(37), np.ones(13)])


def test_labels_are_monotone_in_score(tied_data):
    detector = KNN(n_neighbors=15, contamination=0.2).fit(tied_data)
    order = np.argsort(detector.decision_scores_, kind="stable")
    assert np.all(np.diff(detector.labels_[order]) >= 0)


def test_all_scores_equal_flags_nothing():
    X = np.ones((20, 2))
    detector = KNN(n_neighbors=3).fit(X)
    assert detector.labels_.sum() == 0
    assert np.all(np.isfinite(detector.predict_proba(X, method="unify")))
    assert np.all(np.isfinite(detector.predict_proba(X, method="linear")))


def test_threshold_equals_pyod_without_ties():
    X_train, _, _, _ = generate_data(n_train=500, n_test=10, n_features=3, random_state=1)
    detector = KNN().fit(X_train)
    expected = np.percentile(detector.decision_scores_, 90)
    assert detector.threshold_ == expected
    np.testing.assert_array_equal(detector.labels_, (detector.decision_scores_ > expected).astype(int))


@pytest.mark.parametrize("method", ["linear", "unify"])
def test_predict_proba_properties(method):
    X_train, X_test, _, _ = generate_data(n_train=400, n_test=200, n_features=2, random_state=2)
    detector = KNN().fit(X_train)
    proba = detector.predict_proba(X_test, method=method)
    assert proba.shape == (200, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.all((proba >= 0) & (proba <= 1))
    order = np.argsort(detector.decision_function(X_test))
    assert np.all(np.diff(proba[order, 1]) >= 0)
    _, confidence = detector.predict_proba(X_test, method=method, return_confidence=True)
    assert confidence.shape == (200,)


def test_predict_proba_rejects_unknown_method():
    X_train, _, _, _ = generate_data(n_train=100, n_test=10, n_features=2, random_state=3)
    with pytest.raises(ValueError, match="method must be 'linear' or 'unify', got 'softmax'"):
        KNN().fit(X_train).predict_proba(X_train, method="softmax")


def test_probabilities_and_confidence_match_pyod():
    pytest.importorskip("pyod")
    from pyod.models.knn import KNN as Reference

    X_train, X_test, _, _ = generate_data(n_train=400, n_test=150, n_features=3, random_state=4)
    ours = KNN().fit(X_train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = Reference().fit(X_train)
        for method in ("linear", "unify"):
            np.testing.assert_allclose(ours.predict_proba(X_test, method=method), reference.predict_proba(X_test, method=method), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ours.predict_confidence(X_test), reference.predict_confidence(X_test), rtol=1e-9, atol=1e-12)
        labels, confidence = ours.predict(X_test, return_confidence=True)
        expected_labels, expected_confidence = reference.predict(X_test, return_confidence=True)
    np.testing.assert_array_equal(labels, expected_labels)
    np.testing.assert_allclose(confidence, expected_confidence, rtol=1e-9, atol=1e-12)


def test_fit_predict_is_deprecated_but_works():
    X_train, _, _, _ = generate_data(n_train=100, n_test=10, n_features=2, random_state=5)
    detector = KNN()
    with pytest.warns(FutureWarning, match="fit_predict is deprecated"):
        labels = detector.fit_predict(X_train)
    np.testing.assert_array_equal(labels, detector.labels_)


def test_passing_y_warns():
    X_train, _, y_train, _ = generate_data(n_train=100, n_test=10, n_features=2, random_state=6)
    with pytest.warns(UserWarning, match="unsupervised detectors ignore it"):
        KNN().fit(X_train, y_train)


def test_generate_data_matches_pyod():
    pytest.importorskip("pyod")
    from pyod.utils.data import generate_data as reference

    for seed in (0, 1, 42):
        ours = generate_data(n_train=120, n_test=40, n_features=3, contamination=0.15, random_state=seed)
        theirs = reference(n_train=120, n_test=40, n_features=3, contamination=0.15, random_state=seed)
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a, b)


def test_rejection_matches_pyod():
    pytest.importorskip("pyod")
    from pyod.models.knn import KNN as Reference

    X_train, X_test, _, _ = generate_data(n_train=300, n_test=200, n_features=3, random_state=8)
    ours = KNN().fit(X_train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = Reference().fit(X_train)
        for T in (2, 32):
            expected, expected_stats = reference.predict_with_rejection(X_test, T=T, return_stats=True)
            labels, stats = ours.predict_with_rejection(X_test, T=T, return_stats=True)
            np.testing.assert_array_equal(labels, expected)
            np.testing.assert_allclose(stats, expected_stats, rtol=1e-6)
    assert set(np.unique(labels)) <= {-2, 0, 1}


def test_rejection_fixes_bad_arguments_with_warnings():
    X_train, X_test, _, _ = generate_data(n_train=200, n_test=20, n_features=2, random_state=9)
    detector = KNN().fit(X_train)
    with pytest.warns(UserWarning, match="using the contamination"):
        detector.predict_with_rejection(X_test)
    with pytest.warns(UserWarning, match=r"delta=1.5 is outside \(0, 1\)"):
        detector.predict_with_rejection(X_test, c_r=0.1, delta=1.5)


def test_overflowing_values_raise_instead_of_inf_scores():
    # Fitted near 1, rows near 1e160 have squared distances beyond the
    # double range: that must raise, not return infinite scores.
    X = np.random.RandomState(0).randn(100, 4)
    detector = KNN().fit(X)
    with pytest.raises(ValueError, match=r"KNN.decision_function produced 100 NaN or infinite score\(s\).*Rescale X"):
        detector.decision_function(X * 1e160)


@pytest.mark.parametrize("exponent", [-1000, -560, 520])
def test_knn_scores_scale_exactly_with_the_data(exponent):
    # Scaling every value by 2^exponent scales every distance exactly, also
    # where squared differences would underflow (1e-169, 1e-301) or overflow
    # (1e156) in double precision.
    X = np.random.RandomState(0).randn(300, 4)
    for method in ("largest", "mean", "median"):
        unit = KNN(method=method).fit(X)
        scaled = KNN(method=method).fit(np.ldexp(X, exponent))
        np.testing.assert_array_equal(scaled.decision_scores_, np.ldexp(unit.decision_scores_, exponent))
        np.testing.assert_array_equal(
            scaled.decision_function(np.ldexp(X[:20] + 0.5, exponent)),
            np.ldexp(unit.decision_function(X[:20] + 0.5), exponent),
        )
        np.testing.assert_array_equal(scaled.labels_, unit.labels_)
        for proba in ("linear", "unify"):
            np.testing.assert_array_equal(
                scaled.predict_proba(np.ldexp(X[:20] + 0.5, exponent), method=proba),
                unit.predict_proba(X[:20] + 0.5, method=proba),
            )


def test_knn_scores_with_the_fitted_neighbor_count():
    X = np.random.RandomState(1).randn(80, 3)
    detector = KNN(n_neighbors=5).fit(X)
    expected = detector.decision_function(X[:10])
    detector.set_params(n_neighbors=30)
    np.testing.assert_array_equal(detector.decision_function(X[:10]), expected)
    assert detector.n_neighbors_ == 5
