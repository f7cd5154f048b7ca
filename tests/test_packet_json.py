"""Socket.IO packets are encoded with orjson, and every value the standard library took
still encodes and reads as before (chatserver/realtime/jsoncodec.py).
"""

from __future__ import annotations

import json
import math

import pytest
import socketio

from chatserver.realtime.jsoncodec import PacketJson
from chatserver.realtime.server import create_sio
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


def test_what_orjson_refuses_or_reads_otherwise_the_standard_library_answers() -> None:
    big = 10**30
    assert PacketJson.loads(f'{{"seq": {big}}}') == {"seq": big}
    assert type(PacketJson.loads(f"[{big}]")[0]) is int
    assert math.isnan(PacketJson.loads("[NaN]")[0])
    assert PacketJson.dumps({"seq": big}, separators=(",", ":")) == f'{{"seq":{big}}}'
    assert PacketJson.dumps({1: "a"}, separators=(",", ":")) == '{"1":"a"}'
    with pytest.raises(ValueError):
        PacketJson.loads("{not json")


def test_the_server_encodes_its_packets_with_it() -> None:
    sio = create_sio(Settings(secret_key=Secret("k" * 40)))
    packet = sio.packet_class(socketio.packet.EVENT, data=["typing", {"is_typing": True}])
    assert sio.packet_class.json is PacketJson
    assert packet.encode() == '2["typing",{"is_typing":true}]'
