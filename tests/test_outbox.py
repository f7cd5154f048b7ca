"""The database outbox on both live stores: held in order, removed only once written."""

from __future__ import annotations

from chatserver.chat import outbox
from chatserver.live.models import Conversation
from chatserver.live.store import LiveStore


def _ended(cid: str) -> Conversation:
    return Conversation(
        id=cid, audience="victim", lang="nl", state="ended", requested_at=1.0, ended_at=2.0
    )


async def test_held_writes_wait_until_they_succeed_then_go(store: LiveStore) -> None:
    await store.outbox_push(outbox.finished_item(_ended("a" * 32)))
    await store.outbox_push(outbox.missed_item("b" * 32, "victim", 3.0, "closed"))
    await store.outbox_push(outbox.finished_item(_ended("c" * 32)))
    written: list[str] = []
    down = True

    async def finished(conversation: Conversation) -> None:
        if down:
            raise OSError("database unreachable")
        written.append(conversation.id)

    async def missed(cid: str, audience: str, at: float, reason: str) -> None:
        written.append(f"{cid}:{audience}:{at}:{reason}")

    assert await outbox.flush(store, finished, missed) == 0
    assert await store.outbox_size() == 3 and written == []
    down = False
    assert await outbox.flush(store, finished, missed) == 3
    assert written == ["a" * 32, f"{'b' * 32}:victim:3.0:closed", "c" * 32]
    assert await store.outbox_size() == 0


async def test_an_item_holds_the_record_fields_only(store: LiveStore) -> None:
    conversation = _ended("d" * 32)
    await store.outbox_push(outbox.finished_item(conversation))
    (raw,) = await store.outbox_peek(10)
    assert set(raw) and "body" not in raw and "token" not in raw
    seen: list[Conversation] = []

    async def finished(c: Conversation) -> None:
        seen.append(c)

    async def missed(*_: object) -> None:
        raise AssertionError

    await outbox.flush(store, finished, missed)
    assert seen == [conversation]
