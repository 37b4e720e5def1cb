"""The folders the registry writes: an extract (or synthetic registry) and a report.

Writing into a folder that holds anything else could mix a synthetic registry with a real extract
or leave stale files beside fresh ones, so both commands refuse such a folder with one line.
"""

from __future__ import annotations

from pathlib import Path

from painpath.registry.schema import TABLES

EXTRACT_FILES = frozenset(
    [t.filename for t in TABLES] + ["data_dictionary.csv", "data_dictionary.md"]
)


class OutputFolderError(ValueError):
    """The output folder is a file or holds files that are not a previous extract."""


def check_output_folder(out_dir: Path, *, also_allowed: frozenset[str] = frozenset()) -> None:
    """Refuse a folder holding anything but a previous extract (stale or foreign files)."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputFolderError(f"--out {out_dir} is not a folder")
    allowed = EXTRACT_FILES | also_allowed
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in allowed)
    if foreign:
        raise OutputFolderError(
            f"--out {out_dir} holds files that are not part of an extract "
            f"({', '.join(foreign[:3])}); use an empty folder"
        )
