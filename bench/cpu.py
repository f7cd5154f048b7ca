"""``python -m bench.cpu``: server CPU per relayed message, a short repeatable measurement.

One server (Nabij on SQLite and the memory store, or a baseline), a fixed number of
conversations, experts sending every 2 s and visitors every ``--interval`` s, and the same
step measured ``--repeat`` times on the same server. Each step prints the server's CPU
milliseconds per delivered message (both directions) and the latency percentiles, so
a change on the message path can be compared before/after with one command. Bounded: a
600 s timeout, and the servers and workers are killed in a ``finally``.

Example: ``python -m bench.cpu --conversations 300 --repeat 3 --profile /tmp/p.txt``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from pathlib import Path
from typing import Any

from bench import scenarios as sc

RESULTS = Path(__file__).resolve().parent / "results"
TIMEOUT_S = 600.0


def cpu_ms_per_message(step: dict[str, Any]) -> float | None:
    """Server CPU milliseconds per delivered message of one step, or None if none arrived."""
    delivered = int(step["delivered"])
    if not delivered:
        return None
    return round(1000 * float(step["server_cpu_s"]) / delivered, 3)


def table(run: dict[str, Any]) -> str:
    """One markdown row per measured step, then the median CPU per message."""
    lines = [
        "| step | delivered_per_s | server_cpu_cores | cpu_ms_per_msg | v2e_p50_ms | v2e_p99_ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    costs = []
    for index, step in enumerate(run["steps"]):
        cost = cpu_ms_per_message(step)
        if cost is not None:
            costs.append(cost)
        lines.append(
            f"| {index} | {step['delivered_per_s']} | {step['server_cpu_cores']} | {cost} "
            f"| {step['v2e_p50_ms']} | {step['v2e_p99_ms']} |"
        )
    median = round(statistics.median(costs), 3) if costs else None
    delivered = sum(int(step["delivered"]) for step in run["steps"])
    cpu_s = sum(float(step["server_cpu_s"]) for step in run["steps"])
    overall = round(1000 * cpu_s / delivered, 3) if delivered else None
    lines += [
        "",
        f"median cpu_ms_per_msg: {median}; all steps: {overall}; errors: {run['errors']}",
    ]
    return "\n".join(lines)


def main() -> None:
    """Parse the options, run the steps, print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.cpu")
    parser.add_argument("--kind", default="nabij", choices=("nabij", "sio", "ws"))
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--interval", type=float, default=1.0, help="visitor send interval, s")
    parser.add_argument("--repeat", type=int, default=3, help="measured steps on one server")
    parser.add_argument("--measure", type=float, default=6.0, help="seconds per step")
    parser.add_argument("--profile", type=Path, help="py-spy raw profile of the first step")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    opts = sc.Options(results=RESULTS, warm_s=2.0, measure_s=args.measure)
    run = asyncio.run(
        asyncio.wait_for(
            sc.relay_run(
                args.kind,
                opts,
                args.conversations,
                [args.interval] * args.repeat,
                profile=args.profile,
            ),
            TIMEOUT_S,
        )
    )
    print(table(run))


if __name__ == "__main__":
    main()
