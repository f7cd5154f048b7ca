"""Nabij's benchmark harness (issue 8): ``python -m bench`` runs every scenario.

Not tests: nothing here runs under ``scripts/test``. See docs/performance.md.
"""
