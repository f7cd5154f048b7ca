"""Minimal relay servers that the Nabij figures are compared against."""
