"""``python -m lamtheo.quality``: see :mod:`lamtheo.quality.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
