"""The JSON codec of Socket.IO and Engine.IO packets: orjson encodes, chatserver.strictjson reads.

python-socketio takes any object with ``dumps(obj, separators=...)`` and ``loads(text)``
(``AsyncServer(json=...)``). Encoding showed in the relay profile (docs/performance.md):
each relayed message is encoded twice (its ``message:new`` and the sender's ack), and
orjson does that several times faster than the standard library. Where orjson refuses a
value (an integer beyond 64 bits, a key that is not a string), the standard library
encodes it as before.

Reading is chatserver.strictjson (the standard library with bounds on depth, integer size
and lone surrogates): orjson would read an integer beyond 64 bits as a float, and a check
for one costs more than orjson saves on a message this small. A packet it refuses is
answered ``invalid`` by chatserver/realtime/packets.py, never a traceback.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from chatserver import strictjson


class PacketJson:
    """The ``json`` module interface python-socketio and python-engineio call."""

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        """Compact JSON text (``separators`` are orjson's own: no spaces)."""
        try:
            return orjson.dumps(obj).decode()
        except orjson.JSONEncodeError:
            return json.dumps(obj, **kwargs)

    @staticmethod
    def loads(text: str | bytes) -> Any:
        """The value of ``text``; strictjson.JSONRejected (a ValueError) when it is refused."""
        return strictjson.loads(text)
