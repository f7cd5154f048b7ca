"""The WhatsApp channel's parts: settings, signatures, deliveries and the Graph API client.

The client runs against the local fake of the Graph API (tests/whatsappfake.py); the
deliveries are Meta's documented shapes (tests/fixtures/whatsapp/).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from chatserver.whatsapp.graph import GraphClient, GraphError
from chatserver.whatsapp.inbound import Delivered, DeliveryRejected, Incoming, read_delivery
from chatserver.whatsapp.signature import is_signed, signature_of
from nabij.settingtypes import SettingsError
from nabij.whatsapp_settings import WhatsAppSettings, load_whatsapp
from tests.whatsappfake import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    FakeGraph,
    Scripted,
    fixture,
    signed,
)

FULL = {
    "NABIJ_WHATSAPP_APP_SECRET": APP_SECRET,
    "NABIJ_WHATSAPP_VERIFY_TOKEN": "verify-token-0123456789",
    "NABIJ_WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
    "NABIJ_WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
}


# -- settings ------------------------------------------------------------------------------


def test_the_channel_is_off_unless_configured_and_keeps_its_secrets() -> None:
    assert load_whatsapp({}) is None
    settings = load_whatsapp(FULL)
    assert settings is not None
    assert settings.graph_url == "https://graph.facebook.com/v21.0"
    shown = repr(settings)
    assert APP_SECRET not in shown and ACCESS_TOKEN not in shown


@pytest.mark.parametrize("left_out", sorted(FULL))
def test_a_half_set_channel_stops_start_up_naming_what_is_missing(left_out: str) -> None:
    partial = {name: value for name, value in FULL.items() if name != left_out}
    with pytest.raises(SettingsError, match=left_out) as refused:
        load_whatsapp(partial)
    assert APP_SECRET not in str(refused.value) and ACCESS_TOKEN not in str(refused.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NABIJ_WHATSAPP_PHONE_NUMBER_ID", "12ab"),
        ("NABIJ_WHATSAPP_GRAPH_URL", "http://graph.example.com/v21.0"),
        ("NABIJ_WHATSAPP_GRAPH_URL", "ftp://127.0.0.1/"),
        ("NABIJ_WHATSAPP_APP_SECRET", "short"),
    ],
)
def test_a_wrong_value_is_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_whatsapp({**FULL, name: value})


def test_a_local_fake_may_be_plain_http_on_the_loopback() -> None:
    settings = load_whatsapp({**FULL, "NABIJ_WHATSAPP_GRAPH_URL": "http://127.0.0.1:9/v21.0/"})
    assert settings is not None and settings.graph_url == "http://127.0.0.1:9/v21.0"


# -- signatures ----------------------------------------------------------------------------


def test_only_the_app_secrets_signature_of_these_exact_bytes_passes() -> None:
    body, header = signed(fixture("text_message"))
    assert is_signed(APP_SECRET, body, header)
    assert is_signed(APP_SECRET, body, header.upper().replace("SHA256=", "sha256="))
    assert not is_signed(APP_SECRET, body + b" ", header)
    assert not is_signed("another-secret-0123456789", body, header)
    for wrong in (None, "", "sha256=", header[:-1], "sha1=" + header[7:], header + "0"):
        assert not is_signed(APP_SECRET, body, wrong)
    assert not is_signed(APP_SECRET, body, signature_of(APP_SECRET, body).replace("a", "é", 1))


# -- deliveries ----------------------------------------------------------------------------


def _events(name: str) -> list[Incoming | Delivered]:
    body, _ = signed(fixture(name))
    return read_delivery(body, PHONE_NUMBER_ID)


def _incoming(name: str) -> list[Incoming]:
    events = _events(name)
    assert all(isinstance(e, Incoming) for e in events)
    return [e for e in events if isinstance(e, Incoming)]


def test_a_text_an_interactive_choice_and_another_kind() -> None:
    (text,) = _incoming("text_message")
    assert (text.kind, text.sender, text.text) == (
        "text",
        "31612345678",
        "Hallo, ik wil graag met iemand praten.",
    )
    assert text.sent_at == 1764878400.0
    (choice,) = _incoming("list_reply")
    assert (choice.kind, choice.choice) == ("choice", "victim")
    (image,) = _incoming("image_message")
    assert (image.kind, image.text, image.choice) == ("other", "", "")  # nothing of it kept


def test_a_batch_keeps_its_order_and_skips_other_numbers() -> None:
    events = _events("batch_two_numbers")
    assert [e.message_id for e in events] == ["wamid.FIRSTOFTWO", "wamid.SECONDOFTWO"]


def test_statuses_come_through_as_sent_even_out_of_order() -> None:
    statuses = _events("statuses_out_of_order")
    assert [(s.status, s.at) for s in statuses if isinstance(s, Delivered)] == [
        ("read", 1764878590.0),
        ("delivered", 1764878585.0),
        ("sent", 1764878580.0),
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        json.dumps({"object": "page", "entry": []}).encode(),
        json.dumps({"object": "whatsapp_business_account", "entry": [{"id": 5}]}).encode(),
        json.dumps({"object": "whatsapp_business_account", "entry": "x"}).encode(),
    ],
)
def test_what_is_not_a_delivery_is_rejected_plainly(body: bytes) -> None:
    with pytest.raises(DeliveryRejected):
        read_delivery(body, PHONE_NUMBER_ID)


def test_a_huge_timestamp_reads_as_unknown_not_infinite() -> None:
    delivery = fixture("text_message")
    delivery["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = "9" * 400
    body, _ = signed(delivery)
    (event,) = read_delivery(body, PHONE_NUMBER_ID)
    assert isinstance(event, Incoming) and event.sent_at == 0.0


# -- the Graph API client ------------------------------------------------------------------


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    await fake.start()
    yield fake
    await fake.close()


def _settings(graph: FakeGraph) -> WhatsAppSettings:
    settings = load_whatsapp({**FULL, "NABIJ_WHATSAPP_GRAPH_URL": graph.url})
    assert settings is not None
    return settings


@pytest.fixture
async def sleeps() -> list[float]:
    return []


@pytest.fixture
async def client(graph: FakeGraph, sleeps: list[float]) -> AsyncIterator[GraphClient]:
    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    client = GraphClient(_settings(graph), pool_size=4, sleep=no_wait)
    await client.start()
    yield client
    await client.close()


async def test_a_text_goes_out_and_its_id_comes_back(graph: FakeGraph, client: GraphClient) -> None:
    message_id = await client.send_text("31612345678", "Hoi, ik ben Anna.")
    assert message_id.startswith("wamid.")
    (sent,) = graph.sent
    assert (sent["to"], sent["type"], sent["text"]["body"]) == (
        "31612345678",
        "text",
        "Hoi, ik ben Anna.",
    )


async def test_throttling_and_server_errors_are_retried_with_backoff(
    graph: FakeGraph, client: GraphClient, sleeps: list[float]
) -> None:
    graph.script = [Scripted(429, 130429, {"Retry-After": "3"}), Scripted(503)]
    assert (await client.send_text("31612345678", "Na twee keer")).startswith("wamid.")
    assert graph.calls == 3 and len(graph.sent) == 1
    assert sleeps[0] == 3.0  # Meta's Retry-After
    assert 1.0 <= sleeps[1] <= 1.5  # the second backoff step, with jitter


async def test_retries_stop_and_say_so(
    graph: FakeGraph, client: GraphClient, sleeps: list[float]
) -> None:
    graph.script = [Scripted(500)] * 4
    with pytest.raises(GraphError) as refused:
        await client.send_text("31612345678", "Nooit")
    assert (refused.value.status, refused.value.retriable) == (500, True)
    assert graph.calls == 4 and graph.sent == [] and len(sleeps) == 3


async def test_a_closed_24_hour_window_is_final_and_recognised(
    graph: FakeGraph, client: GraphClient
) -> None:
    graph.script = [Scripted(400, 131047)]
    with pytest.raises(GraphError) as refused:
        await client.send_text("31612345678", "Te laat")
    assert refused.value.outside_window and not refused.value.retriable
    assert graph.calls == 1
    template_id = await client.send_template("31612345678", "nabij_antwoord", "nl")
    assert template_id.startswith("wamid.")
    assert graph.sent[-1]["template"] == {"name": "nabij_antwoord", "language": {"code": "nl"}}


async def test_a_choice_is_a_list_message_with_metas_limits(
    graph: FakeGraph, client: GraphClient
) -> None:
    rows = [("victim", "Ik maak geweld mee"), ("unknown", "Dat zeg ik liever niet, dank je")]
    await client.send_list("31612345678", "Wie ben jij?", "Kies", rows)
    interactive = graph.sent[-1]["interactive"]
    titles = [row["title"] for row in interactive["action"]["sections"][0]["rows"]]
    assert titles == ["Ik maak geweld mee", "Dat zeg ik liever niet, "]
    assert all(len(title) <= 24 for title in titles)


async def test_a_burst_waits_for_the_bounded_pool(graph: FakeGraph, client: GraphClient) -> None:
    graph.delay_s = 0.05
    ids = await asyncio.gather(*(client.send_text("31612345678", f"{n}") for n in range(20)))
    assert len(set(ids)) == 20
    assert graph.most_open <= 4
