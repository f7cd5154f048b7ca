"""Two server instances on one Redis and one database serve a conversation as one."""

from __future__ import annotations

import pytest
import socketio

from chatserver.keys import sio_key
from tests.harness import NabijFactory


@pytest.mark.parametrize("stack", ["postgres+redis"], indirect=True)
async def test_a_visitor_on_one_server_and_the_expert_on_another_talk(
    nabij_factory: NabijFactory,
) -> None:
    first = await nabij_factory()
    second = await nabij_factory()
    assert isinstance(first.app[sio_key].manager, socketio.AsyncRedisManager)
    await first.add_expert("anna")
    expert = await second.staff("anna")
    visitor = await first.visitor()

    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["position"] == 0
    assert (await visitor.next("chat:assigned"))["expert"]["display_name"] == "Anna"
    cid = (await expert.next("chat:assigned"))["conversation_id"]
    await visitor.call("message:send", {"client_id": "v1", "body": "hallo"})
    assert (await expert.next("message:new"))["body"] == "hallo"
    await expert.call("message:send", {"conversation_id": cid, "client_id": "e1", "body": "hoi"})
    assert (await visitor.next("message:new"))["body"] == "hoi"
    await expert.call("chat:end", {"conversation_id": cid})
    assert (await visitor.next("chat:ended"))["by"] == "expert"
