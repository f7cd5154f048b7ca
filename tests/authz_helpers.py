"""Helpers shared by the authorization and hardening tests."""

from __future__ import annotations

import re


def concrete(route: str) -> tuple[str, str]:
    """Method and a path whose placeholders name nothing."""
    method, path = route.split(" ", 1)
    path = path.replace("{filename}", "nothing-here.css").replace("{name}", "nothing-here.js")
    return method, re.sub(r"\{[^}]+\}", "999999", path)
