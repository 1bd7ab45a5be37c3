"""A text progress bar with ETA on stderr: redrawn in place on a terminal, one line per 5% (or 30 s) in a log."""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


def format_seconds(s: float) -> str:
    s = max(0, int(round(s)))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class ProgressBar:
    def __init__(self, total: float, label: str, stream: Optional[TextIO] = None, width: int = 30,
                 start: float = 0.0):
        """`start`: the amount done before this bar (a resumed run); the ETA comes from this bar's own rate."""
        if total <= 0:
            raise ValueError(f"progress total must be > 0, got {total}")
        self.total, self.label, self.width = float(total), label, width
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.start = self.done = float(start)
        self.t0 = time.time()
        self._last_bucket = -1
        self._last_print = 0.0

    def line(self) -> str:
        frac = min(1.0, self.done / self.total)
        elapsed = time.time() - self.t0
        progressed = self.done - self.start
        eta_text = format_seconds(elapsed * max(0.0, self.total - self.done) / progressed) if progressed > 0 else "?"
        filled = int(frac * self.width)
        return (f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {frac * 100:5.1f}% "
                f"{self.done:.0f}/{self.total:.0f} elapsed {format_seconds(elapsed)} ETA {eta_text}")

    def update(self, amount: float = 1.0, absolute: Optional[float] = None) -> None:
        self.done = absolute if absolute is not None else self.done + amount
        bucket = int(min(1.0, self.done / self.total) * 20)
        if self.tty:
            self.stream.write("\r" + self.line())
            self.stream.flush()
        elif bucket != self._last_bucket or time.time() - self._last_print > 30:
            self._last_bucket, self._last_print = bucket, time.time()
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
