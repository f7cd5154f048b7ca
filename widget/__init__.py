"""The embeddable chat widget: JavaScript sources in ``src/``, built by npm into ``dist/``.

``scripts/run`` and ``scripts/test`` build it when its sources change; the Python service
serves ``dist/`` (see ``manifest.json`` for the current, content-hashed file names).
"""

from pathlib import Path

DIST = Path(__file__).resolve().parent / "dist"
