"""The kinds of short-lived marks the chat keeps in the live store (``LiveStore.mark``).

In one module of its own, imported by the services that set and read them, so that none
has to import another service only for a name.
"""

from __future__ import annotations

from typing import Final

#: A blocked conversation: its resume token and its sockets get no new chat.
BLOCKED_CONVERSATION: Final = "blocked_conversation"
#: The conversation's block also covers the address; its sockets mark it when next seen.
BLOCKED_CONVERSATION_ADDRESS: Final = "blocked_conversation_address"
#: A blocked (hashed) address: no chats, no messages left.
BLOCKED_ADDRESS: Final = "blocked_address"
#: A chat that ended normally: its visitor may send one verdict (chat/feedback.py).
FEEDBACK_ALLOWED: Final = "feedback_allowed"
