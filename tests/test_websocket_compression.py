"""Websockets are never compressed: a browser's permessage-deflate offer is declined
(memory per socket, CPU per frame, and no compression side channel)."""

from __future__ import annotations

import aiohttp

from tests.harness import Nabij


async def test_a_compression_offer_is_declined_and_the_socket_still_works(nabij: Nabij) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{nabij.url}/socket.io/?EIO=4&transport=websocket", compress=15) as ws,
    ):
        assert "Sec-WebSocket-Extensions" not in ws._response.headers
        assert ws.compress == 0
        opened = await ws.receive_str()
        assert opened.startswith("0{") and '"sid"' in opened
        await ws.send_str("40/visitor,")
        connected = await ws.receive_str()
        assert connected.startswith("40/visitor,{") and '"sid"' in connected
