"""The ``pyod-fast`` command line.

``pyod-fast benchmark`` runs the detectors on labelled data with the protocol
of :mod:`pyod_fast.benchmark` and prints a table; ``pyod-fast detect`` scores
the rows of a numeric CSV file. Progress and warnings go to stderr through
the ``logging`` module, results to stdout or to ``--output``. Usage errors
print one line to stderr and exit with status 2.
"""

import argparse
import csv
import logging
import math
import os
import sys
import warnings
from pathlib import Path

from . import __version__

__all__ = ["main"]

logger = logging.getLogger(__name__)

EXIT_USAGE = 2


class CommandError(Exception):
    """A usage or input error reported as one line on stderr with exit status 2."""


# -- argument types ---------------------------------------------------------------------
def _integer_type(is_valid, expected):
    """Return an argparse type that parses an integer and checks it with is_valid."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
        if not is_valid(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    return parse


_positive_int = _integer_type(lambda value: value >= 1, "a positive integer")
# Seeds go to numpy's RandomState, which takes 0 to 2**32 - 1.
_seed = _integer_type(lambda value: 0 <= value < 2**32, "an integer in [0, 2**32 - 1]")
_n_jobs = _integer_type(lambda value: value != 0, "a non-zero integer (-1 uses all cores)")


def _name_list(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"expected comma-separated names, got {text!r}")
    return names


# -- parser -----------------------------------------------------------------------------
def build_parser():
    """Build the argument parser of ``pyod-fast`` and its subcommands."""
    from .benchmark import DETECTORS, TEST_SIZE
    from .datasets import BUILTIN_DATASETS

    parser = argparse.ArgumentParser(
        prog="pyod-fast",
        description="Compiled outlier detectors with PyOD's API: benchmark them or score a CSV file.",
    )
    parser.add_argument("--version", action="version", version=f"pyod-fast {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--n-jobs",
        type=_n_jobs,
        default=1,
        metavar="N",
        help="threads per detector (count; -1 uses all cores; default: 1). Results do not depend on it.",
    )
    common.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="random seed (integer) of randomized detectors, and of the splits in benchmark (default: 0)",
    )
    common.add_argument("-q", "--quiet", action="store_true", help="show no progress or notes on stderr, only errors")

    detector_names = ", ".join(DETECTORS)
    bench = commands.add_parser(
        "benchmark",
        parents=[common],
        help="measure ROC AUC, precision @ n and run time on labelled data",
        description=(
            f"Split each data set at random into {1 - TEST_SIZE:.0%} training and {TEST_SIZE:.0%} test rows, "
            "standardize both with the training statistics, fit each detector on the training rows and score the "
            "test rows; repeat for --n-splits seeds and print the means. Built-in sets: "
            f"{', '.join(BUILTIN_DATASETS)} (made from scikit-learn's bundled data)."
        ),
    )
    bench.add_argument(
        "--detectors",
        type=_name_list,
        default=None,
        metavar="NAMES",
        help=f"comma-separated detectors to run, from: {detector_names} (default: all that this build contains)",
    )
    bench.add_argument(
        "--data",
        action="append",
        default=None,
        metavar="PATH",
        help="ODDS .mat or ADBench .npz file, or a folder searched recursively for them; repeat for more. "
        "When given, the built-in sets run only if --builtin names them.",
    )
    bench.add_argument(
        "--builtin",
        type=_name_list,
        default=None,
        metavar="NAMES",
        help=f"comma-separated built-in sets to run, from: {', '.join(BUILTIN_DATASETS)} "
        "(default: all of them when no --data is given, else none)",
    )
    bench.add_argument(
        "--n-splits",
        type=_positive_int,
        default=5,
        metavar="N",
        help="number of random train/test splits per data set (count; default: 5)",
    )
    bench.add_argument(
        "--stratify",
        action="store_true",
        help="keep the outlier share equal in training and test rows (PyOD's benchmark does not)",
    )
    bench.add_argument(
        "--compare",
        choices=["pyod"],
        default=None,
        help="also run PyOD's detector of the same name on the same splits and report the speedup "
        "(PyOD time / pyod_fast time) and the AUC difference; needs the pyod package",
    )
    bench.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the results to FILE: .csv (one line per row) or .json (with settings and versions); "
        "times are mean seconds per split",
    )
    bench.set_defaults(handler=run_benchmark_command)

    detect = commands.add_parser(
        "detect",
        parents=[common],
        help="score the rows of a numeric CSV file",
        description=(
            "Fit one detector on all rows of INPUT (a CSV file with a header row and numeric columns) and write "
            "one line per row: the outlier score (higher is more abnormal), the label (1 = outlier) and the "
            "confidence of the label in [0, 1] (predict_confidence, computed from the training scores)."
        ),
    )
    detect.add_argument("input", type=Path, metavar="INPUT.csv", help="CSV file to score: header row, numeric columns")
    detect.add_argument(
        "--detector",
        required=True,
        metavar="NAME",
        help=f"the detector to fit, one of: {detector_names}",
    )
    detect.add_argument(
        "--contamination",
        type=float,
        default=0.1,
        help="expected share of outliers, in (0, 0.5]; sets the label threshold (default: 0.1)",
    )
    detect.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="CSV file to write the score, label and confidence columns to (default: stdout)",
    )
    detect.set_defaults(handler=run_detect_command)
    return parser


# -- benchmark --------------------------------------------------------------------------
def _format_number(value, digits=4):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}"


def format_table(rows, compare=False):
    """Lay out benchmark rows as a text table, one line per data set and detector."""
    columns = [
        ("dataset", lambda row: row["dataset"]),
        ("n", lambda row: str(row["n_samples"])),
        ("d", lambda row: str(row["n_features"])),
        ("detector", lambda row: row["detector"]),
        ("AUC", lambda row: _format_number(row["auc"])),
        ("P@n", lambda row: _format_number(row["p_at_n"])),
        ("fit s", lambda row: _format_number(row["fit_s"])),
        ("predict s", lambda row: _format_number(row["predict_s"])),
    ]
    if compare:
        columns += [
            ("PyOD AUC", lambda row: _format_number(row["pyod_auc"])),
            ("PyOD P@n", lambda row: _format_number(row["pyod_p_at_n"])),
            ("PyOD fit s", lambda row: _format_number(row["pyod_fit_s"])),
            ("PyOD predict s", lambda row: _format_number(row["pyod_predict_s"])),
            ("speedup", lambda row: _format_number(row["speedup"], 1) + ("x" if not math.isnan(row["speedup"]) else "")),
            ("AUC diff", lambda row: _format_number(row["auc_diff"])),
        ]
    cells = [[header for header, _ in columns]] + [[cell(row) for _, cell in columns] for row in rows]
    widths = [max(len(line[index]) for line in cells) for index in range(len(columns))]
    # Text columns (data set and detector names) are left-aligned, numbers right-aligned.
    left_aligned = {0, 3}
    lines = []
    for line in cells:
        parts = [
            text.ljust(width) if index in left_aligned else text.rjust(width)
            for index, (text, width) in enumerate(zip(line, widths))
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def run_benchmark_command(args):
    from . import benchmark
    from .datasets import BUILTIN_DATASETS

    if args.output is not None and args.output.suffix.lower() not in (".csv", ".json"):
        raise CommandError(f"--output {str(args.output)!r}: the file name must end in .csv or .json")
    if args.compare == "pyod":
        try:
            import pyod  # noqa: F401
        except ImportError:
            raise CommandError("--compare pyod needs the pyod package, which is not installed: pip install pyod") from None

    builtin_names = args.builtin
    if builtin_names is None and not args.data:
        builtin_names = list(BUILTIN_DATASETS)
    unknown = [name for name in builtin_names or [] if name not in BUILTIN_DATASETS]
    if unknown:
        raise CommandError(f"unknown built-in data set {', '.join(unknown)}: choose from {', '.join(BUILTIN_DATASETS)}")
    try:
        detectors = benchmark.resolve_detectors(args.detectors)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if not detectors:
        raise CommandError("none of the requested detectors can be imported in this build (see the notes above)")

    datasets = benchmark.builtin_datasets(builtin_names or [])
    datasets += benchmark.file_datasets(args.data or [])
    rows = benchmark.run_benchmark(
        datasets,
        detectors,
        n_splits=args.n_splits,
        seed=args.seed,
        n_jobs=args.n_jobs,
        compare=args.compare == "pyod",
        stratify=args.stratify,
    )
    sys.stdout.write(format_table(rows, compare=args.compare == "pyod") + "\n")

    if args.output is not None:
        settings = {
            "n_splits": args.n_splits,
            "test_size": benchmark.TEST_SIZE,
            "seed": args.seed,
            "n_jobs": args.n_jobs,
            "stratify": args.stratify,
            "compare": args.compare,
        }
        benchmark.write_results(rows, args.output, settings=settings)
        logger.info("wrote %d result rows to %s", len(rows), args.output)
    return 0


# -- detect -----------------------------------------------------------------------------
def read_numeric_csv(path):
    """Read a CSV file with a header row and numeric columns.

    Returns
    -------
    names : list of str
        The column names from the header.
    X : ndarray of shape (n_rows, n_columns)
        float64 values.

    Raises
    ------
    CommandError
        For a missing, empty or non-UTF-8 file, a folder, rows whose field
        count differs from the header, and columns with a non-numeric, empty, NaN or infinite value
        (the message names each such column with its first bad row).
    """
    path = Path(path)
    if path.is_dir():
        raise CommandError(f"input {str(path)!r} is a folder: expected a CSV file")
    if not path.is_file():
        raise CommandError(f"input file {str(path)!r} not found")
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            header = next(csv.reader(stream), None)
        if header is None or not any(field.strip() for field in header):
            raise CommandError(f"input file {str(path)!r} is empty: expected a header row and rows of numbers")
        names = [field.strip() for field in header]

        X = _load_plain_numbers(path, len(names))
        if X is None:
            X = _scan_numeric_rows(path, names)
    except UnicodeDecodeError as error:
        raise CommandError(
            f"input file {str(path)!r} is not valid UTF-8 text (byte {error.object[error.start]:#04x} at "
            f"offset {error.start}): save it as UTF-8, for example with iconv -f latin1 -t utf-8"
        ) from None
    if X.shape[0] == 0:
        raise CommandError(f"input file {str(path)!r} has a header but no data rows")
    return names, X


def _load_plain_numbers(path, n_columns):
    """Parse the data rows with NumPy's C reader, or return None when that fails.

    This path only saves time on large files: on any problem the caller
    rescans the file with the csv module, which finds the bad field.
    """
    import warnings

    import numpy as np

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # loadtxt warns about a file with no data rows
            X = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2, dtype=np.float64, comments=None, encoding="utf-8-sig")
    except ValueError:
        return None
    if X.size and (X.shape[1] != n_columns or not np.all(np.isfinite(X))):
        return None
    return X.reshape(-1, n_columns)


def _scan_numeric_rows(path, names):
    """Parse the data rows with the csv module, naming the first bad field of each column."""
    import numpy as np

    with open(path, newline="", encoding="utf-8-sig") as stream:
        reader = csv.reader(stream)
        next(reader)  # the header
        rows = []
        first_bad = {}  # column index -> (data row number, line number, field)
        for fields in reader:
            if not fields:
                continue  # a blank line, usually at the end of the file
            line_number = reader.line_num
            if len(fields) != len(names):
                raise CommandError(
                    f"{str(path)!r} line {line_number} has {len(fields)} fields but the header has {len(names)} columns"
                )
            values = []
            for index, field in enumerate(fields):
                try:
                    value = float(field)
                except ValueError:
                    value = math.nan
                if not math.isfinite(value) and index not in first_bad:
                    first_bad[index] = (len(rows) + 1, line_number, field)
                values.append(value)
            rows.append(values)
    if first_bad:
        problems = [
            f"column {names[index]!r} has {field!r} in data row {row_number} (line {line_number})"
            for index, (row_number, line_number, field) in sorted(first_bad.items())
        ]
        raise CommandError(
            f"{str(path)!r} is not all numeric: {'; '.join(problems)}. "
            "Drop or encode these columns and fill missing, NaN or infinite values."
        )
    return np.asarray(rows, dtype=np.float64).reshape(-1, len(names))


def _write_scores(stream, scores, labels, confidence):
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["score", "label", "confidence"])
    for score, label, conf in zip(scores, labels, confidence):
        writer.writerow([repr(float(score)), int(label), repr(float(conf))])


def run_detect_command(args):
    from .benchmark import DETECTORS, load_detector_class, make_detector

    if args.detector not in DETECTORS:
        raise CommandError(f"unknown detector {args.detector!r}: choose from {', '.join(DETECTORS)}")
    if not 0.0 < args.contamination <= 0.5:
        raise CommandError(
            f"--contamination must lie in (0, 0.5], got {args.contamination}: it is the expected share of outliers"
        )
    try:
        cls = load_detector_class(args.detector)
    except ImportError as exc:
        raise CommandError(f"detector {args.detector!r} is not available in this build: {exc}") from None

    output_is_input = (
        args.output is not None and args.output.is_file() and args.input.is_file()
        and os.path.samefile(args.output, args.input)
    )
    if output_is_input:
        raise CommandError(
            f"--output {str(args.output)!r} is the input file, which writing the scores would overwrite: "
            "choose another output file"
        )
    names, X = read_numeric_csv(args.input)
    logger.info("fitting %s on %d rows x %d columns of %s", args.detector, X.shape[0], X.shape[1], args.input)
    detector = make_detector(cls, contamination=args.contamination, n_jobs=args.n_jobs, random_state=args.seed)
    try:
        detector.fit(X)
    except (ValueError, TypeError) as exc:
        raise CommandError(f"fitting {args.detector} on {str(args.input)!r} failed: {exc}") from None

    scores = detector.decision_scores_
    labels = detector.labels_
    # predict_confidence(X) would rescore the training rows as new samples;
    # for KNN and LOF that counts each row as its own neighbour. The
    # confidence is therefore taken from the training scores behind labels_.
    confidence = detector._confidence_from_scores(scores)
    logger.info("labelled %d of %d rows as outliers", int(labels.sum()), labels.shape[0])

    if args.output is None:
        _write_scores(sys.stdout, scores, labels, confidence)
    else:
        with open(args.output, "w", newline="", encoding="utf-8") as stream:
            _write_scores(stream, scores, labels, confidence)
        logger.info("wrote %d rows to %s", labels.shape[0], args.output)
    return 0


# -- entry point ------------------------------------------------------------------------
def _log_warning(message, category, filename, lineno, file=None, line=None):
    """Log a Python warning as one line, without the source line that warnings prints."""
    logger.warning("%s: %s", category.__name__, message)


def main(argv=None):
    """Run ``pyod-fast`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    Returns 0 on success and 2 for usage and input errors, which are printed
    as one line to stderr without a traceback.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and argparse's own usage errors
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE

    # Progress goes to the stderr of this call; the handler is removed again
    # so repeated in-process calls do not stack handlers.
    package_logger = logging.getLogger("pyod_fast")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    saved = (package_logger.level, package_logger.propagate)
    package_logger.addHandler(handler)
    package_logger.setLevel(logging.WARNING if args.quiet else logging.INFO)
    package_logger.propagate = False
    try:
        output = getattr(args, "output", None)
        if output is not None and (output.is_dir() or not output.resolve().parent.is_dir()):
            raise CommandError(f"--output {str(output)!r}: the folder does not exist or the path is a folder")
        # Warnings from the detectors (such as LOF lowering n_neighbors) are
        # notes for the user. --quiet hides them, and otherwise each one is
        # logged as one line on stderr.
        with warnings.catch_warnings():
            if args.quiet:
                warnings.simplefilter("ignore")
            else:
                warnings.showwarning = _log_warning
            return args.handler(args)
    except BrokenPipeError:
        # The reader of stdout went away (for example `| head`): stop quietly,
        # and point stdout at devnull so the interpreter's final flush is silent.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (CommandError, OSError, ValueError) as exc:
        sys.stderr.write(f"pyod-fast {args.command}: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("pyod-fast: interrupted\n")
        return 130
    finally:
        package_logger.removeHandler(handler)
        package_logger.setLevel(saved[0])
        package_logger.propagate = saved[1]
