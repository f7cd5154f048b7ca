"""The line protocol between the harness and a Node load worker (bench/node/worker.mjs).

To the worker (its stdin): the spec as one JSON line, then ``{"phase": N}`` and
``{"measuring": 0|1}`` lines. From the worker (its stdout): ``{"type": "ready", "opened": N,
"errors": {...}}`` and ``{"type": "report", "tally": {...}}``, turned here into the same
tuples the Python workers put on their queue: ``("ready", opened, errors)`` and
``("report", Tally)``.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from typing import Any

from bench.load import RelaySpec, Tally


class ProtocolError(ValueError):
    """A line from a worker that is not one of the messages above."""


def spec_line(spec: RelaySpec) -> bytes:
    """The first line a worker reads."""
    return _line(dataclasses.asdict(spec))


def steer_line(*, phase: int | None = None, measuring: int | None = None) -> bytes:
    """A phase change and/or the measuring flag."""
    message: dict[str, int] = {}
    if phase is not None:
        message["phase"] = phase
    if measuring is not None:
        message["measuring"] = measuring
    if not message:
        raise ValueError("a steering line needs a phase or a measuring flag")
    return _line(message)


def parse_line(line: bytes | str) -> tuple[Any, ...]:
    """One worker message as the tuple the harness handles; ProtocolError when malformed."""
    try:
        message = json.loads(line)
    except json.JSONDecodeError as error:
        raise ProtocolError(f"not JSON: {str(line)[:80]!r}") from error
    if not isinstance(message, dict):
        raise ProtocolError(f"not an object: {str(line)[:80]!r}")
    kind = message.get("type")
    if kind == "ready":
        return ("ready", _int(message, "opened"), _errors(message.get("errors", {})))
    if kind == "report":
        return ("report", tally_from_json(message.get("tally")))
    raise ProtocolError(f"unknown message type {kind!r}")


def tally_from_json(data: Any) -> Tally:
    """A Tally from the worker's JSON (step keys arrive as strings)."""
    if not isinstance(data, dict):
        raise ProtocolError("a report without a tally object")
    return Tally(
        v2e=_latencies(data.get("v2e", {})),
        e2v=_latencies(data.get("e2v", {})),
        errors=Counter(_errors(data.get("errors", {}))),
        opened=_int(data, "opened"),
        assigned_ms=[float(ms) for ms in _list(data, "assigned_ms")],
        assigned_counts=[int(count) for count in _list(data, "assigned_counts")],
        expert_conversations=[str(c) for c in _list(data, "expert_conversations")],
    )


def _line(message: dict[str, Any]) -> bytes:
    return (json.dumps(message, separators=(",", ":")) + "\n").encode()


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolError(f"{key} is not an integer: {value!r}")
    return value


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ProtocolError(f"{key} is not a list")
    return value


def _errors(data: Any) -> dict[str, int]:
    if not isinstance(data, dict) or not all(isinstance(v, int) for v in data.values()):
        raise ProtocolError("errors is not an object of counts")
    return {str(key): int(count) for key, count in data.items()}


def _latencies(data: Any) -> dict[int, list[float]]:
    if not isinstance(data, dict):
        raise ProtocolError("latencies are not an object of steps")
    try:
        return {int(step): [float(ms) for ms in values] for step, values in data.items()}
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"latencies: {error}") from error
