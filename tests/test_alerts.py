"""Mentor alerts are never silently lost: stored until a coordinator picks them up.

Both stacks (tests/harness.py); the restart and cross-process tests need Redis.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from chatserver.chat.accounts import StaffAccounts
from chatserver.chat.alerts import Alerts
from chatserver.keys import chat_key, services_key
from tests.harness import Nabij, NabijFactory, Peer

NOTE = "Ze noemt een mes in huis"


async def expert_in_chat(nabij: Nabij, username: str = "anna") -> tuple[Peer, str]:
    """A signed-in expert holding a fresh chat; return the console and the conversation id."""
    await nabij.add_expert(username)
    expert = await nabij.staff(username)
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["ok"], ack
    await expert.next("chat:assigned")
    return expert, str(ack["conversation_id"])


async def coordinator(nabij: Nabij, username: str = "cora", role: str = "coordinator") -> Peer:
    """A coordinator's console (not taking chats)."""
    await nabij.add_expert(username, role=role, on_shift=False)
    return await nabij.staff(username, available=False)


async def synced_alerts(peer: Peer) -> list[dict[str, Any]]:
    ack = await peer.call("chats:sync")
    assert ack["ok"], ack
    alerts: list[dict[str, Any]] = ack["alerts"]
    return alerts


async def test_an_alert_raised_with_nobody_online_waits_for_the_first_coordinator(
    nabij: Nabij,
) -> None:
    expert, cid = await expert_in_chat(nabij)
    raised = await expert.call("alert:raise", {"conversation_id": cid, "note": NOTE})
    assert raised["ok"] and raised["coordinators_online"] == 0, raised

    cora = await coordinator(nabij)
    (alert,) = await synced_alerts(cora)
    assert alert["alert_id"] == raised["alert_id"]
    assert alert["conversation_id"] == cid and alert["note"] == NOTE
    assert alert["expert"]["display_name"] == "Anna"
    assert [a["alert_id"] for a in await synced_alerts(expert)] == [raised["alert_id"]]

    acked = await cora.call("alert:ack", {"alert_id": raised["alert_id"]})
    assert acked == {"ok": True, "alert_id": raised["alert_id"], "conversation_id": cid}
    told = await expert.next("alert:acked")
    assert told == {
        "alert_id": raised["alert_id"],
        "conversation_id": cid,
        "by": {"display_name": "Cora"},
    }
    closed = await cora.next("alert:closed")
    assert closed == {"alert_id": raised["alert_id"], "by": {"display_name": "Cora"}}
    assert await synced_alerts(cora) == [] and await synced_alerts(expert) == []


async def test_a_second_ack_fails_and_every_coordinator_sees_the_alert_close(
    nabij: Nabij,
) -> None:
    expert, cid = await expert_in_chat(nabij)
    cora, adam = await coordinator(nabij), await coordinator(nabij, "adam", role="admin")
    raised = await expert.call("alert:raise", {"conversation_id": cid, "note": NOTE})
    assert raised["coordinators_online"] == 2, raised
    assert (await adam.next("alert:new"))["alert_id"] == raised["alert_id"]

    assert (await adam.call("alert:ack", {"alert_id": raised["alert_id"]}))["ok"]
    again = await cora.call("alert:ack", {"alert_id": raised["alert_id"]})
    assert again["ok"] is False and again["error"]["code"] == "not_found", again
    assert (await cora.next("alert:closed"))["by"] == {"display_name": "Adam"}
    assert (await expert.next("alert:acked"))["by"] == {"display_name": "Adam"}
    assert await expert.quiet("alert:acked")


async def test_an_expert_cannot_ack_and_sees_only_their_own_alerts(nabij: Nabij) -> None:
    anna, cid = await expert_in_chat(nabij)
    bert, _ = await expert_in_chat(nabij, "bert")
    raised = await anna.call("alert:raise", {"conversation_id": cid, "note": NOTE})

    for peer in (anna, bert):
        refused = await peer.call("alert:ack", {"alert_id": raised["alert_id"]})
        assert refused["error"]["code"] == "forbidden", refused
    assert await synced_alerts(bert) == []
    assert [a["alert_id"] for a in await synced_alerts(anna)] == [raised["alert_id"]]
    cora = await coordinator(nabij)
    assert [a["alert_id"] for a in await synced_alerts(cora)] == [raised["alert_id"]]


async def test_a_malformed_ack_is_invalid_and_changes_nothing(nabij: Nabij) -> None:
    expert, cid = await expert_in_chat(nabij)
    cora = await coordinator(nabij)
    raised = await expert.call("alert:raise", {"conversation_id": cid, "note": NOTE})
    for payload in (None, {}, {"alert_id": 7}, {"alert_id": raised["alert_id"] + "0"}):
        ack = await cora.call("alert:ack", payload)
        assert ack["error"]["code"] == "invalid", (payload, ack)
    assert len(await synced_alerts(cora)) == 1


@pytest.mark.parametrize("stack", ["postgres+redis"], indirect=True)
async def test_an_alert_survives_a_restart_and_is_counted_across_processes(
    nabij_factory: NabijFactory,
) -> None:
    first = await nabij_factory()
    expert, cid = await expert_in_chat(first)
    raised = await expert.call("alert:raise", {"conversation_id": cid, "note": NOTE})
    assert raised["coordinators_online"] == 0
    await first.close()
    await first.server.close()

    second = await nabij_factory()
    cora = await coordinator(second)
    (alert,) = await synced_alerts(cora)
    assert alert["alert_id"] == raised["alert_id"] and alert["note"] == NOTE

    third = await nabij_factory()
    bert, other = await expert_in_chat(third, "bert")
    counted = await bert.call("alert:raise", {"conversation_id": other, "note": ""})
    assert counted["coordinators_online"] == 1, counted  # Cora is on the second process
    assert (await cora.next("alert:new"))["alert_id"] == counted["alert_id"]


@asynccontextmanager
async def unreachable_database() -> AsyncIterator[Any]:
    raise OperationalError("SELECT", {}, OSError("connection refused"))
    yield


async def test_the_count_is_null_when_the_database_cannot_say(nabij: Nabij) -> None:
    """The alert is stored before the count: a failing count must not fail the raise."""
    await coordinator(nabij)
    chat = nabij.app[chat_key]
    assert await nabij.app[services_key].alerts.coordinators_online(exclude=0) == 1
    accounts = StaffAccounts(
        unreachable_database, chat.store, chat.notifier, chat.settings, chat.clock
    )
    alerts = Alerts(chat.store, chat.notifier, accounts, chat)
    assert await alerts.coordinators_online(exclude=0) is None
