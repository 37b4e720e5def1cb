"""``python -m painpath``: the same as the ``painpath`` command."""

from painpath.cli import main

raise SystemExit(main())
