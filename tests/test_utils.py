"""Utility functions against PyOD's and hand-computed values."""

import warnings

import numpy as np
import pytest

from pyod_fast.utils import utility
from pyod_fast.utils.data import evaluate_print, get_outliers_inliers


def test_precision_n_scores_by_hand():
    y = np.array([0, 0, 1, 0, 1, 0])
    scores = np.array([0.1, 0.2, 0.9, 0.3, 0.4, 0.8])
    # Two outliers, so the top two scores (0.9 and 0.8) are labelled: one is right.
    np.testing.assert_array_equal(utility.get_label_n(y, scores), [0, 0, 1, 0, 0, 1])
    assert utility.precision_n_scores(y, scores) == 0.5
    assert utility.precision_n_scores(y, scores, n=3) == pytest.approx(2 / 3)


def test_standardizer_uses_fit_statistics():
    X = np.array([[1.0, 10.0], [3.0, 30.0]])
    X_t = np.array([[2.0, 20.0]])
    scaled, scaled_t, scaler = utility.standardizer(X, X_t, keep_scalar=True)
    np.testing.assert_allclose(scaled, [[-1.0, -1.0], [1.0, 1.0]])
    np.testing.assert_allclose(scaled_t, [[0.0, 0.0]])
    np.testing.assert_allclose(scaler.mean_, [2.0, 20.0])
    with pytest.raises(ValueError, match="X has 2 features but X_t has 1"):
        utility.standardizer(X, X_t[:, :1])


def test_check_parameter_bounds():
    assert utility.check_parameter(0.5, 0, 1, param_name="alpha")
    with pytest.raises(ValueError, match=r"alpha must lie in \(0, 1\), got 1"):
        utility.check_parameter(1, 0, 1, param_name="alpha")
    assert utility.check_parameter(1, 0, 1, include_right=True)
    with pytest.raises(TypeError, match="must be a number"):
        utility.check_parameter("1", 0, 1)


def test_helpers_match_pyod():
    pytest.importorskip("pyod")
    from pyod.utils import utility as reference

    rng = np.random.RandomState(0)
    values = rng.rand(50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for order in ("desc", "asc"):
            np.testing.assert_array_equal(utility.argmaxn(values, 7, order), reference.argmaxn(values, 7, order))
        np.testing.assert_array_equal(utility.score_to_label(values, 0.2), reference.score_to_label(values, 0.2))
        for method in ("multiplication", "subtraction"):
            np.testing.assert_array_equal(utility.invert_order(values, method), reference.invert_order(values, method))
        for seed in range(3):
            for bootstrap in (False, True):
                np.testing.assert_array_equal(
                    utility.generate_bagging_indices(seed, bootstrap, 20, 3, 10),
                    reference.generate_bagging_indices(seed, bootstrap, 20, 3, 10),
                )
    assert sorted(utility.get_diff_elements([1, 2, 3], [2, 3, 4])) == [1, 4]
    assert sorted(utility.get_intersection([1, 2, 3], [2, 3, 4])) == [2, 3]
    assert utility.get_list_diff([1, 2, 3], [2, 3, 4]) == [1]


def test_evaluate_print_output(capsys):
    y = np.array([0, 0, 1, 1])
    evaluate_print("KNN", y, np.array([0.1, 0.2, 0.8, 0.9]))
    assert capsys.readouterr().out.strip() == "KNN ROC:1.0, precision @ rank n:1.0"


def test_get_outliers_inliers_splits_rows():
    X = np.arange(8).reshape(4, 2)
    outliers, inliers = get_outliers_inliers(X, np.array([0, 1, 0, 1]))
    np.testing.assert_array_equal(outliers, [[2, 3], [6, 7]])
    np.testing.assert_array_equal(inliers, [[0, 1], [4, 5]])


def test_check_n_jobs_clamps_to_cores():
    from pyod_fast import _core
    from pyod_fast.utils.validation import check_n_jobs

    cores = _core.max_threads()
    assert check_n_jobs(-1) == cores
    assert check_n_jobs(cores + 1) == cores
    # Larger than a C int: the compiled core cannot take it as is.
    assert check_n_jobs(2**31) == cores
    assert check_n_jobs(2**70) == cores
    assert check_n_jobs(np.int64(2**40)) == cores
    assert check_n_jobs(None) == 1
    assert check_n_jobs(1) == 1
    # As in joblib, counting back past the first core leaves one thread.
    assert check_n_jobs(-(cores + 5)) == 1


@pytest.mark.parametrize("n_jobs", [-(2**31) - 1, -(2**40)])
def test_check_n_jobs_rejects_huge_negative(n_jobs):
    from pyod_fast.utils.validation import check_n_jobs

    with pytest.raises(ValueError, match=rf"n_jobs={n_jobs} is out of range.*use -1 or a positive thread count"):
        check_n_jobs(n_jobs)


def test_missing_compiled_module_names_the_source_folder(tmp_path):
    # A copy of the package without its compiled module, found first because
    # Python runs in its parent folder. The import error must explain that.
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import pyod_fast
    from pyod_fast import _core

    package = Path(pyod_fast.__file__).parent
    if Path(_core.__file__).parent != package:
        pytest.skip("editable install: its import hook finds the compiled module for any copy of the package")
    shutil.copytree(
        package,
        tmp_path / "pyod_fast",
        ignore=shutil.ignore_patterns("_core*.so", "_core*.pyd", "__pycache__"),
    )
    result = subprocess.run(
        [sys.executable, "-c", "from pyod_fast.models.knn import KNN"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "imported the source folder instead of the installed package" in result.stderr
