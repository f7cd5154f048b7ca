"""Vocabulary shared by the packages: audiences, expert focus, staff roles."""

from __future__ import annotations

from typing import Final

#: Who a visitor says they are; ``unknown`` is "rather not say".
AUDIENCES: Final = ("victim", "perpetrator", "relative", "professional", "unknown")

#: The audiences an expert can be matched to by experience.
FOCUS_CODES: Final = ("victim", "perpetrator", "relative", "professional")

#: Languages a chat can be held in (the widget's languages; experts list theirs).
LANGUAGES: Final = ("nl", "en")
#: The visitor's answer to "can you chat safely now?" (DESIGN.md "Safety check").
SAFETY_ANSWERS: Final = ("safe", "unsure", "unsafe")

#: Staff roles, least to most privileged; each includes the rights of the ones before it.
ROLES: Final = ("expert", "coordinator", "admin")


def role_at_least(role: str, needed: str) -> bool:
    """Return whether ``role`` has the rights of ``needed``."""
    return ROLES.index(role) >= ROLES.index(needed)
