"""Tests of the pyod-fast command line, run in-process through main() and
once as ``python -m pyod_fast`` in a child process."""

import csv
import json
import subprocess
import sys
import types

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from conftest import require_pyod
from pyod_fast import __version__, benchmark
from pyod_fast.cli import CommandError, format_table, main, read_numeric_csv
from pyod_fast.datasets import load_breast_cancer_outliers
from pyod_fast.models.knn import KNN
from pyod_fast.utils.utility import standardizer

TABLE_COLUMNS = ["dataset", "n", "d", "detector", "AUC", "P@n", "fit s", "predict s"]


def read_csv_rows(path):
    with open(path, newline="") as stream:
        return list(csv.DictReader(stream))


def write_csv(path, header, rows):
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def planted_outlier_data(n_inliers=190, n_outliers=10, seed=0):
    """Standard Gaussian inliers in 3-D plus ``n_outliers`` scattered points at radius 8 (the last rows)."""
    rng = np.random.default_rng(seed)
    inliers = rng.normal(size=(n_inliers, 3))
    directions = rng.normal(size=(n_outliers, 3))
    outliers = 8.0 * directions / np.linalg.norm(directions, axis=1, keepdims=True)
    return np.vstack([inliers, outliers])


@pytest.fixture
def fake_detectors(monkeypatch):
    """Register a detector whose import fails and one whose fit fails."""

    class BrokenDetector(KNN):
        def fit(self, X, y=None):
            raise ValueError("this detector always fails")

    module = types.ModuleType("fake_pyod_fast_detectors")
    module.BrokenDetector = BrokenDetector
    monkeypatch.setitem(sys.modules, "fake_pyod_fast_detectors", module)
    monkeypatch.setitem(benchmark.DETECTORS, "missing", ("pyod_fast.models.not_a_module", "Missing"))
    monkeypatch.setitem(benchmark.DETECTORS, "broken", ("fake_pyod_fast_detectors", "BrokenDetector"))


# -- benchmark ------------------------------------------------------------------------------
def test_benchmark_table_and_csv(tmp_path, capsys):
    output = tmp_path / "results.csv"
    status = main(
        ["benchmark", "--builtin", "breast_cancer", "--detectors", "knn,lof", "--n-splits", "2", "--output", str(output)]
    )
    captured = capsys.readouterr()
    assert status == 0

    lines = captured.out.strip().splitlines()
    assert lines[0].split("  ")[0].strip() == "dataset"
    for column in TABLE_COLUMNS:
        assert column in lines[0]
    assert "PyOD AUC" not in lines[0]
    assert len(lines) == 3
    assert lines[1].split()[:4] == ["breast_cancer", "378", "30", "knn"]
    assert lines[2].split()[:4] == ["breast_cancer", "378", "30", "lof"]

    rows = read_csv_rows(output)
    assert [row["detector"] for row in rows] == ["knn", "lof"]
    for row in rows:
        assert row["dataset"] == "breast_cancer"
        assert int(row["n_samples"]) == 378
        assert int(row["n_features"]) == 30
        assert int(row["n_outliers"]) == 21
        assert int(row["n_splits"]) == 2
        assert 0.5 < float(row["auc"]) <= 1.0
        assert 0.0 <= float(row["p_at_n"]) <= 1.0
        assert float(row["fit_s"]) > 0.0
        assert float(row["predict_s"]) > 0.0
        assert row["error"] == ""
    assert "pyod_auc" not in rows[0]


def test_benchmark_auc_matches_protocol(tmp_path):
    """The reported AUC equals an independent run of the documented protocol."""
    output = tmp_path / "results.csv"
    assert main(["benchmark", "--builtin", "breast_cancer", "--detectors", "knn", "--n-splits", "2",
                 "--seed", "3", "-q", "--output", str(output)]) == 0
    reported = float(read_csv_rows(output)[0]["auc"])

    X, y = load_breast_cancer_outliers()
    aucs = []
    for split_seed in (3, 4):
        X_train, X_test, _, y_test = train_test_split(X, y, test_size=0.4, random_state=split_seed)
        X_train, X_test = standardizer(X_train, X_test)
        detector = KNN(contamination=21 / 378).fit(X_train)
        aucs.append(roc_auc_score(y_test, detector.decision_function(X_test)))
    assert reported == pytest.approx(np.mean(aucs), rel=1e-12)


def test_benchmark_json_output(tmp_path, capsys):
    output = tmp_path / "results.json"
    status = main(["benchmark", "--builtin", "wine,breast_cancer", "--detectors", "knn", "--n-splits", "2",
                   "--stratify", "--n-jobs", "2", "--output", str(output)])
    assert status == 0
    document = json.loads(output.read_text())
    assert document["settings"] == {
        "n_splits": 2, "test_size": 0.4, "seed": 0, "n_jobs": 2, "stratify": True, "compare": None,
    }
    assert document["environment"]["pyod_fast"] == __version__
    results = document["results"]
    assert [(r["dataset"], r["detector"]) for r in results] == [("wine", "knn"), ("breast_cancer", "knn")]
    assert results[0]["n_samples"] == 129
    assert results[0]["n_features"] == 13
    for result in results:
        assert 0.5 < result["auc"] <= 1.0
        assert result["auc_std"] >= 0.0
        assert result["fit_s"] > 0.0

    stderr = capsys.readouterr().err
    assert "[1/2] wine knn" in stderr
    assert "[2/2] breast_cancer knn" in stderr


def test_benchmark_data_npz_file_and_folder(tmp_path, capsys):
    X = planted_outlier_data()
    y = np.r_[np.zeros(190, dtype=int), np.ones(10, dtype=int)]
    folder = tmp_path / "sets"
    folder.mkdir()
    np.savez(folder / "planted.npz", X=X, y=y)
    np.savez(tmp_path / "single.npz", X=X[:, :2], y=y)
    output = tmp_path / "results.csv"

    status = main(["benchmark", "--data", str(folder), "--data", str(tmp_path / "single.npz"),
                   "--detectors", "knn", "--n-splits", "2", "--stratify", "-q", "--output", str(output)])
    assert status == 0
    out = capsys.readouterr().out
    assert "breast_cancer" not in out  # --data replaces the built-in sets

    rows = read_csv_rows(output)
    assert [row["dataset"] for row in rows] == ["planted", "single"]
    assert [int(row["n_features"]) for row in rows] == [3, 2]
    for row in rows:
        assert int(row["n_samples"]) == 200
        assert int(row["n_outliers"]) == 10
        assert float(row["auc"]) > 0.99  # the planted points lie far outside the Gaussian


def test_benchmark_split_without_outliers(tmp_path, capsys):
    """Without --stratify, split seed 0 puts none of the 10 outliers in the test part."""
    X = planted_outlier_data()
    y = np.r_[np.zeros(190, dtype=int), np.ones(10, dtype=int)]
    np.savez(tmp_path / "planted.npz", X=X, y=y)
    output = tmp_path / "results.csv"
    assert main(["benchmark", "--data", str(tmp_path / "planted.npz"), "--detectors", "knn", "--n-splits", "2",
                 "-q", "--output", str(output)]) == 0
    assert "split seed 0 has a test part with one class" in capsys.readouterr().err

    # The means come from split seed 1 alone.
    X_train, X_test, _, y_test = train_test_split(X, y, test_size=0.4, random_state=1)
    X_train, X_test = standardizer(X_train, X_test)
    expected = roc_auc_score(y_test, KNN(contamination=0.05).fit(X_train).decision_function(X_test))
    row = read_csv_rows(output)[0]
    assert float(row["auc"]) == pytest.approx(expected, rel=1e-12)
    assert float(row["auc_std"]) == 0.0


def test_benchmark_data_plus_builtin(tmp_path):
    X = planted_outlier_data()
    y = np.r_[np.zeros(190, dtype=int), np.ones(10, dtype=int)]
    np.savez(tmp_path / "planted.npz", X=X, y=y)
    output = tmp_path / "results.csv"
    assert main(["benchmark", "--data", str(tmp_path / "planted.npz"), "--builtin", "wine", "--detectors", "knn",
                 "--n-splits", "2", "-q", "--output", str(output)]) == 0
    assert [row["dataset"] for row in read_csv_rows(output)] == ["wine", "planted"]


def test_benchmark_compare_pyod(tmp_path, capsys):
    require_pyod()
    output = tmp_path / "results.csv"
    status = main(["benchmark", "--builtin", "wine", "--detectors", "knn", "--n-splits", "2", "--compare", "pyod",
                   "-q", "--output", str(output)])
    assert status == 0
    header = capsys.readouterr().out.splitlines()[0]
    for column in ["PyOD AUC", "PyOD P@n", "PyOD fit s", "PyOD predict s", "speedup", "AUC diff"]:
        assert column in header

    row = read_csv_rows(output)[0]
    # KNN is deterministic, so both libraries give the same AUC on the same splits.
    assert float(row["pyod_auc"]) == pytest.approx(float(row["auc"]), rel=1e-9)
    assert abs(float(row["auc_diff"])) < 1e-9
    assert float(row["pyod_fit_s"]) > 0.0
    assert float(row["speedup"]) > 0.0
    assert row["pyod_error"] == ""


def test_benchmark_compare_without_pyod(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyod", None)  # makes "import pyod" raise ImportError
    status = main(["benchmark", "--builtin", "wine", "--detectors", "knn", "--compare", "pyod"])
    assert status == 2
    assert "--compare pyod needs the pyod package" in capsys.readouterr().err


def test_benchmark_skips_unimportable_detector(fake_detectors, tmp_path, capsys):
    output = tmp_path / "results.csv"
    status = main(["benchmark", "--builtin", "wine", "--detectors", "missing,knn", "--n-splits", "2",
                   "--output", str(output)])
    assert status == 0
    err = capsys.readouterr().err
    assert "skipping detector missing" in err
    assert [row["detector"] for row in read_csv_rows(output)] == ["knn"]


def test_benchmark_no_importable_detector(fake_detectors, capsys):
    status = main(["benchmark", "--builtin", "wine", "--detectors", "missing"])
    assert status == 2
    assert "none of the requested detectors can be imported" in capsys.readouterr().err


def test_benchmark_failing_detector_row(fake_detectors, tmp_path, capsys):
    output = tmp_path / "results.json"
    status = main(["benchmark", "--builtin", "wine", "--detectors", "broken,knn", "--n-splits", "2",
                   "--output", str(output)])
    assert status == 0
    captured = capsys.readouterr()
    assert "pyod_fast broken failed on wine" in captured.err
    broken_line = captured.out.splitlines()[1].split()
    assert broken_line[3] == "broken"
    assert broken_line[4:8] == ["-", "-", "-", "-"]

    results = json.loads(output.read_text())["results"]
    assert results[0]["auc"] is None
    assert results[0]["error"] == "ValueError: this detector always fails"
    assert 0.5 < results[1]["auc"] <= 1.0


def test_benchmark_quiet_hides_progress(capsys):
    assert main(["benchmark", "--builtin", "wine", "--detectors", "knn", "--n-splits", "2", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines()[1].split()[:4] == ["wine", "129", "13", "knn"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--detectors", "knn,nope"], "unknown detector 'nope': choose from knn, lof, hbos, copod, ecod, iforest"),
        (["--builtin", "iris"], "unknown built-in data set iris"),
        (["--output", "results.txt"], "must end in .csv or .json"),
        (["--data", "no/such/folder"], "no data file or folder"),
        (["--n-splits", "0"], "expected a positive integer"),
        (["--n-jobs", "0"], "expected a non-zero integer"),
    ],
)
def test_benchmark_usage_errors(arguments, message, capsys):
    status = main(["benchmark", *arguments])
    err = capsys.readouterr().err
    assert status == 2
    assert message in err
    assert "Traceback" not in err


def test_benchmark_empty_data_folder(tmp_path, capsys):
    assert main(["benchmark", "--data", str(tmp_path), "--detectors", "knn"]) == 2
    assert "no .mat or .npz file found" in capsys.readouterr().err


def test_benchmark_data_without_outliers(tmp_path, capsys):
    np.savez(tmp_path / "clean.npz", X=planted_outlier_data(), y=np.zeros(200, dtype=int))
    assert main(["benchmark", "--data", str(tmp_path / "clean.npz"), "--detectors", "knn"]) == 2
    assert "data set 'clean' has 0 outliers in 200 rows: ROC AUC needs both classes" in capsys.readouterr().err


def test_format_table_compare_columns():
    row = {
        "dataset": "toy", "n_samples": 10, "n_features": 2, "detector": "knn", "auc": 0.9, "p_at_n": 0.5,
        "fit_s": 0.001, "predict_s": 0.002, "pyod_auc": 0.9, "pyod_p_at_n": 0.5, "pyod_fit_s": 0.01,
        "pyod_predict_s": 0.02, "speedup": 10.0, "auc_diff": 0.0,
    }
    lines = format_table([row], compare=True).splitlines()
    assert lines[1].split() == ["toy", "10", "2", "knn", "0.9000", "0.5000", "0.0010", "0.0020",
                                "0.9000", "0.5000", "0.0100", "0.0200", "10.0x", "0.0000"]


def test_make_detector_passes_accepted_parameters():
    class Seeded(KNN):
        def __init__(self, contamination=0.1, random_state=None):
            super().__init__(contamination=contamination)
            self.random_state = random_state

    knn = benchmark.make_detector(KNN, contamination=0.2, n_jobs=2, random_state=7)
    assert knn.contamination == 0.2
    assert knn.n_jobs == 2
    seeded = benchmark.make_detector(Seeded, contamination=0.3, n_jobs=2, random_state=7)
    assert seeded.random_state == 7
    assert seeded.n_jobs == 1  # Seeded.__init__ takes no n_jobs, so KNN's default stays


def test_load_detector_class_reference():
    require_pyod()
    from pyod.models.lof import LOF as PyodLOF

    from pyod_fast.models.lof import LOF

    assert benchmark.load_detector_class("lof") is LOF
    assert benchmark.load_detector_class("lof", reference=True) is PyodLOF
    with pytest.raises(ValueError, match="unknown detector 'nope'"):
        benchmark.load_detector_class("nope")


# -- detect ---------------------------------------------------------------------------------
def test_detect_writes_scores(tmp_path, capsys):
    X = planted_outlier_data()
    input_path = write_csv(tmp_path / "points.csv", ["a", "b", "c"], X.tolist())
    output = tmp_path / "scores.csv"
    status = main(["detect", str(input_path), "--detector", "knn", "--contamination", "0.05",
                   "--output", str(output)])
    assert status == 0
    assert capsys.readouterr().out == ""

    rows = read_csv_rows(output)
    assert list(rows[0]) == ["score", "label", "confidence"]
    assert len(rows) == 200
    scores = np.array([float(row["score"]) for row in rows])
    labels = np.array([int(row["label"]) for row in rows])
    confidence = np.array([float(row["confidence"]) for row in rows])

    assert np.all(np.isfinite(scores))
    assert set(np.unique(labels)) == {0, 1}
    assert 9 <= labels.sum() <= 11  # about 5 % of 200 rows
    assert np.all(labels[-10:] == 1)  # the planted outliers
    assert np.all((confidence >= 0.0) & (confidence <= 1.0))

    reference = KNN(contamination=0.05).fit(X)
    np.testing.assert_allclose(scores, reference.decision_scores_, rtol=1e-12)
    np.testing.assert_array_equal(labels, reference.labels_)


def test_detect_to_stdout(tmp_path, capsys):
    X = planted_outlier_data(n_inliers=95, n_outliers=5)
    input_path = write_csv(tmp_path / "points.csv", ["x", "y", "z"], X.tolist())
    assert main(["detect", str(input_path), "--detector", "lof", "--n-jobs", "2"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "score,label,confidence"
    assert len(lines) == 101
    assert sum(int(line.split(",")[1]) for line in lines[1:]) == 10  # default contamination 0.1
    assert "fitting lof on 100 rows x 3 columns" in captured.err


def test_detect_n_jobs_beyond_c_int(tmp_path, capsys):
    X = planted_outlier_data(n_inliers=95, n_outliers=5)
    input_path = write_csv(tmp_path / "points.csv", ["x", "y", "z"], X.tolist())
    assert main(["detect", str(input_path), "--detector", "knn", "--n-jobs", "99999999999", "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    scores = np.array([float(line.split(",")[0]) for line in lines[1:]])
    np.testing.assert_allclose(scores, KNN().fit(X).decision_scores_, rtol=1e-12)


def test_detect_non_numeric_columns(tmp_path, capsys):
    rows = [[1.0, "x", 3.0, "a"] for _ in range(5)]
    rows[0][1] = 2.0
    rows[2][3] = ""
    for row in rows[:2]:
        row[3] = 1.0
    input_path = write_csv(tmp_path / "mixed.csv", ["num", "name", "other", "gap"], rows)
    status = main(["detect", str(input_path), "--detector", "knn"])
    err = capsys.readouterr().err
    assert status == 2
    assert "column 'name' has 'x' in data row 2 (line 3)" in err
    assert "column 'gap' has '' in data row 3 (line 4)" in err
    assert "'num'" not in err
    assert "Traceback" not in err


def test_detect_nan_value(tmp_path, capsys):
    input_path = write_csv(tmp_path / "nan.csv", ["a", "b"], [[1, 2], [3, "nan"], [5, 6]])
    assert main(["detect", str(input_path), "--detector", "knn"]) == 2
    assert "column 'b' has 'nan' in data row 2" in capsys.readouterr().err


def test_read_csv_quoted_and_blank_lines(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('a,"b"\r\n"1.5",2\r\n\r\n3,"4e-1"\r\n')
    names, X = read_numeric_csv(path)
    assert names == ["a", "b"]
    np.testing.assert_array_equal(X, [[1.5, 2.0], [3.0, 0.4]])


def test_read_csv_single_column(tmp_path):
    path = tmp_path / "column.csv"
    path.write_text("value\n1\n2\n3\n")
    names, X = read_numeric_csv(path)
    assert names == ["value"]
    assert X.shape == (3, 1)


def test_read_csv_row_number_skips_blank_lines(tmp_path):
    path = tmp_path / "gap.csv"
    path.write_text("a,b\n1,2\n\n3,x\n")
    with pytest.raises(CommandError, match=r"column 'b' has 'x' in data row 2 \(line 4\)"):
        read_numeric_csv(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("a,b\n", "has a header but no data rows"),
        ("a,b\n1,2\n3\n", "line 3 has 1 fields but the header has 2 columns"),
    ],
)
def test_detect_malformed_files(tmp_path, capsys, content, message):
    path = tmp_path / "input.csv"
    path.write_text(content)
    assert main(["detect", str(path), "--detector", "knn"]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--detector", "nope"], "unknown detector 'nope': choose from knn, lof, hbos, copod, ecod, iforest"),
        (["--detector", "knn", "--contamination", "0.7"], "--contamination must lie in (0, 0.5], got 0.7"),
        (["--detector", "knn", "--contamination", "0"], "--contamination must lie in (0, 0.5], got 0.0"),
    ],
)
def test_detect_bad_options(tmp_path, capsys, arguments, message):
    input_path = write_csv(tmp_path / "points.csv", ["a", "b", "c"], planted_outlier_data().tolist())
    assert main(["detect", str(input_path), *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_detect_missing_file(tmp_path, capsys):
    assert main(["detect", str(tmp_path / "absent.csv"), "--detector", "knn"]) == 2
    assert "input file" in capsys.readouterr().err


def test_detect_folder_input(tmp_path, capsys):
    assert main(["detect", str(tmp_path), "--detector", "knn"]) == 2
    err = capsys.readouterr().err
    assert f"input {str(tmp_path)!r} is a folder: expected a CSV file" in err
    assert "not found" not in err


def test_detect_non_utf8_input(tmp_path, capsys):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"a,b\n1,2\n\x80,3\n")
    assert main(["detect", str(path), "--detector", "knn"]) == 2
    err = capsys.readouterr().err
    assert f"input file {str(path)!r} is not valid UTF-8 text (byte 0x80 at offset 8)" in err
    assert "Traceback" not in err


def test_detect_output_is_input(tmp_path, capsys):
    input_path = write_csv(tmp_path / "points.csv", ["a", "b", "c"], planted_outlier_data().tolist())
    before = input_path.read_bytes()
    status = main(["detect", str(input_path), "--detector", "knn", "--output", str(tmp_path / "." / "points.csv")])
    assert status == 2
    assert "is the input file, which writing the scores would overwrite" in capsys.readouterr().err
    assert input_path.read_bytes() == before


@pytest.mark.filterwarnings("default")  # as outside pytest, where warnings are shown, not raised
def test_detect_warning_one_line(tmp_path, capsys):
    input_path = write_csv(tmp_path / "tiny.csv", ["a", "b", "c"], planted_outlier_data(n_inliers=9, n_outliers=1).tolist())
    assert main(["detect", str(input_path), "--detector", "lof"]) == 0
    err_lines = capsys.readouterr().err.splitlines()
    expected = "UserWarning: n_neighbors (20) is larger than the number of training samples (10); using n_neighbors = 9"
    assert expected in err_lines
    assert not any("cli.py" in line for line in err_lines)
    assert not any("warnings.warn" in line for line in err_lines)


def test_detect_quiet_hides_warnings(tmp_path, capsys):
    input_path = write_csv(tmp_path / "tiny.csv", ["a", "b", "c"], planted_outlier_data(n_inliers=9, n_outliers=1).tolist())
    assert main(["detect", str(input_path), "--detector", "lof", "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert len(captured.out.splitlines()) == 11


def test_detect_too_few_rows(tmp_path, capsys):
    input_path = write_csv(tmp_path / "tiny.csv", ["a", "b"], [[1, 2], [3, 4], [5, 7]])
    assert main(["detect", str(input_path), "--detector", "knn"]) == 2
    err = capsys.readouterr().err
    assert "fitting knn on" in err
    assert "failed" in err
    assert "n_neighbors" in err


# -- version, help, child process -----------------------------------------------------------
def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"pyod-fast {__version__}"


def test_help_names_units(capsys):
    assert main(["benchmark", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "number of random train/test splits per data set (count; default: 5)" in text
    assert "times are mean seconds per split" in text
    assert "threads per detector" in text


def test_missing_command(capsys):
    assert main([]) == 2
    assert "required" in capsys.readouterr().err


def test_module_entry_point(tmp_path):
    input_path = write_csv(tmp_path / "points.csv", ["a", "b", "c"], planted_outlier_data().tolist())
    # Run outside the repository: "python -m" puts the working folder first on
    # sys.path, and the source folder has no compiled module after "pip install .".
    done = subprocess.run(
        [sys.executable, "-m", "pyod_fast", "detect", str(input_path), "--detector", "knn", "-q"],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == "score,label,confidence"
    assert len(lines) == 201

    failed = subprocess.run(
        [sys.executable, "-m", "pyod_fast", "detect", str(tmp_path / "absent.csv"), "--detector", "knn"],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )
    assert failed.returncode == 2
    assert failed.stderr.startswith("pyod-fast detect: error: input file")
    assert "Traceback" not in failed.stderr


def test_unreadable_data_file_is_a_usage_error(tmp_path, capsys):
    garbage = tmp_path / "garbage.mat"
    garbage.write_bytes(b"this is not a MATLAB file")
    assert main(["benchmark", "--data", str(garbage), "--quiet"]) == 2
    assert "could not read" in capsys.readouterr().err


def test_output_in_missing_folder_fails_before_work(tmp_path, capsys):
    csv_path = tmp_path / "in.csv"
    csv_path.write_text("a,b\n" + "\n".join(f"{i},{i % 7}" for i in range(30)) + "\n")
    assert main(["detect", str(csv_path), "--detector", "knn", "--output", str(tmp_path / "nope" / "x.csv")]) == 2
    assert "the folder does not exist" in capsys.readouterr().err
