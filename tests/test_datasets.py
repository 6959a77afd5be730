"""Tests of the benchmark file readers and the built-in outlier sets."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_digits, load_wine

from pyod_fast.datasets import (
    BUILTIN_DATASETS,
    find_dataset_files,
    load_breast_cancer_outliers,
    load_builtin_dataset,
    load_dataset_file,
    load_digits_outliers,
    load_wine_outliers,
)


@pytest.mark.parametrize(
    ("name", "n_samples", "n_features", "n_outliers"),
    [("breast_cancer", 378, 30, 21), ("wine", 129, 13, 10), ("digits", 1669, 64, 50)],
)
def test_builtin_shapes_and_outlier_counts(name, n_samples, n_features, n_outliers):
    X, y = load_builtin_dataset(name)
    assert X.shape == (n_samples, n_features)
    assert X.dtype == np.float64
    assert y.shape == (n_samples,)
    assert set(np.unique(y)) == {0, 1}
    assert int(y.sum()) == n_outliers


@pytest.mark.parametrize(
    ("builder", "loader", "inlier_classes", "outlier_class"),
    [
        (load_breast_cancer_outliers, load_breast_cancer, [1], 0),
        (load_wine_outliers, load_wine, [1, 2], 0),
        (load_digits_outliers, load_digits, list(range(1, 10)), 0),
    ],
)
def test_builtin_rows_come_from_the_right_classes(builder, loader, inlier_classes, outlier_class):
    data = loader()
    X, y = builder()

    # Every inlier-class row is kept, in scikit-learn's order.
    expected_inliers = data.data[np.isin(data.target, inlier_classes)]
    np.testing.assert_array_equal(X[y == 0], expected_inliers)

    # Every outlier row is a distinct row of the outlier class.
    outlier_pool = data.data[data.target == outlier_class]
    for row in X[y == 1]:
        assert np.any(np.all(outlier_pool == row, axis=1))
    assert np.unique(X[y == 1], axis=0).shape[0] == int(y.sum())


def test_builtin_seed_controls_outlier_sample():
    X_a, y_a = load_breast_cancer_outliers(random_state=0)
    X_b, y_b = load_breast_cancer_outliers(random_state=0)
    X_c, _ = load_breast_cancer_outliers(random_state=1)
    np.testing.assert_array_equal(X_a, X_b)
    np.testing.assert_array_equal(y_a, y_b)
    assert not np.array_equal(X_a, X_c)


def test_builtin_n_outliers_parameter():
    X, y = load_wine_outliers(n_outliers=59)
    assert X.shape == (178, 13)
    assert int(y.sum()) == 59


@pytest.mark.parametrize("n_outliers", [0, 60])
def test_builtin_n_outliers_out_of_range(n_outliers):
    with pytest.raises(ValueError, match=r"n_outliers must lie in \[1, 59\]"):
        load_wine_outliers(n_outliers=n_outliers)


def test_builtin_unknown_name():
    with pytest.raises(ValueError, match="unknown built-in data set 'iris'.*breast_cancer"):
        load_builtin_dataset("iris")


def test_builtin_registry_names():
    assert list(BUILTIN_DATASETS) == ["breast_cancer", "wine", "digits"]


def test_npz_round_trip(tmp_path):
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    y = np.array([[0], [1], [0], [0]])
    np.savez(tmp_path / "small.npz", X=X, y=y)
    X_read, y_read = load_dataset_file(tmp_path / "small.npz")
    np.testing.assert_array_equal(X_read, X)
    assert X_read.dtype == np.float32
    np.testing.assert_array_equal(y_read, [0, 1, 0, 0])


def test_mat_round_trip(tmp_path):
    from scipy.io import savemat

    X = np.arange(10.0).reshape(5, 2)
    savemat(tmp_path / "small.mat", {"X": X, "y": np.array([[0], [0], [1], [0], [1]])})
    X_read, y_read = load_dataset_file(tmp_path / "small.mat")
    np.testing.assert_array_equal(X_read, X)
    np.testing.assert_array_equal(y_read, [0, 0, 1, 0, 1])


def test_file_reader_rejects_other_suffix(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="expected an ODDS .mat or an ADBench .npz file"):
        load_dataset_file(path)


def test_file_reader_missing_y(tmp_path):
    np.savez(tmp_path / "no_labels.npz", X=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="has no y entry"):
        load_dataset_file(tmp_path / "no_labels.npz")


def test_find_files_in_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    np.savez(tmp_path / "b.npz", X=np.zeros((2, 2)), y=np.zeros(2))
    np.savez(tmp_path / "sub" / "a.npz", X=np.zeros((2, 2)), y=np.zeros(2))
    (tmp_path / "notes.txt").write_text("not data")
    found = find_dataset_files(tmp_path)
    assert [p.name for p in found] == ["b.npz", "a.npz"]


def test_find_files_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="no data file or folder"):
        find_dataset_files(tmp_path / "absent")
