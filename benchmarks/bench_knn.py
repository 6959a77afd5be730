"""Benchmark exact kNN search and the KNN and LOF detectors against PyOD.

Protocol
--------
Everything runs in one process, one size after the other:

* Data: ``pyod_fast.utils.data.generate_data`` with 10% outliers,
  ``n_test = n_train // 5`` and ``random_state=42``; by default
  n_train = 10,000 and 50,000 at d = 16 and 200,000 at d = 4. ``--real NAME``
  adds one ODDS or ADBench file from the shared data folder, split at random
  into a training part and a test part of a fifth of its size.
* Detectors, all with default parameters and ``n_jobs`` from ``--n-jobs``
  (default -1, all cores): pyod_fast KNN and LOF beside PyOD's KNN and LOF,
  which wrap scikit-learn. scikit-learn itself runs ``NearestNeighbors``
  (fit, then ``kneighbors()`` on the training set, as PyOD's KNN does) and
  ``LocalOutlierFactor(novelty=True)``.
* Raw search, k = 5 on float64 data: the neighbours of every training row
  (itself excluded) and of every test row, by the pyod_fast index, by
  scikit-learn ``NearestNeighbors`` and, when installed, by faiss
  ``IndexFlatL2`` on float32 copies. faiss computes float32 distances through
  the expansion |x|^2 + |y|^2 - 2 x.y, so its results are approximate: close
  neighbours can swap places and small distances lose most digits. faiss
  runs only up to ``--faiss-max-train`` training rows (default 100,000: at
  200,000 rows its flat search of the training rows takes minutes), and
  after all other measurements, because its idle BLAS and OpenMP threads
  keep spinning for a while and would slow down the next library.
* Time: wall clock (``time.perf_counter``) of ``fit`` and of
  ``decision_function`` on the test set, measured separately. Each is the
  best of up to ``--repeats`` runs (default 3); a run that takes more than
  ``--cheap-seconds`` (default 5 s) is not repeated.
* Memory: peak resident set size (RSS, sampled by psutil every 2 ms in a
  background thread) minus the RSS before the call, over one
  fit + decision_function run. glibc's dynamic mmap threshold is pinned first
  (mallopt), so freed large buffers go back to the system and each
  measurement starts from a comparable heap. Sampling can miss a peak that
  lasts under 2 ms.
* Correctness: the largest relative difference between the pyod_fast and
  PyOD scores, max |a - b| / max |b|, on the training scores and on the test
  scores.

The script writes a Markdown page (``--output``, default
``benchmarks/results/knn.md``) with the machine, the library versions and,
per size, the times, the PyOD / pyod_fast ratio per detector, the memory and
the score differences. Run it on an otherwise idle machine: the ratios are
only as stable as the load allows.
"""

import argparse
import ctypes
import gc
import os
import platform
import sys
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "benchmarks" / "results" / "knn.md"
DATASET_DIRS = [REPO.parent / "shared" / "datasets", Path("/work/shared/datasets")]


# --- measurement helpers -------------------------------------------------------


def pin_malloc_thresholds():
    """Make glibc return large freed buffers to the system (Linux only)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    ok = libc.mallopt(m_mmap_threshold, 1 << 17) == 1
    ok = libc.mallopt(m_trim_threshold, 1 << 17) == 1 and ok
    return ok


class PeakRss:
    """Context manager that records the peak RSS increase over its body, in MiB."""

    def __init__(self, interval=0.002):
        import psutil

        self._process = psutil.Process()
        self._interval = interval
        self.peak_mib = float("nan")

    def _sample(self):
        while not self._stop.is_set():
            self._peak = max(self._peak, self._process.memory_info().rss)
            time.sleep(self._interval)

    def __enter__(self):
        gc.collect()
        self._start = self._process.memory_info().rss
        self._peak = self._start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._peak = max(self._peak, self._process.memory_info().rss)
        self._stop.set()
        self._thread.join()
        self.peak_mib = (self._peak - self._start) / 2**20
        return False


def best_time(function, repeats, cheap_seconds):
    """Return (best wall time in seconds, last result) over up to `repeats` runs."""
    best, result = float("inf"), None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        if elapsed > cheap_seconds:
            break
    return best, result


def relative_difference(ours, reference):
    reference = np.asarray(reference, dtype=np.float64)
    scale = max(float(np.max(np.abs(reference))), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(np.asarray(ours, dtype=np.float64) - reference)) / scale)


# --- machine and versions ----------------------------------------------------------


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_flags():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                if "avx512f" in flags:
                    return "AVX-512"
                if "avx2" in flags:
                    return "AVX2"
                return "no AVX2"
    except OSError:
        pass
    return "unknown"


def versions():
    import pyod
    import sklearn

    import pyod_fast

    found = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "pyod": pyod.__version__,
        "pyod_fast": pyod_fast.__version__,
    }
    try:
        import faiss

        found["faiss-cpu"] = faiss.__version__
    except ImportError:
        found["faiss-cpu"] = "not installed"
    return found


# --- data --------------------------------------------------------------------------


def synthetic_case(n_train, n_features):
    from pyod_fast.utils.data import generate_data

    X_train, X_test, _, _ = generate_data(
        n_train=n_train, n_test=n_train // 5, n_features=n_features, contamination=0.1, random_state=42
    )
    return f"generate_data n_train={n_train:,} d={n_features}", X_train, X_test


def real_case(name):
    from pyod_fast.datasets import find_dataset_files, load_dataset_file

    for folder in DATASET_DIRS:
        if folder.is_dir():
            for path in find_dataset_files(folder):
                if path.stem.lower() == name.lower() or path.stem.lower().endswith("_" + name.lower()):
                    X, _ = load_dataset_file(path)
                    # A fresh native float64 array: MATLAB files give an explicit
                    # little-endian dtype that the compiled index rejects.
                    native = np.empty(X.shape, dtype=np.float64)
                    native[...] = X
                    X = native
                    rng = np.random.default_rng(42)
                    order = rng.permutation(len(X))
                    n_test = len(X) // 6
                    X_train, X_test = X[order[n_test:]], X[order[:n_test]]
                    return f"{path.name} n_train={len(X_train):,} d={X.shape[1]}", X_train, X_test
    raise SystemExit(f"dataset {name!r} not found under {[str(d) for d in DATASET_DIRS]}")


# --- one benchmark case ------------------------------------------------------------


def detector_pairs(n_jobs):
    """(name, pyod_fast factory, PyOD factory) for each detector."""
    from pyod.models.knn import KNN as PyodKNN
    from pyod.models.lof import LOF as PyodLOF

    from pyod_fast.models.knn import KNN
    from pyod_fast.models.lof import LOF

    return [
        ("KNN", lambda: KNN(n_jobs=n_jobs), lambda: PyodKNN(n_jobs=n_jobs)),
        ("LOF", lambda: LOF(n_jobs=n_jobs), lambda: PyodLOF(n_jobs=n_jobs)),
    ]


def time_detector(factory, X_train, X_test, args):
    fitted = {}

    def fit():
        fitted["model"] = factory().fit(X_train)
        return fitted["model"].decision_scores_

    fit_time, train_scores = best_time(fit, args.repeats, args.cheap_seconds)
    model = fitted["model"]
    score_time, test_scores = best_time(lambda: model.decision_function(X_test), args.repeats, args.cheap_seconds)
    with PeakRss() as memory:
        factory().fit(X_train).decision_function(X_test)
    return {
        "fit": fit_time,
        "score": score_time,
        "memory": memory.peak_mib,
        "train_scores": train_scores,
        "test_scores": test_scores,
    }


def time_sklearn(X_train, X_test, args):
    from sklearn.neighbors import LocalOutlierFactor, NearestNeighbors

    rows = {}
    holder = {}

    def nn_fit():
        holder["nn"] = NearestNeighbors(n_neighbors=5, n_jobs=args.n_jobs).fit(X_train)
        return holder["nn"].kneighbors()

    fit_time, _ = best_time(nn_fit, args.repeats, args.cheap_seconds)
    score_time, _ = best_time(lambda: holder["nn"].kneighbors(X_test), args.repeats, args.cheap_seconds)
    rows["scikit-learn NearestNeighbors (k=5)"] = (fit_time, score_time)

    def lof_fit():
        holder["lof"] = LocalOutlierFactor(n_neighbors=20, novelty=True, n_jobs=args.n_jobs).fit(X_train)

    fit_time, _ = best_time(lof_fit, args.repeats, args.cheap_seconds)
    score_time, _ = best_time(lambda: holder["lof"].score_samples(X_test), args.repeats, args.cheap_seconds)
    rows["scikit-learn LocalOutlierFactor (k=20)"] = (fit_time, score_time)
    return rows


def time_raw_search(X_train, X_test, args, k=5):
    """Times of (training rows, test rows) kNN search per library."""
    from sklearn.neighbors import NearestNeighbors

    from pyod_fast import _core
    from pyod_fast.utils.validation import check_n_jobs

    threads = check_n_jobs(args.n_jobs)
    rows = {}
    index = _core.KnnIndex(X_train, p=2.0, algorithm="auto", leaf_size=30)
    train_time, (ours_train, _) = best_time(lambda: index.query_training(k, threads), args.repeats, args.cheap_seconds)
    test_time, (ours_test, _) = best_time(lambda: index.query(X_test, k, threads), args.repeats, args.cheap_seconds)
    rows[f"pyod_fast KnnIndex ({index.algorithm}, float64)"] = (train_time, test_time, 0.0)

    nn = NearestNeighbors(n_neighbors=k, n_jobs=args.n_jobs).fit(X_train)
    train_time, (sk_train, _) = best_time(lambda: nn.kneighbors(), args.repeats, args.cheap_seconds)
    test_time, (sk_test, _) = best_time(lambda: nn.kneighbors(X_test), args.repeats, args.cheap_seconds)
    error = max(relative_difference(sk_train, ours_train), relative_difference(sk_test, ours_test))
    rows[f"scikit-learn NearestNeighbors ({nn._fit_method}, float64)"] = (train_time, test_time, error)
    return rows, (ours_train, ours_test)


def time_faiss(X_train, X_test, exact, args, k=5):
    """Times of faiss IndexFlatL2, or None when faiss is not installed."""
    try:
        import faiss
    except ImportError:
        return None
    from pyod_fast.utils.validation import check_n_jobs

    ours_train, ours_test = exact
    faiss.omp_set_num_threads(check_n_jobs(args.n_jobs))
    train32 = np.ascontiguousarray(X_train, dtype=np.float32)
    test32 = np.ascontiguousarray(X_test, dtype=np.float32)
    flat = faiss.IndexFlatL2(train32.shape[1])
    flat.add(train32)
    # faiss cannot exclude a row from its own search: ask for k + 1 and drop
    # the first column (the row itself, up to float32 ties).
    train_time, (faiss_train, _) = best_time(lambda: flat.search(train32, k + 1), args.repeats, args.cheap_seconds)
    test_time, (faiss_test, _) = best_time(lambda: flat.search(test32, k), args.repeats, args.cheap_seconds)
    faiss_train = np.sqrt(np.maximum(faiss_train[:, 1:], 0.0))
    faiss_test = np.sqrt(np.maximum(faiss_test, 0.0))
    error = max(relative_difference(faiss_train, ours_train), relative_difference(faiss_test, ours_test))
    return train_time, test_time, error


def run_case(title, X_train, X_test, args, log):
    log(f"== {title}")
    result = {"title": title, "detectors": [], "sklearn": {}, "raw": {}}
    for name, ours_factory, pyod_factory in detector_pairs(args.n_jobs):
        ours = time_detector(ours_factory, X_train, X_test, args)
        log(f"   pyod_fast {name}: fit {ours['fit']:.3f} s, decision_function {ours['score']:.3f} s")
        theirs = time_detector(pyod_factory, X_train, X_test, args)
        log(f"   PyOD {name}: fit {theirs['fit']:.3f} s, decision_function {theirs['score']:.3f} s")
        difference = max(
            relative_difference(ours["train_scores"], theirs["train_scores"]),
            relative_difference(ours["test_scores"], theirs["test_scores"]),
        )
        result["detectors"].append((name, ours, theirs, difference))
    result["sklearn"] = time_sklearn(X_train, X_test, args)
    result["raw"], result["exact"] = time_raw_search(X_train, X_test, args)
    for name, (train_time, test_time, _) in result["raw"].items():
        log(f"   {name}: training rows {train_time:.3f} s, test rows {test_time:.3f} s")
    return result


# --- report ------------------------------------------------------------------------


def render(results, args, started, elapsed):
    cores = os.cpu_count()
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = cores
    from pyod_fast.utils.validation import check_n_jobs

    lines = [
        "# kNN search, KNN and LOF: pyod_fast against PyOD",
        "",
        "Produced by `benchmarks/bench_knn.py` (its docstring gives the protocol); "
        f"run started {started} UTC and took {elapsed:.0f} s.",
        "",
        f"- Machine: {cpu_model()} ({cpu_flags()}), {cores} logical CPUs, {affinity} usable by this process",
        f"- Threads: n_jobs={args.n_jobs}, so {check_n_jobs(args.n_jobs)} kernel threads",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in versions().items()),
        f"- Timing: best of up to {args.repeats} runs (a run over {args.cheap_seconds:g} s is not repeated); "
        "memory: peak RSS increase over one fit + decision_function, sampled every 2 ms",
        "",
        "Ratio = PyOD time / pyod_fast time (higher is better for pyod_fast). Score difference = "
        "max |pyod_fast - PyOD| / max |PyOD| over training and test scores.",
        "",
    ]
    for result in results:
        lines += [f"## {result['title']}", "", "### Detectors", ""]
        lines += [
            "| detector | library | fit (s) | decision_function (s) | total (s) | ratio fit | ratio total "
            "| peak RSS (MiB) | score difference |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, ours, theirs, difference in result["detectors"]:
            ours_total, theirs_total = ours["fit"] + ours["score"], theirs["fit"] + theirs["score"]
            lines.append(
                f"| {name} | pyod_fast | {ours['fit']:.3f} | {ours['score']:.3f} | {ours_total:.3f} "
                f"| {theirs['fit'] / ours['fit']:.1f}x | {theirs_total / ours_total:.1f}x "
                f"| {ours['memory']:.1f} | {difference:.1e} |"
            )
            lines.append(
                f"| {name} | PyOD | {theirs['fit']:.3f} | {theirs['score']:.3f} | {theirs_total:.3f} | 1.0x | 1.0x "
                f"| {theirs['memory']:.1f} | |"
            )
        for name, (fit_time, score_time) in result["sklearn"].items():
            lines.append(
                f"| {name} | scikit-learn | {fit_time:.3f} | {score_time:.3f} | {fit_time + score_time:.3f} "
                "| | | | |"
            )
        lines += ["", "### Raw kNN search, k = 5", ""]
        lines += [
            "| library | training rows (s) | test rows (s) | time / pyod_fast | max relative distance difference |",
            "|---|---:|---:|---:|---:|",
        ]
        raw = result["raw"]
        ours_total = sum(next(iter(raw.values()))[:2])
        for name, (train_time, test_time, error) in raw.items():
            lines.append(
                f"| {name} | {train_time:.3f} | {test_time:.3f} | {(train_time + test_time) / ours_total:.2f} "
                f"| {error:.1e} |"
            )
        lines.append("")
    return "\n".join(lines)


def parse_sizes(text):
    sizes = []
    for item in text.split(","):
        n_train, n_features = item.lower().split("x")
        sizes.append((int(n_train), int(n_features)))
    return sizes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000x16,50000x16,200000x4",
                        help="comma-separated n_train x n_features cases (default: %(default)s)")
    parser.add_argument("--real", default=None, help="also run one ODDS/ADBench data set, e.g. pendigits")
    parser.add_argument("--n-jobs", type=int, default=-1, help="n_jobs for every library (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing, best kept (default: %(default)s)")
    parser.add_argument("--cheap-seconds", type=float, default=5.0,
                        help="a run longer than this many seconds is not repeated (default: %(default)s)")
    parser.add_argument("--faiss-max-train", type=int, default=100_000,
                        help="skip faiss for larger training sets (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown page to write")
    args = parser.parse_args(argv)

    pin_malloc_thresholds()
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    clock = time.perf_counter()

    def log(message):
        print(message, file=sys.stderr, flush=True)

    cases = [synthetic_case(n, d) for n, d in parse_sizes(args.sizes)]
    if args.real:
        cases.append(real_case(args.real))
    results = [run_case(title, X_train, X_test, args, log) for title, X_train, X_test in cases]
    # faiss runs last: its OpenBLAS and OpenMP threads keep spinning for a
    # while after each call and would slow down whatever ran next.
    for result, (title, X_train, X_test) in zip(results, cases):
        exact = result.pop("exact")
        if len(X_train) > args.faiss_max_train:
            continue
        timing = time_faiss(X_train, X_test, exact, args)
        if timing is not None:
            result["raw"]["faiss IndexFlatL2 (float32, approximate)"] = timing
            log(f"   {title}: faiss training rows {timing[0]:.3f} s, test rows {timing[1]:.3f} s")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(results, args, started, time.perf_counter() - clock))
    log(f"wrote {args.output}")


if __name__ == "__main__":
    main()
