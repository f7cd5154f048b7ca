"""The live chat: requests, routing, messages, hand-overs and endings."""
