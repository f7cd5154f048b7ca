"""``python -m bench``: run every scenario, write bench/results/results.json and summary.md.

Options: ``--quick`` (small sizes, a smoke run), ``--only relay,routing,...``,
``--generator node|python`` (the load generator; default node, see bench/control.py).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench import scenarios as sc
from bench.control import GENERATORS
from bench.report import summary

RESULTS = Path(__file__).resolve().parent / "results"
SCENARIO_TIMEOUT_S = 900.0
SCENARIOS = ("relay", "saturation", "routing", "connections", "status", "redis")


def machine() -> dict[str, str]:
    """nproc, the CPU model, Python, the time."""
    cpu = ""
    lscpu = subprocess.run(  # noqa: S603 - a fixed command
        [shutil.which("lscpu") or "/usr/bin/lscpu"], capture_output=True, text=True, check=False
    ).stdout
    for line in lscpu.splitlines():
        if line.startswith("Model name"):
            cpu = line.split(":", 1)[1].strip()
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


async def run(names: list[str], opts: sc.Options) -> dict[str, Any]:
    """Run the named scenarios, each within SCENARIO_TIMEOUT_S; failures are recorded."""

    async def relay() -> dict[str, Any]:
        runs = []
        for kind in ("nabij", "sio", "ws"):
            for size in opts.sizes:
                if size == opts.saturation_size and saturation_has_relay_step(names, opts):
                    continue  # the saturation run's 2 s step is this size's relay figure
                runs.append(await sc.relay_run(kind, opts, size, [sc.RELAY_INTERVAL_S]))
        return {"runs": runs}

    async def saturation() -> dict[str, Any]:
        runs = []
        for kind in ("nabij", "sio", "ws"):
            profile = opts.results / "profile-nabij-relay.txt" if kind == "nabij" else None
            runs.append(
                await sc.relay_run(
                    kind,
                    opts,
                    opts.saturation_size,
                    list(opts.saturation_intervals),
                    profile=profile if opts.profile else None,
                    both_sides=True,
                )
            )
        return {"runs": runs}

    async def redis() -> dict[str, Any]:
        intervals = list(opts.redis_intervals)
        return {
            "runs": [
                await sc.relay_run(
                    "nabij",
                    opts,
                    opts.saturation_size,
                    intervals,
                    redis=n,
                    expert_interval=opts.redis_expert_interval,
                )
                for n in (1, 2)
            ]
        }

    async def routing() -> dict[str, Any]:
        return {"runs": [await sc.routing(kind, opts) for kind in ("nabij", "sio", "ws")]}

    async def status() -> dict[str, Any]:
        return {"runs": [await sc.status(kind, opts) for kind in ("nabij", "ws")]}

    async def connections() -> dict[str, Any]:
        return {"runs": [await sc.connections(kind, opts) for kind in ("nabij", "sio")]}

    table: dict[str, Callable[[], Awaitable[dict[str, Any]]]] = {
        "relay": relay,
        "saturation": saturation,
        "routing": routing,
        "connections": connections,
        "status": status,
        "redis": redis,
    }
    results: dict[str, Any] = {
        "machine": {**machine(), "database": opts.database},
        "generator": opts.generator,
        "failures": {},
    }
    for name in names:
        started = time.monotonic()
        print(f"bench: {name} ...", flush=True)
        try:
            results[name] = await asyncio.wait_for(table[name](), SCENARIO_TIMEOUT_S)
        except Exception as error:
            results["failures"][name] = f"{type(error).__name__}: {error}"[:500]
        print(f"bench: {name} done in {time.monotonic() - started:.0f} s", flush=True)
        (opts.results / "partial.json").write_text(json.dumps(results, indent=2) + "\n")
    if "saturation" in results and "relay" in results and saturation_has_relay_step(names, opts):
        step = sc.relay_step(list(opts.saturation_intervals))
        results["relay"]["runs"] += [
            run | {"steps": run["steps"][step : step + 1]} for run in results["saturation"]["runs"]
        ]
    return results


def saturation_has_relay_step(names: list[str], opts: sc.Options) -> bool:
    """The saturation run includes the relay schedule (both sides every 2 s) as one step."""
    return "saturation" in names and sc.RELAY_INTERVAL_S in opts.saturation_intervals


def main() -> None:
    """Parse the options, run, write the files."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenarios")
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="Nabij's database: a fresh SQLite file, or a fresh database on 127.0.0.1:5432",
    )
    parser.add_argument(
        "--generator",
        choices=GENERATORS,
        default="node",
        help="load generator: node (socket.io-client under Node) or python (python-socketio)",
    )
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    opts = sc.Options(results=RESULTS, database=args.database, generator=args.generator)
    if args.quick:
        opts = sc.Options(
            results=RESULTS,
            database=args.database,
            sizes=(20, 40),
            saturation_size=40,
            saturation_intervals=(4.0, 2.0, 0.5),
            redis_intervals=(2.0, 0.5),
            warm_s=1.0,
            measure_s=3.0,
            routing_visitors=40,
            routing_experts=4,
            idle_sockets=200,
            generator=args.generator,
        )
    names = [n for n in args.only.split(",") if n]
    unknown = set(names) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    results = asyncio.run(run(names, opts))
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    text = summary(results, results["machine"])
    (RESULTS / "summary.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
