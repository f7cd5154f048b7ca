"""The Markdown summary of a run (bench/results/summary.md)."""

from __future__ import annotations

from typing import Any

RELAY_COLUMNS = [
    "offered_per_s",
    "delivered_per_s",
    "v2e_p50_ms",
    "v2e_p99_ms",
    "v2e_max_ms",
    "e2v_p99_ms",
    "server_cpu_cores",
    "load_cpu_cores",
]


INTERVALS = "interval s (visitor / expert)"


def _generator(name: str) -> str:
    return {
        "node": "node (socket.io-client and ws under Node, bench/node/worker.mjs)",
        "python": "python (python-socketio AsyncClient, bench/load.py)",
    }.get(name, name)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return lines


def best_step(run: dict[str, Any], p99_limit: float = 100.0) -> dict[str, Any] | None:
    """The step with the highest delivered messages/s whose visitor→expert p99 ≤ the limit."""
    ok = [s for s in run["steps"] if s["v2e_p99_ms"] is not None and s["v2e_p99_ms"] <= p99_limit]
    return max(ok, key=lambda s: s["delivered_per_s"], default=None)


def _best_row(run: dict[str, Any]) -> list[Any]:
    """Server, its highest rate under p99 100 ms, that step's intervals and p99, errors."""
    step = best_step(run)
    errors = sum(run["errors"].values())
    if step is None:
        return [_label(run), 0, "no step under 100 ms", None, errors]
    return [_label(run), step["delivered_per_s"], _intervals(step), step["v2e_p99_ms"], errors]


def _intervals(step: dict[str, Any]) -> str:
    return f"{step['visitor_interval_s']} / {step.get('expert_interval_s', 2.0)}"


def _label(run: dict[str, Any]) -> str:
    if run["kind"] != "nabij":
        return {"sio": "python-socketio relay", "ws": "aiohttp ws relay"}[run["kind"]]
    if run["redis"]:
        return f"nabij, {run['processes']} process(es), Redis"
    return "nabij"


def summary(results: dict[str, Any], machine: dict[str, str]) -> str:
    """Every scenario's figures as Markdown tables."""
    out = [
        "# Benchmark summary",
        "",
        f"Machine: {machine.get('nproc')} cores, "
        f"{machine.get('cpu')}, Python {machine.get('python')}; run at {machine.get('when')}.",
        f"Load generator: {_generator(results.get('generator', 'python'))}.",
        "",
    ]
    relay = results.get("relay", {})
    if relay:
        out += ["## 1. Relay (each side every 2 s)", ""]
        rows = []
        for run in relay.get("runs", []):
            first = run["steps"][0]
            rows.append(
                [
                    _label(run),
                    run["conversations"],
                    *(first[c] for c in RELAY_COLUMNS),
                    sum(run["errors"].values()),
                ]
            )
        out += [*_table(["server", "conversations", *RELAY_COLUMNS, "errors"], rows), ""]
        out += ["Ratios (Nabij p99 / baseline p99, visitor→expert):", ""]
        out += [*_ratios(relay.get("runs", []), "v2e_p99_ms"), ""]
    for key, title in (
        ("saturation", "## 2. Saturation (both sides faster step by step)"),
        ("redis", "## 6. Two processes on Redis vs one"),
    ):
        block = results.get(key, {})
        if not block:
            continue
        out += [title, ""]
        rows = []
        for run in block.get("runs", []):
            for step in run["steps"]:
                rows.append(
                    [
                        _label(run),
                        run["conversations"],
                        _intervals(step),
                        *(step[c] for c in RELAY_COLUMNS),
                    ]
                )
        out += _table(["server", "conversations", INTERVALS, *RELAY_COLUMNS], rows)
        out += ["", "Highest delivered messages/s with visitor→expert p99 ≤ 100 ms:", ""]
        best = [_best_row(r) for r in block.get("runs", [])]
        out += [*_table(["server", "messages/s", INTERVALS, "v2e_p99_ms", "errors"], best), ""]
        if key == "redis" and len(best) == 2 and best[0][1]:
            out += [f"Two processes / one: {best[1][1] / best[0][1]:.2f}", ""]
    if routing := results.get("routing"):
        out += ["## 3. Routing", ""]
        keys = [
            "kind",
            "visitors",
            "experts",
            "assigned",
            "p50_ms",
            "p99_ms",
            "max_ms",
            "visitors_assigned_twice",
            "conversations_at_two_experts",
            "server_cpu_ms_per_request",
        ]
        runs = routing.get("runs", [routing])
        out += [*_table(keys, [[run.get(k) for k in keys] for run in runs]), ""]
        out += ["Ratios (Nabij / baseline):", "", *_kind_ratios(runs, ["p99_ms"]), ""]
    if conns := results.get("connections"):
        out += ["## 4. Idle connections", ""]
        keys = ["kind", "sockets", "rss_before_mb", "rss_after_mb", "kb_per_socket"]
        out += [*_table(keys, [[run.get(k) for k in keys] for run in conns.get("runs", [])]), ""]
    if status := results.get("status"):
        out += ["## 5. GET /api/status", ""]
        keys = ["kind", "requests_per_s", "p99", "non_2xx", "server_cpu_cores"]
        runs = status.get("runs", [status])
        out += [*_table(keys, [[run.get(k) for k in keys] for run in runs]), ""]
        out += ["Ratios (Nabij / baseline):", "", *_kind_ratios(runs, ["requests_per_s"]), ""]
    if failures := results.get("failures"):
        out += ["## Scenarios that failed or timed out", ""]
        out += [f"- {name}: {why}" for name, why in failures.items()] + [""]
    return "\n".join(out) + "\n"


def _ratios(runs: list[dict[str, Any]], column: str) -> list[str]:
    by = {(r["kind"], r["conversations"]): r["steps"][0][column] for r in runs if not r["redis"]}
    rows = []
    for (kind, size), value in sorted(by.items()):
        if kind != "nabij":
            continue
        row: list[Any] = [size, value]
        for base in ("sio", "ws"):
            other = by.get((base, size))
            row += [other, round(value / other, 2) if value and other else None]
        rows.append(row)
    return _table(["conversations", "nabij", "sio", "nabij/sio", "ws", "nabij/ws"], rows)


def _kind_ratios(runs: list[dict[str, Any]], columns: list[str]) -> list[str]:
    """One row per column: Nabij's value, each baseline's, and Nabij / baseline."""
    by = {run.get("kind", "nabij"): run for run in runs}
    rows = []
    for column in columns:
        value = by.get("nabij", {}).get(column)
        row: list[Any] = [column, value]
        for base in ("sio", "ws"):
            other = by.get(base, {}).get(column)
            row += [other, round(value / other, 2) if value and other else None]
        rows.append(row)
    return _table(["figure", "nabij", "sio", "nabij/sio", "ws", "nabij/ws"], rows)
