"""`python -m tyonohjaus_plugin.matching` is the engine's command line (no Django needed)."""

import sys

from tyonohjaus_plugin.matching.engine.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
