"""Shared infrastructure of Nabij: settings, database base and shared vocabulary (no web code)."""
