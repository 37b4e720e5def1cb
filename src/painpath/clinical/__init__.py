"""The clinical core: pure functions of plain values (no Django, no I/O, no clock).

Every rule cites its published source in its docstring and is tested from that source.
"""

from painpath.clinical.errors import InvalidInput

__all__ = ["InvalidInput"]
