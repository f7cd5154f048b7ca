"""Live state: queue, presence, live conversations and their messages."""
