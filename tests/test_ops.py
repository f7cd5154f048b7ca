"""Operations endpoints: health, readiness, metrics (and who may read them), draining."""

from __future__ import annotations

import re

import aiohttp

from chatserver.keys import chat_key
from nabij.settings import Secret
from tests.harness import Nabij, NabijFactory, unused_port


async def _get(url: str, **headers: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as response:
        return response.status, await response.text()


async def _chat(nabij: Nabij) -> tuple[str, dict]:
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    cid = (await expert.next("chat:assigned"))["conversation_id"]
    await visitor.call("message:send", {"client_id": "v1", "body": "geheim-bericht"})
    await expert.call("message:send", {"conversation_id": cid, "client_id": "e1", "body": "hoi"})
    await visitor.call("no:such-event")
    return cid, ack


async def test_healthz_and_readyz_answer_when_all_is_up(nabij: Nabij) -> None:
    assert (await _get(f"{nabij.url}/healthz"))[0] == 200
    status, body = await _get(f"{nabij.url}/readyz")
    assert status == 200, body
    assert '"failed": []' in body


async def test_readyz_names_the_database_when_it_is_unreachable(
    nabij_factory: NabijFactory,
) -> None:
    closed = f"postgresql+asyncpg://nobody@127.0.0.1:{unused_port()}/nabij"
    nabij = await nabij_factory(database_url=closed)
    assert (await _get(f"{nabij.url}/healthz"))[0] == 200
    status, body = await _get(f"{nabij.url}/readyz")
    assert status == 503
    assert '"failed": ["database"]' in body


async def test_metrics_count_without_content_or_identifiers(nabij: Nabij) -> None:
    cid, ack = await _chat(nabij)
    status, text = await _get(f"{nabij.url}/metrics")
    assert status == 200
    assert 'nabij_connections{namespace="/visitor"} 1.0' in text
    assert 'nabij_connections{namespace="/staff"} 1.0' in text
    assert "nabij_active_chats 1.0" in text
    assert "nabij_waiting_visitors 0.0" in text
    assert "nabij_assignments_total 1.0" in text
    assert 'nabij_messages_relayed_total{sender="visitor"} 1.0' in text
    assert 'nabij_messages_relayed_total{sender="expert"} 1.0' in text
    assert "nabij_message_delivery_seconds_count 2.0" in text
    assert 'nabij_errors_total{code="invalid"} 1.0' in text
    for secret in (cid, ack["token"], "geheim", "anna", "Anna", "127.0.0.1"):
        assert secret not in text
    # Every label value is one of a few fixed words, never an id.
    for value in re.findall(r'="([^"]*)"', text):
        assert re.fullmatch(r"[a-z_/.+0-9Inf-]+", value), value


async def test_metrics_are_refused_to_proxied_callers(nabij: Nabij) -> None:
    status, _ = await _get(f"{nabij.url}/metrics", **{"X-Forwarded-For": "203.0.113.9"})
    assert status == 403


async def test_metrics_with_a_token_need_it(nabij_factory: NabijFactory) -> None:
    nabij = await nabij_factory(metrics_token=Secret("s3cret-metrics-token"))
    assert (await _get(f"{nabij.url}/metrics"))[0] == 403
    wrong = {"Authorization": "Bearer nope"}
    assert (await _get(f"{nabij.url}/metrics", **wrong))[0] == 403
    right = {"Authorization": "Bearer s3cret-metrics-token"}
    assert (await _get(f"{nabij.url}/metrics", **right))[0] == 200


async def test_a_draining_process_refuses_new_chats_and_is_not_ready(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    await nabij.staff("anna")
    nabij.app[chat_key].draining = True
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["error"]["code"] == "draining"
    status, body = await _get(f"{nabij.url}/readyz")
    assert status == 503
    assert '"failed": ["draining"]' in body
