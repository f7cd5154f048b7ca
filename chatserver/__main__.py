"""``python -m chatserver``: the same as the ``nabij`` command."""

from chatserver.cli import main

raise SystemExit(main())
