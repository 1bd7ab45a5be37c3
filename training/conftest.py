"""Puts training/ on sys.path so `import mila` works from the repo root and from training/."""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
