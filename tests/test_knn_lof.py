"""KNN and LOF: parity with PyOD on real data and the cases from public bug reports."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from conftest import MEDIUM_SETS, SMALL_SETS, assert_scores_close, load_real, require_pyod
from pyod_fast.models.knn import KNN
from pyod_fast.models.lof import LOF
from pyod_fast.utils.data import generate_data
from pyod_fast.utils.utility import standardizer


def _split(X, seed=0):
    rng = np.random.RandomState(seed)
    order = rng.permutation(X.shape[0])
    cut = int(0.6 * X.shape[0])
    return X[order[:cut]], X[order[cut:]]


def _reference(cls_name, **kwargs):
    require_pyod()
    if cls_name == "KNN":
        from pyod.models.knn import KNN as Reference
    else:
        from pyod.models.lof import LOF as Reference
    return Reference(**kwargs)


def _check_parity(cls, name, X_train, X_test, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyOD's own deprecation warnings
        reference = _reference(name, **kwargs).fit(X_train)
        expected_test = reference.decision_function(X_test)
    for n_jobs in (1, 2):
        ours = cls(**kwargs, n_jobs=n_jobs).fit(X_train)
        assert_scores_close(ours.decision_scores_, reference.decision_scores_)
        assert_scores_close(ours.decision_function(X_test), expected_test)
        np.testing.assert_allclose(ours.threshold_, reference.threshold_, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", SMALL_SETS)
@pytest.mark.parametrize("method", ["largest", "mean", "median"])
def test_knn_matches_pyod_on_real_data(name, method):
    X, _ = load_real(name)
    X_train, X_test = _split(standardizer(X))
    _check_parity(KNN, "KNN", X_train, X_test, method=method)


def _check_lof_parity_with_ties(X_train, X_test, n_neighbors=20):
    """LOF parity on data where several neighbours can lie at exactly the same distance.

    scikit-learn (behind PyOD) keeps whichever tied neighbour its tree meets
    first; pyod_fast keeps the lowest training index. Neighbour distances do
    not depend on that choice and must match everywhere. A score depends on
    the neighbour sets of the sample and of its neighbours, so scores must
    match wherever those sets agree, which is every sample on data without
    ties at the k-th neighbour.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = _reference("LOF", n_neighbors=n_neighbors).fit(X_train)
        expected_test = reference.decision_function(X_test)
        k = reference.n_neighbors_
        ref_train_dist, ref_train_idx = reference.detector_.kneighbors(n_neighbors=k)
        ref_test_dist, ref_test_idx = reference.detector_.kneighbors(X_test, n_neighbors=k)
    for n_jobs in (1, 2):
        ours = LOF(n_neighbors=n_neighbors, n_jobs=n_jobs).fit(X_train)
        train_dist, train_idx = ours.neighbors_.query_training(k, n_jobs)
        test_dist, test_idx = ours.neighbors_.query(X_test, k, n_jobs)
        assert_scores_close(train_dist, ref_train_dist)
        assert_scores_close(test_dist, ref_test_dist)

        # k-distances do not depend on ties, so a density is right when the
        # sample's neighbour set agrees, and a score when its neighbours' sets agree too.
        same_train = np.array([set(a) == set(b) for a, b in zip(train_idx, ref_train_idx)])
        same_test = np.array([set(a) == set(b) for a, b in zip(test_idx, ref_test_idx)])
        robust_train = same_train & same_train[train_idx].all(axis=1)
        robust_test = same_test & same_train[test_idx].all(axis=1)
        assert robust_train.mean() > 0.25  # breastw, integer data with many ties, has 0.31
        assert_scores_close(ours.decision_scores_[robust_train], reference.decision_scores_[robust_train])
        assert_scores_close(ours.decision_function(X_test)[robust_test], expected_test[robust_test])
        if same_train.all():
            assert_scores_close(ours.decision_scores_, reference.decision_scores_)


@pytest.mark.parametrize("name", SMALL_SETS)
def test_lof_matches_pyod_on_real_data(name):
    X, _ = load_real(name)
    X_train, X_test = _split(standardizer(X))
    _check_lof_parity_with_ties(X_train, X_test)


@pytest.mark.slow
@pytest.mark.parametrize("name", MEDIUM_SETS)
def test_knn_and_lof_match_pyod_on_medium_data(name):
    X, _ = load_real(name)
    X_train, X_test = _split(standardizer(X))
    _check_parity(KNN, "KNN", X_train, X_test, method="mean")
    _check_lof_parity_with_ties(X_train, X_test)


@pytest.mark.parametrize("n_features", [2, 20])
@pytest.mark.parametrize("metric_kwargs", [{}, {"p": 1}, {"p": 3}, {"metric": "chebyshev"}])
def test_parity_on_generated_data(n_features, metric_kwargs):
    X_train, X_test, _, _ = generate_data(n_train=600, n_test=200, n_features=n_features, random_state=3)
    _check_parity(KNN, "KNN", X_train, X_test, method="mean", **metric_kwargs)
    _check_parity(LOF, "LOF", X_train, X_test, n_neighbors=10, **metric_kwargs)


def test_non_minkowski_metric_falls_back_to_scikit_learn():
    X_train, X_test, _, _ = generate_data(n_train=300, n_test=50, n_features=3, random_state=5)
    _check_parity(KNN, "KNN", X_train, X_test, metric="cosine")
    _check_parity(LOF, "LOF", X_train, X_test, metric="cosine")


def test_search_without_indices_returns_the_same_distances():
    from pyod_fast.models._neighbors import NeighborSearch

    X_train, X_test, _, _ = generate_data(n_train=700, n_test=90, n_features=6, random_state=13)
    X_train[100:120] = X_train[0]  # ties at the k-th distance
    for metric in ("euclidean", "manhattan", "cosine"):
        search = NeighborSearch(metric=metric).fit(X_train)
        for query in (lambda **kw: search.query_training(7, 2, **kw), lambda **kw: search.query(X_test, 7, 2, **kw)):
            distances, indices = query()
            only_distances, no_indices = query(return_indices=False)
            assert no_indices is None
            assert indices.shape == distances.shape == (distances.shape[0], 7)
            np.testing.assert_array_equal(only_distances, distances)


def test_heavily_repeated_rows_match_pyod_and_each_other():
    # One row repeated 2,000 times and another 30 times among 1,000 Gaussian
    # rows: the index stores each distinct row once.
    rng = np.random.RandomState(17)
    X = rng.randn(3030, 6)
    X[1000:3000] = X[0]
    X[3000:] = X[1]
    X_test = np.vstack([X[:5], X[2990:], rng.randn(20, 6)])
    for method in ("largest", "mean", "median"):
        _check_parity(KNN, "KNN", X, X_test, method=method)
    scores = []
    for algorithm in ("brute", "kd_tree"):
        detector = LOF(algorithm=algorithm).fit(X)
        scores.append((detector.decision_scores_, detector.decision_function(X_test)))
        assert np.all(np.isfinite(scores[-1][0]))
    np.testing.assert_array_equal(scores[0][0], scores[1][0])
    np.testing.assert_array_equal(scores[0][1], scores[1][1])


def test_algorithms_agree_exactly():
    X_train, X_test, _, _ = generate_data(n_train=800, n_test=200, n_features=5, random_state=11)
    scores = []
    for algorithm in ("auto", "brute", "kd_tree", "ball_tree"):
        detector = LOF(algorithm=algorithm, leaf_size=7).fit(X_train)
        scores.append((detector.decision_scores_, detector.decision_function(X_test)))
    for train, test in scores[1:]:
        np.testing.assert_array_equal(train, scores[0][0])
        np.testing.assert_array_equal(test, scores[0][1])


def test_lof_many_duplicates_stay_finite():
    # 30 copies of one row among 200 Gaussian rows, more copies than neighbours.
    rng = np.random.RandomState(0)
    X = np.vstack([rng.randn(200, 2), np.tile([[0.3, -0.2]], (30, 1))])
    detector = LOF(n_neighbors=20).fit(X)
    scores = detector.decision_scores_
    assert np.all(np.isfinite(scores))
    copies = scores[200:]
    assert np.all(copies == copies[0])
    assert copies[0] < np.median(scores[:200])
    assert detector.labels_[200:].sum() == 0
    require_pyod()
    from pyod.models.lof import LOF as Reference

    assert_scores_close(scores, Reference(n_neighbors=20).fit(X).decision_scores_)
    assert np.all(np.isfinite(detector.decision_function(X[195:215])))


def test_knn_neighbors_at_least_samples_raises():
    X = np.random.RandomState(1).randn(10, 3)
    with pytest.raises(ValueError, match=r"n_neighbors=10 must be smaller than the number of training samples \(10\)"):
        KNN(n_neighbors=10).fit(X)
    with pytest.raises(ValueError, match="at least 2 training samples"):
        KNN(n_neighbors=1).fit(X[:1])
    assert KNN(n_neighbors=9).fit(X).decision_scores_.shape == (10,)


def test_lof_neighbors_above_samples_warns_and_clamps():
    X = np.random.RandomState(2).randn(10, 3)
    with pytest.warns(UserWarning, match=r"n_neighbors \(25\) is larger than the number of training samples \(10\)"):
        detector = LOF(n_neighbors=25).fit(X)
    assert detector.n_neighbors_ == 9
    np.testing.assert_array_equal(detector.decision_scores_, LOF(n_neighbors=9).fit(X).decision_scores_)
    with pytest.raises(ValueError, match="at least 2 training samples"):
        LOF().fit(X[:1])


@pytest.mark.parametrize("cls", [KNN, LOF])
def test_integer_dtypes_match_float(cls):
    rng = np.random.RandomState(4)
    unsigned = rng.randint(0, 200, size=(150, 3)).astype(np.uint8)
    unsigned[rng.rand(150, 3) < 0.15] = 0
    expected = cls(n_neighbors=5).fit(unsigned.astype(np.float64))
    ours = cls(n_neighbors=5).fit(unsigned)
    np.testing.assert_array_equal(ours.decision_scores_, expected.decision_scores_)
    np.testing.assert_array_equal(ours.decision_function(unsigned[:20]), expected.decision_function(unsigned[:20].astype(float)))

    signed = (rng.randint(-300, 300, size=(150, 3))).astype(np.int16)
    np.testing.assert_array_equal(
        cls(n_neighbors=5).fit(signed).decision_scores_, cls(n_neighbors=5).fit(signed.astype(np.float64)).decision_scores_
    )


@pytest.mark.parametrize("cls", [KNN, LOF])
def test_sparse_input_is_rejected_with_advice(cls):
    X = sp.random(50, 4, density=0.5, format="csr", random_state=0)
    with pytest.raises(TypeError, match=r"scipy.sparse matrix.*toarray\(\)"):
        cls().fit(X)
    detector = cls().fit(X.toarray())
    with pytest.raises(TypeError, match="sparse"):
        detector.decision_function(X)


def test_float32_stays_float32_and_matches_float64():
    X_train, X_test, _, _ = generate_data(n_train=400, n_test=100, n_features=6, random_state=9)
    single = KNN(method="mean").fit(X_train.astype(np.float32))
    assert single.neighbors_.dtype_ == np.float32
    double = KNN(method="mean").fit(X_train.astype(np.float32).astype(np.float64))
    np.testing.assert_allclose(single.decision_scores_, double.decision_scores_, rtol=1e-12)
    np.testing.assert_allclose(single.decision_function(X_test), double.decision_function(X_test.astype(np.float32)), rtol=1e-12)


def test_pickle_after_two_threads_fit():
    X_train, X_test, _, _ = generate_data(n_train=300, n_test=60, n_features=3, random_state=12)
    for cls in (KNN, LOF):
        detector = cls(n_jobs=2).fit(X_train)
        restored = pickle.loads(pickle.dumps(detector))
        np.testing.assert_array_equal(restored.decision_function(X_test), detector.decision_function(X_test))


def test_invalid_parameters_name_the_value():
    X = np.random.RandomState(3).randn(30, 2)
    with pytest.raises(ValueError, match="method must be one of"):
        KNN(method="max").fit(X)
    with pytest.raises(ValueError, match="algorithm must be one of"):
        KNN(algorithm="annoy").fit(X)
    with pytest.raises(ValueError, match="p must be a number >= 1"):
        LOF(p=0.5).fit(X)
    with pytest.raises(TypeError, match="n_neighbors must be an integer"):
        LOF(n_neighbors=2.5).fit(X)
    with pytest.raises(ValueError, match="n_jobs must be a non-zero integer"):
        KNN(n_jobs=0).fit(X)
    with pytest.raises(ValueError, match="leaf_size must be a positive integer"):
        KNN(leaf_size=0).fit(X)


def test_pandas_input_records_feature_names():
    pd = pytest.importorskip("pandas")
    X_train, X_test, _, _ = generate_data(n_train=200, n_test=40, n_features=3, random_state=13)
    frame = pd.DataFrame(X_train, columns=["a", "b", "c"])
    detector = KNN().fit(frame)
    np.testing.assert_array_equal(detector.feature_names_in_, ["a", "b", "c"])
    np.testing.assert_array_equal(
        detector.decision_function(pd.DataFrame(X_test, columns=["a", "b", "c"])), detector.decision_function(X_test)
    )
    with pytest.raises(ValueError, match="column names of X differ"):
        detector.decision_function(pd.DataFrame(X_test, columns=["c", "b", "a"]))
    with pytest.raises(TypeError, match=r"non-numeric columns \['name'\]"):
        KNN().fit(frame.assign(name="x"))


def test_dataframe_with_bool_and_nullable_columns():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "a": np.arange(30, dtype=float),
            "flag": [True, False, True] * 10,
            "count": pd.array(list(range(30)), dtype="Int64"),
        }
    )
    expected = KNN().fit(frame.to_numpy(dtype=float)).decision_scores_
    np.testing.assert_array_equal(KNN().fit(frame).decision_scores_, expected)
    frame.loc[4, "count"] = None
    with pytest.raises(ValueError, match="NaN or infinite value"):
        KNN().fit(frame)


def test_ragged_rows_raise_clear_error():
    with pytest.raises(ValueError, match="every row must have the same number of values"):
        KNN().fit([[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match="n_jobs must be a non-zero integer"):
        KNN(n_jobs=2.5).fit(np.random.RandomState(0).randn(20, 2))


@pytest.mark.parametrize("cls", [KNN, LOF])
def test_n_jobs_beyond_c_int_uses_all_cores(cls):
    X, _ = generate_data(n_train=120, n_features=3, train_only=True, random_state=5)
    all_cores = cls(n_jobs=-1).fit(X)
    huge = cls(n_jobs=2**31).fit(X)
    np.testing.assert_array_equal(huge.decision_scores_, all_cores.decision_scores_)
    np.testing.assert_array_equal(huge.decision_function(X[:10]), all_cores.decision_function(X[:10]))
    with pytest.raises(ValueError, match=r"n_jobs=-1099511627776 is out of range"):
        cls(n_jobs=-(2**40)).fit(X)


@pytest.mark.parametrize("cls", [KNN, LOF])
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"metric": "seuclidean"}, ValueError, r"metric='seuclidean' needs metric_params with 'V'.*X\.var\(axis=0\)"),
        ({"metric": "mahalanobis"}, ValueError, r"metric='mahalanobis' needs metric_params with 'V' or 'VI'"),
        ({"metric_params": {"bogus": 1}}, TypeError, r"metric_params=\{'bogus': 1\} is invalid for metric='minkowski'"),
        (
            {"metric": "cosine", "metric_params": {"bogus": 1}},
            TypeError,
            r"metric_params=\{'bogus': 1\} is invalid for metric='cosine'",
        ),
    ],
)
def test_fallback_metric_errors_name_parameter(cls, kwargs, error, message):
    X, _ = generate_data(n_train=60, n_features=3, train_only=True, random_state=2)
    with pytest.raises(error, match=message):
        cls(**kwargs).fit(X)


@pytest.mark.parametrize("cls", [KNN, LOF])
def test_seuclidean_with_variance_matches_scaled_euclidean(cls):
    X, _ = generate_data(n_train=80, n_features=4, train_only=True, random_state=3)
    variance = X.var(axis=0)
    standardized = cls(metric="seuclidean", metric_params={"V": variance}).fit(X)
    scaled = cls(metric="euclidean").fit(X / np.sqrt(variance))
    np.testing.assert_allclose(standardized.decision_scores_, scaled.decision_scores_, rtol=1e-10)


@pytest.mark.parametrize("name, cls", [("KNN", KNN), ("LOF", LOF)])
def test_precomputed_matches_pyod(name, cls):
    from sklearn.metrics import pairwise_distances

    X_train, X_test, _, _ = generate_data(n_train=80, n_test=20, n_features=3, random_state=4)
    train_distances = pairwise_distances(X_train)
    test_distances = pairwise_distances(X_test, X_train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyOD's own deprecation warnings
        reference = _reference(name, metric="precomputed").fit(train_distances)
        expected_test = reference.decision_function(test_distances)

    ours = cls(metric="precomputed").fit(train_distances)
    np.testing.assert_allclose(ours.decision_scores_, reference.decision_scores_, rtol=1e-10)
    np.testing.assert_allclose(ours.decision_function(test_distances), expected_test, rtol=1e-10)
    euclidean = cls().fit(X_train)
    np.testing.assert_allclose(ours.decision_scores_, euclidean.decision_scores_, rtol=1e-10)


@pytest.mark.parametrize("cls", [KNN, LOF])
def test_precomputed_rejects_feature_rows(cls):
    X, _ = generate_data(n_train=60, n_features=3, train_only=True, random_state=6)
    with pytest.raises(ValueError, match=r"metric='precomputed' expects X to be the square matrix.*shape \(60, 3\)"):
        cls(metric="precomputed").fit(X)

    square = np.random.RandomState(0).randn(60, 60)
    with pytest.raises(ValueError, match=r"metric='precomputed' expects X to contain distances, which are >= 0"):
        cls(metric="precomputed").fit(square)

    fitted = cls(metric="precomputed").fit(np.abs(square))
    with pytest.raises(ValueError, match=r"expects X to contain distances.*X\[0, 0\] is -1\.0"):
        fitted.decision_function(-np.ones((2, 60)))


@pytest.mark.parametrize("cls", [KNN, LOF])
@pytest.mark.parametrize("algorithm", ["auto", "brute"])
@pytest.mark.parametrize("value", [-1.0, np.nan])
def test_callable_metric_with_invalid_distances_names_the_metric(cls, algorithm, value):
    # A callable metric that returns a negative or NaN distance must not give
    # scikit-learn's SystemError, a reshape error or silent negative scores.
    X = np.random.RandomState(0).randn(50, 3)
    with pytest.raises(ValueError, match=r"metric=<function .*a metric must return a non-negative, finite distance"):
        cls(metric=lambda a, b: value, algorithm=algorithm).fit(X)


def test_valid_callable_metric_matches_the_builtin_one():
    X = np.random.RandomState(1).randn(60, 3)
    custom = KNN(metric=lambda a, b: float(np.abs(a - b).sum())).fit(X)
    builtin = KNN(metric="manhattan").fit(X)
    np.testing.assert_allclose(custom.decision_scores_, builtin.decision_scores_, rtol=1e-12)
