"""Nabij's composition root: the aiohttp app, Socket.IO namespaces, routing and HTTP API."""
