"""Run the ``pyod-fast`` command line as ``python -m pyod_fast``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
