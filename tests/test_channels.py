"""The visitor channel seam: a conversation names its channel, the store keeps it, and
everything for its visitor goes through that channel, never past it to the widget's room.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import redis.asyncio as aioredis
import socketio

from chatserver.chat.channels import (
    Assigned,
    Channels,
    Queued,
    Typing,
    UnknownChannel,
    VisitorState,
    WebChannel,
)
from chatserver.chat.rooms import RoomEmitter
from chatserver.keys import chat_key
from chatserver.live.models import Conversation, Message
from chatserver.live.redis import RedisLiveStore
from chatserver.live.store import LiveStore
from staffing.sessions import hash_token
from tests.harness import Nabij
from tests.livestore import NOW, drop_prefix, make_profile, new_chat

TOKEN = "letter-visitor-token-" + "x" * 22


class RecordingChannel:
    """A second channel: notes each delivery instead of reaching anyone."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[Any, ...]] = []

    async def deliver_message(
        self, conversation: Conversation, message: Message, skip: str | None
    ) -> None:
        self.deliveries.append(("message", conversation.id, message.sender, message.body))

    async def deliver_state(self, conversation: Conversation, state: VisitorState) -> None:
        self.deliveries.append(("state", conversation.id, state))

    async def deliver_ending(self, conversation: Conversation) -> None:
        ending = (conversation.ended_by, conversation.end_reason)
        self.deliveries.append(("ending", conversation.id, ending))


async def test_a_second_channel_gets_what_the_widget_room_would_have(nabij: Nabij) -> None:
    """A widget socket sits in the conversation's room and hears none of it."""
    await nabij.add_expert("anna", capacity=1)
    await nabij.add_expert("bert", capacity=1)
    chat = nabij.app[chat_key]
    letters = RecordingChannel()
    chat.notifier.channels.register("letter", letters)
    cid = (
        await chat.store.create_conversation(
            uuid.uuid4().hex, hash_token(TOKEN), "victim", "nl", chat.clock(), channel="letter"
        )
    ).id
    await chat.store.request(cid, [], chat.clock())
    widget = await nabij.visitor(auth={"token": TOKEN, "last_seq": 0})
    await widget.next("chat:resumed")

    await chat.notify_queue_changed()
    anna = await nabij.staff("anna")
    assert (await anna.next("chat:assigned"))["conversation_id"] == cid
    sent = {"conversation_id": cid, "client_id": "e1", "body": "Hoi, ik ben Anna"}
    ack = await anna.call("message:send", sent)
    assert ack["ok"], ack
    assert (await anna.call("typing", {"conversation_id": cid, "is_typing": True}))["ok"]
    assert (await widget.call("message:send", {"client_id": "v1", "body": "Hallo"}))["ok"]
    assert (await anna.next("message:new"))["body"] == "Hallo"
    bert = await nabij.staff("bert", available=False)
    await bert.call("presence:set", {"available": True})
    assert (await anna.call("chat:transfer", {"conversation_id": cid}))["ok"]
    await bert.next("chat:assigned")
    assert (await bert.call("chat:end", {"conversation_id": cid}))["ok"]
    await bert.next("chat:ended")

    assert letters.deliveries == [
        ("state", cid, Queued(1, None)),
        ("state", cid, Assigned("Anna")),
        ("message", cid, "expert", "Hoi, ik ben Anna"),
        ("state", cid, Typing(True)),
        ("message", cid, "visitor", "Hallo"),
        ("state", cid, Assigned("Bert", handed_over=True)),
        ("ending", cid, ("expert", "expert_ended")),
    ]
    assert await widget.quiet("chat:ended")
    for event in ("chat:queued", "chat:assigned", "message:new", "typing"):
        assert widget.pending(event) == [], event


async def test_the_widget_room_still_gets_a_web_conversation(nabij: Nabij) -> None:
    """The control of the test above: a web conversation's room gets every event."""
    await nabij.add_expert("anna", capacity=1)
    chat = nabij.app[chat_key]
    letters = RecordingChannel()
    chat.notifier.channels.register("letter", letters)
    anna = await nabij.staff("anna")
    visitor = await nabij.visitor()
    cid = (await visitor.call("chat:request", {"audience": "victim"}))["conversation_id"]
    assert (await visitor.next("chat:assigned"))["expert"] == {"display_name": "Anna"}
    await anna.next("chat:assigned")
    second = await nabij.visitor()
    assert (await second.call("chat:request", {"audience": "victim"}))["ok"]
    assert (await second.next("chat:queued"))["position"] == 1
    await anna.call("typing", {"conversation_id": cid, "is_typing": True})
    assert await visitor.next("typing") == {"is_typing": True}
    await anna.call("message:send", {"conversation_id": cid, "client_id": "e1", "body": "Hoi"})
    assert (await visitor.next("message:new"))["body"] == "Hoi"
    await anna.call("chat:end", {"conversation_id": cid})
    assert await visitor.next("chat:ended") == {"by": "expert", "reason": "expert_ended"}
    assert letters.deliveries == []


def _registry() -> Channels:
    sio = socketio.AsyncServer(async_mode="aiohttp")
    return Channels(WebChannel(RoomEmitter(sio)))


def test_a_conversation_of_an_unknown_channel_is_refused_by_name() -> None:
    channels = _registry()
    conversation = Conversation(
        id="c1", audience="victim", lang="nl", state="waiting", requested_at=NOW, channel="fax"
    )
    with pytest.raises(UnknownChannel, match="'fax'"):
        channels.of(conversation)
    web = Conversation(id="c2", audience="victim", lang="nl", state="waiting", requested_at=NOW)
    assert channels.of(web) is channels.web


def test_a_channel_name_is_registered_once() -> None:
    channels = _registry()
    letters = RecordingChannel()
    channels.register("letter", letters)
    with pytest.raises(ValueError, match="'letter'"):
        channels.register("letter", RecordingChannel())
    with pytest.raises(ValueError, match="'web'"):
        channels.register("web", RecordingChannel())
    letter = Conversation(
        id="c1", audience="victim", lang="nl", state="waiting", requested_at=NOW, channel="letter"
    )
    assert channels.of(letter) is letters


async def test_the_channel_survives_every_step_of_the_store(store: LiveStore) -> None:
    """Created, queued, assigned, messaged, transferred, requeued and ended, it keeps its
    channel (in Redis the scripts read the whole hash back)."""
    await new_chat(store, "c-web")
    await store.create_conversation("c1", "token-c1", "victim", "nl", NOW, channel="whatsapp")
    assert [c.channel for c in await store.queue()] == []
    assert (await store.request("c1", [], NOW)).position == 1
    assert [c.channel for c in await store.queue()] == ["whatsapp"]
    for expert_id in (1, 2):
        await store.expert_connected(make_profile(expert_id), NOW)
        await store.set_available(expert_id, True, NOW)
    assert await store.assign_head([1], NOW) is not None
    appended = await store.append_message("c1", "m1", "visitor", "v1", "hallo", NOW)
    assert appended.conversation.channel == "whatsapp"
    assert await store.transfer("c1", 1, 2, NOW) == "ok"
    assert await store.requeue("c1", NOW)
    assert await store.accept("c1", 1, NOW) == "ok"
    ended = await store.end("c1", "expert", "expert_ended", NOW)
    assert ended is not None and ended.channel == "whatsapp"
    stored = await store.get_conversation("c1")
    assert stored is not None and stored.channel == "whatsapp"
    web = await store.get_conversation("c-web")
    assert web is not None and web.channel == "web"


async def test_a_redis_conversation_kept_before_channels_reads_as_web(
    redis_url: str, redis_prefix: str
) -> None:
    store = RedisLiveStore.from_url(redis_url, redis_prefix)
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        await store.create_conversation("c1", "token-c1", "victim", "nl", NOW, channel="letter")
        await client.hdel(f"{redis_prefix}conv:c1", "channel")
        conversation = await store.get_conversation("c1")
        assert conversation is not None and conversation.channel == "web"
    finally:
        await client.aclose()
        await drop_prefix(redis_url, redis_prefix)
        await store.close()
