"""`painpath triage FILE|-` and `painpath findings` (CLINICAL.md section 1).

Bad input (missing or unreadable file, malformed JSON, input the core refuses) raises
CommandError or InvalidInput: cli.main prints one line to stderr and exits 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "triage",
        help="red-flag triage, classification, risk and pathway for one assessment (JSON in/out)",
    )
    p.add_argument(
        "file", help="the assessment as a JSON object (CLINICAL.md section 1); - for stdin"
    )
    p.set_defaults(func=cmd_triage)

    p = sub.add_parser("findings", help="list the triage finding codes (vocabulary)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument(
        "--markdown", action="store_true", help="print the triage reference page (docs/reference)"
    )
    p.set_defaults(func=cmd_findings)


def cmd_triage(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError
    from painpath.clinical.triage import assess
    from painpath.commands._input import parse_json, read_text

    where = "standard input" if args.file == "-" else args.file
    data = parse_json(read_text(args.file), where, "a JSON object with the triage fields")
    if not isinstance(data, dict):
        raise CommandError(f"{where}: expected a JSON object with the triage fields")
    print(json.dumps(assess(data).to_dict(), indent=2))
    return 0


def cmd_findings(args: argparse.Namespace) -> int:
    from painpath.clinical.triage import FINDINGS

    if args.markdown:
        from painpath.clinical.triage.reference import reference_markdown

        print(reference_markdown(), end="")
        return 0
    rows = [{"code": f.code, "meaning": f.meaning, "group": f.group} for f in FINDINGS.values()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["code"]) for r in rows)
    print(f"{'code':<{width}}  {'group':<14} meaning")
    for r in rows:
        print(f"{r['code']:<{width}}  {r['group']:<14} {r['meaning']}")
    return 0
