"""The stages' clock (bench/generate.py): each step timed, logged and kept for the manifest."""

from __future__ import annotations

import time

from bench import common


class Timer:
    def __init__(self):
        self.times: dict[str, float] = {}

    def run(self, name, fn, *args, **kwargs):
        t = time.monotonic()
        result = fn(*args, **kwargs)
        self.times[name] = round(time.monotonic() - t, 2)
        rows = f" ({result:,} rijen)" if isinstance(result, int) else ""
        common.log(f"{name}: {self.times[name]} s{rows}", "generate")
        return result
