"""The one error type sub-commands raise for bad input.

It lives outside ``painpath.cli`` so that ``python -m painpath.cli`` (where the CLI module runs as
``__main__``) and the sub-commands (which import ``painpath.cli``) share one class, and
``cli.main`` catches it: one line on stderr, exit status 2, never a traceback.
"""

from __future__ import annotations


class CommandError(Exception):
    """A user-facing error from a sub-command: printed as one line, exit status 2."""
