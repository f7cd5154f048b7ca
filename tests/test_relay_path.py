"""The message path's shortcuts keep delivery whole: every other socket of a room still gets
each message, and only emits that could reach nobody are skipped (docs/performance.md).
"""

from __future__ import annotations

from unittest.mock import AsyncMock

import socketio

from chatserver.chat.notify import STAFF, VISITOR, Notifier, conversation_room, expert_room
from chatserver.live.models import Conversation, Message
from chatserver.realtime.manager import InlineAsyncManager
from tests.harness import Nabij

CONVERSATION = Conversation(
    id="c1", audience="victim", lang="nl", state="active", requested_at=1.0, expert_id=7
)
MESSAGE = Message(id="m1", seq=1, sender="visitor", body="hallo", sent_at=2.0)


async def test_a_second_tab_and_a_second_console_get_what_the_first_sent(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    console = await nabij.staff("anna")
    other_console = await nabij.staff("anna")
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    cid = ack["conversation_id"]
    await console.next("chat:assigned")
    other_tab = await nabij.visitor(auth={"token": ack["token"], "last_seq": 0})
    await other_tab.next("chat:resumed")

    await visitor.call("message:send", {"client_id": "v1", "body": "een"})
    assert (await other_tab.next("message:new"))["body"] == "een"
    assert (await console.next("message:new"))["body"] == "een"
    assert (await other_console.next("message:new"))["body"] == "een"
    sent = {"conversation_id": cid, "client_id": "e1", "body": "twee"}
    assert (await console.call("message:send", sent))["ok"]
    assert (await other_console.next("message:new"))["body"] == "twee"
    assert [(await peer.next("message:new"))["body"] for peer in (visitor, other_tab)] == [
        "twee",
        "twee",
    ]
    assert await visitor.quiet("message:new") and await console.quiet("message:new")


def _notifier(manager: socketio.AsyncManager | None = None) -> tuple[Notifier, AsyncMock]:
    sio = socketio.AsyncServer(async_mode="aiohttp", client_manager=manager)
    sio.manager.initialize()
    emit = AsyncMock()
    sio.emit = emit  # type: ignore[method-assign]
    return Notifier(sio), emit


async def test_one_process_skips_the_emits_that_reach_nobody() -> None:
    notifier, emit = _notifier()
    manager = notifier.sio.manager
    await manager.enter_room("visitor-sid", VISITOR, conversation_room("c1"), "eio-1")
    await manager.enter_room("console-sid", STAFF, expert_room(7), "eio-2")

    await notifier.notify_message_new(CONVERSATION, MESSAGE, skip_sid="visitor-sid")

    [call] = emit.await_args_list
    assert (call.args[0], call.kwargs["to"], call.kwargs["namespace"]) == (
        "message:new",
        expert_room(7),
        STAFF,
    )
    assert call.args[1]["conversation_id"] == "c1"


async def test_with_a_pub_sub_manager_every_emit_goes_out() -> None:
    """Another process may hold the sender's other tab or a watching coordinator."""
    manager = socketio.AsyncRedisManager("redis://127.0.0.1:6379/0", write_only=True)
    notifier, emit = _notifier(manager)

    await notifier.notify_message_new(CONVERSATION, MESSAGE, skip_sid="visitor-sid")

    assert [c.kwargs["to"] for c in emit.await_args_list] == [
        conversation_room("c1"),
        expert_room(7),
        "watch:c1",
    ]


async def _inline_manager_with_room() -> tuple[InlineAsyncManager, AsyncMock]:
    manager = InlineAsyncManager()
    sio = socketio.AsyncServer(async_mode="aiohttp", client_manager=manager)
    manager.initialize()
    send = AsyncMock()
    sio.eio.send_packet = send
    for sid, eio_sid in [("a", "eio-a"), ("b", "eio-b"), ("c", "eio-c")]:
        await manager.enter_room(sid, STAFF, "room", eio_sid)
    return manager, send


async def test_the_inline_manager_sends_one_encoded_packet_to_each_other_member() -> None:
    manager, send = await _inline_manager_with_room()
    send.side_effect = [OSError("gone"), None]  # b's socket fails; c still gets it

    await manager.emit("message:new", {"body": "hallo"}, STAFF, to="room", skip_sid="a")
    await manager.emit("typing", ("x", 1), STAFF, to="nowhere")

    assert [c.args[0] for c in send.await_args_list] == ["eio-b", "eio-c"]
    first, second = (c.args[1] for c in send.await_args_list)
    assert first is second
    assert first.encode() == "42" + STAFF + ',["message:new",{"body":"hallo"}]'


async def test_the_inline_manager_spreads_a_tuple_and_keeps_callbacks_on_the_original_path() -> (
    None
):
    manager, send = await _inline_manager_with_room()

    await manager.emit("typing", ("x", 1), STAFF, to="room", skip_sid=["a", "b"])
    await manager.emit("ping", None, STAFF, to="room", skip_sid=["a", "b"], callback=print)

    tuple_packet, callback_packet = (c.args[1] for c in send.await_args_list)
    assert tuple_packet.encode() == "42" + STAFF + ',["typing","x",1]'
    assert send.await_args_list[1].args[0] == "eio-c"
    assert callback_packet.encode() == f'42{STAFF},1["ping"]'  # with an ack id
