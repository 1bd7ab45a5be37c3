#!/usr/bin/env python3
"""Train (staged), evaluate and export in one command; see `--help` and training/README.md."""
import sys

import _path  # noqa: F401

from mila.train import main

if __name__ == "__main__":
    sys.exit(main())
