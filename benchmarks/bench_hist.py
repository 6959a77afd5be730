"""Time HBOS, COPOD and ECOD of pyod_fast against PyOD.

Protocol
--------
* Data: standard normal float64, ``n_train`` x 16 training rows and
  ``n_test = n_train // 10`` test rows, from ``numpy.random.default_rng(0)``.
* Every (library, detector, size, n_jobs) case runs in its own fresh Python
  process, started with ``subprocess`` (never ``fork``), so that peak memory
  and PyOD's numba compilation are measured per case.
* Inside that process: the data are generated, then a first call on 200 x 16
  rows (fit and decision_function) compiles PyOD's numba functions; its time
  is reported as "JIT" (pyod_fast has none, its column shows the same small
  call for comparison). Then ``fit(X_train)`` and
  ``decision_function(X_test)`` are timed with ``time.perf_counter``.
* Peak memory: the process's peak resident set size (``ru_maxrss``) minus
  its resident size just before the timed fit, reported in MiB and as a
  multiple of the training data's size (n_train x 16 x 8 bytes).
* Detectors use their defaults (HBOS n_bins=10; COPOD and ECOD with
  pyod_fast's default, scoring test rows against the training ECDFs; PyOD
  recomputes the ECDFs over training and test rows together). pyod_fast runs
  with n_jobs=1 and n_jobs=-1; PyOD with its default n_jobs=1.
* The speed-up is PyOD's fit + decision_function time over pyod_fast's.

Run ``python benchmarks/bench_hist.py [--sizes 100000 1000000]
[--output FILE]``; the markdown table goes to stdout and, with
``--output``, to FILE. Run it on an otherwise idle machine: on a shared
machine, wall times include waiting for the CPU.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

N_FEATURES = 16
DETECTORS = ("HBOS", "COPOD", "ECOD")


def _make_data(n_train):
    import numpy as np

    rng = np.random.default_rng(0)
    X_train = rng.standard_normal((n_train, N_FEATURES))
    X_test = rng.standard_normal((max(1, n_train // 10), N_FEATURES))
    return X_train, X_test


def _detector(library, name, n_jobs):
    module = {"HBOS": "hbos", "COPOD": "copod", "ECOD": "ecod"}[name]
    package = "pyod" if library == "pyod" else "pyod_fast"
    cls = getattr(__import__(f"{package}.models.{module}", fromlist=[name]), name)
    if library == "pyod":
        return cls()
    return cls(n_jobs=n_jobs)


def _resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_case(library, name, n_train, n_jobs):
    """Run one case in this process and return its measurements."""
    import warnings

    warnings.filterwarnings("ignore")
    X_train, X_test = _make_data(n_train)

    small = _detector(library, name, n_jobs)  # imports the package outside the timed call
    start = time.perf_counter()
    small.fit(X_train[:200])
    small.decision_function(X_test[:50])
    first_call = time.perf_counter() - start

    detector = _detector(library, name, n_jobs)
    baseline = _resident_bytes()
    start = time.perf_counter()
    detector.fit(X_train)
    fitted = time.perf_counter() - start
    start = time.perf_counter()
    detector.decision_function(X_test)
    scored = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "first_call_s": first_call,
        "fit_s": fitted,
        "decision_function_s": scored,
        "peak_extra_bytes": max(0, peak - baseline),
        "input_bytes": X_train.nbytes,
    }


def _run_in_child(library, name, n_train, n_jobs):
    command = [sys.executable, __file__, "--case", library, name, str(n_train), str(n_jobs)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _machine():
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}"


def _versions():
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {platform.python_version()}"]
    for package in ("pyod_fast", "pyod", "numpy", "scipy", "numba"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} missing")
    return ", ".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="training rows per case")
    parser.add_argument("--detectors", nargs="+", default=list(DETECTORS), choices=DETECTORS)
    parser.add_argument("--output", help="also write the markdown table to this file")
    parser.add_argument("--case", nargs=4, metavar=("LIBRARY", "DETECTOR", "N_TRAIN", "N_JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.case:
        library, name, n_train, n_jobs = args.case
        print(json.dumps(run_case(library, name, int(n_train), int(n_jobs))))
        return 0

    lines = [
        f"Machine: {_machine()}",
        "",
        f"Versions: {_versions()}",
        "",
        f"Data: standard normal, {N_FEATURES} features, n_test = n_train / 10. Times in seconds; "
        "memory is the peak resident size above the size before fit.",
        "",
        "| detector | n_train | library | n_jobs | JIT / first call (s) | fit (s) | decision_function (s) "
        "| peak extra (MiB) | peak / input | speed-up vs PyOD |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n_train in args.sizes:
        for name in args.detectors:
            reference = _run_in_child("pyod", name, n_train, 1)
            reference_total = reference["fit_s"] + reference["decision_function_s"]
            rows = [("PyOD", 1, reference)]
            for n_jobs in (1, -1):
                rows.append(("pyod_fast", n_jobs, _run_in_child("pyod_fast", name, n_train, n_jobs)))
            for library, n_jobs, case in rows:
                total = case["fit_s"] + case["decision_function_s"]
                lines.append(
                    f"| {name} | {n_train:,} | {library} | {n_jobs} | {case['first_call_s']:.3f} | "
                    f"{case['fit_s']:.3f} | {case['decision_function_s']:.3f} | "
                    f"{case['peak_extra_bytes'] / 2**20:.0f} | {case['peak_extra_bytes'] / case['input_bytes']:.2f} | "
                    f"{reference_total / total:.1f}x |"
                )
            print(lines[-1], file=sys.stderr, flush=True)
    table = "\n".join(lines)
    print(table)
    if args.output:
        with open(args.output, "w") as out:
            out.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
