"""Experts, shifts and the roster: who may be routed to, and when the chat is open."""
