"""Benchmark IForest against isotree and PyOD: fit plus scoring time, memory, AUC.

Protocol
--------
- Data: ``n`` rows of ``d`` standard normal features (float64, C order,
  generated with ``numpy.random.default_rng(0)``). The first 1 % of the rows
  are shifted by 1 in every feature and labelled outliers, so that each
  library's ROC AUC on the training rows is reported next to its time.
- Task: fit on the data, then score the same rows:
  pyod_fast ``IForest(...).fit(X).decision_function(X)``,
  PyOD ``IForest(...).fit(X).decision_function(X)``, and isotree
  ``IsolationForest(ndim=1, sample_size=256, ntrees=100,
  missing_action='fail', nthreads=n_jobs).fit(X).predict(X)``. Both IForest
  classes use their defaults (100 trees, ``max_samples='auto'`` = 256) with
  ``n_jobs`` threads. Note that ``IForest.fit`` of PyOD and of pyod_fast
  also scores the training rows (for ``decision_scores_``), which isotree's
  ``fit`` does not, so their task scores the rows twice.
- Each (library, size) runs in a fresh Python process, started with
  ``subprocess`` (no fork after OpenMP). It times ``repeats`` runs with
  ``time.perf_counter`` and reports the median. Peak memory is the growth of
  the process's peak resident set size (``ru_maxrss``) over its value after
  the data were created, so it excludes the input itself.
- Output: one table row per (library, size) with the median time, the time
  ratio against pyod_fast, the peak extra memory and the ROC AUC, preceded by
  the CPU model, core count and library versions. ``--json`` also writes the
  rows to a file.

Run it on an otherwise idle machine, for example::

    nice python benchmarks/bench_iforest.py --sizes 10000 1000000 --n-jobs 2

PyOD took 15 to 20 s at a million rows on a 2-core Xeon; ``--skip`` leaves
libraries out.
"""

import argparse
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

LIBRARIES = ("pyod_fast", "isotree", "pyod")


def make_data(n_samples, n_features):
    """Return (X, y): Gaussian rows with the first 1 % shifted out as outliers."""
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.standard_normal((n_samples, n_features))
    n_outliers = max(1, n_samples // 100)
    X[:n_outliers] += 1.0
    y = np.zeros(n_samples, dtype=int)
    y[:n_outliers] = 1
    return X, y


def run_once(library, X, n_jobs):
    """Fit on X and return the scores of X (higher means more abnormal)."""
    if library == "pyod_fast":
        from pyod_fast.models.iforest import IForest

        return IForest(n_jobs=n_jobs, random_state=0).fit(X).decision_function(X)
    if library == "pyod":
        from pyod.models.iforest import IForest

        return IForest(n_jobs=n_jobs, random_state=0).fit(X).decision_function(X)
    if library == "isotree":
        from isotree import IsolationForest

        model = IsolationForest(ndim=1, sample_size=256, ntrees=100, missing_action="fail", nthreads=n_jobs)
        return model.fit(X).predict(X)
    raise ValueError(f"unknown library {library!r}: expected one of {list(LIBRARIES)}")


def worker(library, n_samples, n_features, n_jobs, repeats):
    """Time one library at one size in this process and return a result row."""
    from sklearn.metrics import roc_auc_score

    X, y = make_data(n_samples, n_features)
    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        scores = run_once(library, X, n_jobs)
        times.append(time.perf_counter() - start)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "library": library,
        "n_samples": n_samples,
        "n_features": n_features,
        "n_jobs": n_jobs,
        "repeats": repeats,
        "median_s": statistics.median(times),
        "times_s": times,
        "peak_extra_mib": (peak_kib - baseline_kib) / 1024.0,
        "roc_auc": float(roc_auc_score(y, scores)),
    }


def machine_description():
    """Return the CPU model, core count, Python and library versions."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = {}
    for distribution in ("pyod_fast", "pyod", "isotree", "scikit-learn", "numpy"):
        try:
            versions[distribution] = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            versions[distribution] = "not installed"
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "versions": versions}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000], help="numbers of rows")
    parser.add_argument("--n-features", type=int, default=16, help="number of columns (default 16)")
    parser.add_argument("--n-jobs", type=int, default=os.cpu_count(), help="threads for every library")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per size (default 5 below 100,000 rows, else 1)")
    parser.add_argument("--skip", nargs="*", default=[], choices=LIBRARIES, help="libraries to leave out")
    parser.add_argument("--json", help="also write the result rows to this file")
    parser.add_argument("--worker", nargs=2, metavar=("LIBRARY", "N_SAMPLES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        library, n_samples = args.worker[0], int(args.worker[1])
        repeats = args.repeats or (5 if n_samples < 100_000 else 1)
        print(json.dumps(worker(library, n_samples, args.n_features, args.n_jobs, repeats)))
        return

    machine = machine_description()
    print(f"CPU: {machine['cpu']}, {machine['cores']} logical cores; Python {machine['python']}")
    print("versions: " + ", ".join(f"{name} {version}" for name, version in machine["versions"].items()))
    print(f"n_features={args.n_features}, n_jobs={args.n_jobs}\n")
    print("| library | n_samples | median fit+score (s) | time / pyod_fast | peak extra memory (MiB) | ROC AUC |")
    print("|---|---:|---:|---:|---:|---:|")

    rows = []
    for n_samples in args.sizes:
        reference = None
        for library in LIBRARIES:
            if library in args.skip:
                continue
            command = [sys.executable, os.path.abspath(__file__), "--worker", library, str(n_samples)]
            command += ["--n-features", str(args.n_features), "--n-jobs", str(args.n_jobs)]
            if args.repeats:
                command += ["--repeats", str(args.repeats)]
            completed = subprocess.run(command, capture_output=True, text=True, check=False)
            if completed.returncode != 0:
                print(f"| {library} | {n_samples} | failed: {completed.stderr.strip().splitlines()[-1:]} | | | |")
                continue
            row = json.loads(completed.stdout.strip().splitlines()[-1])
            rows.append(row)
            if library == "pyod_fast":
                reference = row["median_s"]
            ratio = f"{row['median_s'] / reference:.1f}x" if reference else "n/a"
            print(
                f"| {library} | {n_samples:,} | {row['median_s']:.3f} | {ratio} | "
                f"{row['peak_extra_mib']:.1f} | {row['roc_auc']:.4f} |",
                flush=True,
            )

    if args.json:
        with open(args.json, "w") as out:
            json.dump({"machine": machine, "rows": rows}, out, indent=2)


if __name__ == "__main__":
    main()
