"""The Node load worker's line protocol (bench/nodeproto.py) and one real round trip.

The round trip runs ``node bench/node/worker.mjs`` against the raw-websocket baseline relay
on 127.0.0.1 for about two seconds: spec and steering lines in, ready and report lines out,
latencies measured by the worker itself.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.load import STOP, RelaySpec, Tally
from bench.nodeproto import ProtocolError, parse_line, spec_line, steer_line
from tests.services import require_node
from tests.waiting import eventually

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "bench" / "node" / "worker.mjs"
#: How long the baseline relay may take to listen (100 looks, 50 ms apart, before).
RELAY_START_S = 5.0


def test_spec_line_carries_every_field_of_the_spec() -> None:
    spec = RelaySpec("ws", "http://a", "http://b", [0, 3], [1, 4], [8.0, 2.0], expert_follows=True)
    line = spec_line(spec)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.loads(line) == {
        "kind": "ws",
        "visitor_url": "http://a",
        "expert_url": "http://b",
        "experts": [0, 3],
        "visitors": [1, 4],
        "intervals": [8.0, 2.0],
        "expert_interval": 2.0,
        "body_size": 100,
        "mode": "relay",
        "expert_follows": True,
    }


def test_steer_lines() -> None:
    assert json.loads(steer_line(phase=3)) == {"phase": 3}
    assert json.loads(steer_line(measuring=1)) == {"measuring": 1}
    with pytest.raises(ValueError, match="phase or a measuring"):
        steer_line()


def test_parse_ready_and_report() -> None:
    assert parse_line(b'{"type":"ready","opened":7,"errors":{"visitor:Error":2}}\n') == (
        "ready",
        7,
        {"visitor:Error": 2},
    )
    kind, tally = parse_line(
        json.dumps(
            {
                "type": "report",
                "tally": {
                    "v2e": {"0": [1.5, 2.25], "2": [3]},
                    "e2v": {},
                    "errors": {"send:rate_limited": 4},
                    "opened": 3,
                    "assigned_ms": [12.5],
                    "assigned_counts": [1, 2],
                    "expert_conversations": ["c1"],
                },
            }
        )
    )
    assert kind == "report"
    assert tally == Tally(
        v2e={0: [1.5, 2.25], 2: [3.0]},
        e2v={},
        errors=Counter({"send:rate_limited": 4}),
        opened=3,
        assigned_ms=[12.5],
        assigned_counts=[1, 2],
        expert_conversations=["c1"],
    )


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not an object"),
        (b'{"type": "hello"}', "unknown message type"),
        (b'{"type": "ready", "opened": "7"}', "opened is not an integer"),
        (b'{"type": "ready", "opened": 1, "errors": {"x": "many"}}', "errors"),
        (b'{"type": "report"}', "without a tally"),
        (b'{"type": "report", "tally": {"v2e": {"first": [1]}}}', "latencies"),
        (b'{"type": "report", "tally": {"assigned_ms": 5}}', "assigned_ms is not a list"),
    ],
)
def test_malformed_lines_are_refused_clearly(line: bytes, why: str) -> None:
    with pytest.raises(ProtocolError, match=why):
        parse_line(line)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def ws_relay() -> AsyncIterator[str]:
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.baselines.ws_relay", "--port", str(port), cwd=ROOT
    )

    async def listening() -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            return False
        writer.close()
        return True

    try:
        await eventually(listening, what=f"the ws relay on port {port}", timeout=RELAY_START_S)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.kill()
        await proc.wait()


async def test_node_worker_relays_and_reports_latencies(ws_relay: str) -> None:
    """Step 0 sends every 5 s, step 1 every 0.1 s; only step 1 is measured.

    The counts show that a new step starts a new schedule at once (no client waits out the
    5 s of step 0) and that only messages sent inside the measured window count.
    """
    require_node()
    node = str(shutil.which("node"))
    spec = RelaySpec(
        "ws", ws_relay, ws_relay, [0], [0, 1], [5.0, 0.1], expert_interval=0.1, expert_follows=True
    )
    proc = await asyncio.create_subprocess_exec(
        node, str(WORKER), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(spec_line(spec))
        assert parse_line(await asyncio.wait_for(proc.stdout.readline(), 10)) == ("ready", 0, {})
        proc.stdin.write(steer_line(phase=1))
        assert parse_line(await asyncio.wait_for(proc.stdout.readline(), 10)) == ("ready", 2, {})
        proc.stdin.write(steer_line(phase=2))
        await asyncio.sleep(0.3)
        proc.stdin.write(steer_line(phase=3) + steer_line(measuring=1))
        await asyncio.sleep(1.0)
        proc.stdin.write(steer_line(measuring=0) + steer_line(phase=STOP))
        kind, tally = parse_line(await asyncio.wait_for(proc.stdout.readline(), 10))
        assert await asyncio.wait_for(proc.wait(), 10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert kind == "report"
    assert tally.opened == 2
    assert tally.errors == {}
    assert len(tally.expert_conversations) == 2
    # Two visitors, and one expert with two chats, each sending every 0.1 s for 1 s measured.
    assert set(tally.v2e) == set(tally.e2v) == {1}
    assert 14 <= len(tally.v2e[1]) <= 26
    assert 14 <= len(tally.e2v[1]) <= 26
    assert all(0 < ms < 1000 for ms in tally.v2e[1] + tally.e2v[1])


async def test_a_report_larger_than_a_pipe_buffer_arrives_whole(ws_relay: str) -> None:
    """Over 64 KiB of latencies read late: the worker exits only once its report is written."""
    require_node()
    node = str(shutil.which("node"))
    spec = RelaySpec("ws", ws_relay, ws_relay, [0], list(range(20)), [0.01], expert_interval=0.01)
    proc = await asyncio.create_subprocess_exec(
        node,
        str(WORKER),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=1 << 24,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(spec_line(spec) + steer_line(phase=1))
        for _ in range(2):
            await asyncio.wait_for(proc.stdout.readline(), 10)
        proc.stdin.write(steer_line(phase=2) + steer_line(measuring=1))
        await asyncio.sleep(2.5)
        proc.stdin.write(steer_line(measuring=0) + steer_line(phase=STOP))
        await asyncio.sleep(1.5)  # read late: the pipe fills up while the worker writes
        line = await asyncio.wait_for(proc.stdout.readline(), 10)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert len(line) > 65536
    kind, tally = parse_line(line)
    assert kind == "report"
    assert len(tally.v2e[0]) + len(tally.e2v[0]) > 3000
