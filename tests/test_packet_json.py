"""Socket.IO packets are encoded with orjson and read by chatserver.strictjson: every value
the protocol uses reads as the standard library reads it, and what is beyond its bounds is
refused (chatserver/realtime/jsoncodec.py).
"""

from __future__ import annotations

import json
import math
import time

import pytest
import socketio

from chatserver.realtime.jsoncodec import PacketJson
from chatserver.realtime.server import create_sio
from chatserver.strictjson import MAX_DEPTH, JSONRejected
from nabij.settings import Secret, Settings

PAYLOADS = [
    ["message:new", {"id": "m1", "seq": 3, "body": 'hoi | ü ✓ \u2028 "quoted"', "sent_at": None}],
    ["chat:request", {"audience": "victim", "lang": "nl", "nested": [1, 2.5, True, {}]}],
    [],
]


@pytest.mark.parametrize("value", PAYLOADS)
def test_values_survive_the_round_trip_and_read_as_the_standard_librarys(value: object) -> None:
    text = PacketJson.dumps(value, separators=(",", ":"))
    assert PacketJson.loads(text) == json.loads(text) == value
    assert PacketJson.loads(json.dumps(value)) == value


def test_what_orjson_refuses_to_encode_the_standard_library_encodes() -> None:
    big = 10**30
    assert PacketJson.dumps({"seq": big}, separators=(",", ":")) == f'{{"seq":{big}}}'
    assert PacketJson.dumps({1: "a"}, separators=(",", ":")) == '{"1":"a"}'
    assert PacketJson.loads(f"[{2**63}, -{2**63}]") == [2**63, -(2**63)]


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[" * 60_000,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        f"[{10**30}]",
        "1" * 4400,
        "[NaN]",
        "[1e999]",
        '["\\ud800"]',
        '{"\\udfff": 1}',
    ],
)
def test_reading_refuses_what_is_beyond_the_bounds(text: str) -> None:
    with pytest.raises(JSONRejected):
        PacketJson.loads(text)


def test_reading_takes_what_is_within_them() -> None:
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert PacketJson.loads(deepest) == json.loads(deepest)
    assert PacketJson.loads('["\\ud83d\\ude00", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]') == [
        "\U0001f600",
        "[" * 34,
    ]
    assert math.isclose(PacketJson.loads("[1.5e3]")[0], 1500.0)


def test_the_server_encodes_its_packets_with_it() -> None:
    sio = create_sio(Settings(secret_key=Secret("k" * 40)))
    packet = sio.packet_class(socketio.packet.EVENT, data=["typing", {"is_typing": True}])
    assert sio.packet_class.json is PacketJson
    assert packet.encode() == '2["typing",{"is_typing":true}]'


def test_the_depth_scan_stays_linear_on_unterminated_strings() -> None:
    """Each quote of ``"\\"\\...`` once started a scan to the end: 60 KB took a minute."""
    hostile = "[" * 40 + '"\\' * 30_000
    started = time.perf_counter()
    with pytest.raises(JSONRejected):
        PacketJson.loads(hostile)
    assert time.perf_counter() - started < 2.0
