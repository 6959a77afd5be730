"""pyod_fast: compiled, drop-in replacement for PyOD's outlier detectors.

Replace ``pyod`` with ``pyod_fast`` in the imports and the same code runs:
the detectors live in ``pyod_fast.models.<name>`` and the helpers in
``pyod_fast.utils``, with PyOD's class names, parameters and attributes.
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("pyod_fast")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]


def __getattr__(name):
    # `from pyod_fast import _core` looks up the attribute before it imports
    # the submodule, so the import happens here. It fails when Python found
    # this source folder, which has no compiled module, before the installed
    # package (the current directory comes first on sys.path).
    if name == "_core":
        import importlib
        import os

        try:
            return importlib.import_module("pyod_fast._core")
        except ModuleNotFoundError:
            pass
        raise ImportError(
            f"pyod_fast's compiled module _core is not in {os.path.dirname(__file__)}: Python imported the "
            "source folder instead of the installed package, which happens when it runs from the repository "
            "root. Run Python from another folder, or install with 'pip install -e .' to use the source folder."
        )
    raise AttributeError(f"module 'pyod_fast' has no attribute {name!r}")
