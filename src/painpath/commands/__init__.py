"""Sub-commands of the `painpath` CLI.

Each module here defines ``register(subparsers)`` which adds one or more sub-commands and sets
``func`` (a callable taking the parsed ``argparse.Namespace`` and returning an exit code).
Modules are discovered automatically, so areas of the product add commands without touching
a shared file. Import heavy dependencies (Django, DuckDB) inside ``func``, never at module
level, so `painpath score` stays fast.
"""
