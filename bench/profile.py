"""Summarise a py-spy ``--format raw`` profile (collapsed stacks): top self and total frames.

Run: ``python -m bench.profile bench/results/profile-nabij-relay.txt``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path


def _frame(raw: str) -> str:
    """``func (path/to/module.py:123)`` -> ``func (module.py)``."""
    name, _, where = raw.partition(" (")
    return f"{name} ({where.rsplit('/', 1)[-1].split(':')[0]})" if where else name


def summarise(path: Path, top: int = 15) -> str:
    """Markdown tables: the frames with the most samples on top (self) and anywhere (total)."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_frame(f) for f in stack.split(";")]
        samples += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            total[frame] += int(count)
    lines = [f"{samples} samples", "", "| self % | frame |", "| --- | --- |"]
    lines += [f"| {100 * n / samples:.1f} | `{f}` |" for f, n in own.most_common(top)]
    lines += ["", "| total % | frame |", "| --- | --- |"]
    lines += [f"| {100 * n / samples:.1f} | `{f}` |" for f, n in total.most_common(top * 2)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(summarise(Path(sys.argv[1])))
