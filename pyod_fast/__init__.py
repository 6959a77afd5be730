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
