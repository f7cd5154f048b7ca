"""The WhatsApp channel over Meta's WhatsApp Business Platform Cloud API (DESIGN.md
"Channels"): signed webhook deliveries in (inbound.py, signature.py), Graph API calls out
(graph.py). The sender's number is needed to answer; it never leaves the live store.
"""
