"""An expert who opens a coordinator's page reads why, in their language, not a bare "403".

The walkthrough signed in as an expert and opened /roster, /team, /audit and the quick
replies: each answered the three characters ``403``.
"""

from __future__ import annotations

import pytest

from tests.harness import Nabij

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

PAGES = ("/roster", "/team", "/audit", "/console/quick-replies")


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("nl", "403: deze pagina is alleen voor coördinatoren; je console staat op /console.\n"),
        ("en", "403: this page is for coordinators only; your console is at /console.\n"),
    ],
)
async def test_a_coordinator_page_tells_an_expert_why_not(
    nabij: Nabij, lang: str, sentence: str
) -> None:
    await nabij.add_expert("anna", on_shift=False)
    async with nabij.http(await nabij.login("anna")) as expert:
        for path in PAGES:
            page = await expert.get(f"{nabij.url}{path}?lang={lang}")
            assert page.status == 403, path
            assert await page.text() == sentence, path
