"""`painpath score`, `painpath instruments` and `painpath change` (CLINICAL.md section 1).

Bad input (unknown instrument, malformed JSON, a wrong answer) raises InvalidInput or
CommandError: cli.main prints one line to stderr and exits 2.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("score", help="score one questionnaire response; prints the Score as JSON")
    p.add_argument("code", help="instrument code, e.g. phq9 (see `painpath instruments`)")
    p.add_argument(
        "--answers",
        required=True,
        help="JSON list of response codes in item order, null where unanswered",
    )
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("instruments", help="list the instruments painpath scores")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument(
        "--markdown", action="store_true", help="print the reference page (docs/reference)"
    )
    p.set_defaults(func=cmd_instruments)

    p = sub.add_parser(
        "wording",
        help="check a clinic's licensed wording (FHIR R4 Questionnaire JSON) against an instrument",
    )
    p.add_argument("code", help="instrument code")
    p.add_argument("file", help="FHIR R4 Questionnaire JSON; linkIds must be our item codes")
    p.set_defaults(func=cmd_wording)

    p = sub.add_parser("change", help="change between two scores, judged against the MCID")
    p.add_argument("code", help="instrument code")
    p.add_argument("baseline", help="baseline score (a number)")
    p.add_argument("follow_up", help="follow-up score (a number)")
    p.add_argument(
        "--measure",
        default=None,
        help="value, or the subscore the MCID is defined on (bpi: interference, the default)",
    )
    p.set_defaults(func=cmd_change)


def _parse_answers(text: str) -> list[object]:
    from painpath.cli import CommandError

    try:
        answers = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"--answers is not valid JSON ({exc.msg}); expected e.g. '[0, 1, null]'"
        ) from None
    except RecursionError:
        raise CommandError("--answers is nested too deeply; expected e.g. '[0, 1, null]'") from None
    except ValueError:
        # Python refuses integers of more than 4300 digits (int_max_str_digits).
        raise CommandError(
            "--answers holds a number too long to read; expected e.g. '[0, 1, null]'"
        ) from None
    if not isinstance(answers, list):
        raise CommandError("--answers must be a JSON list, e.g. '[0, 1, null]'")
    return answers


def _parse_number(name: str, text: str, allowed: str) -> int | float:
    """``text`` as a number in ASCII digits; ``allowed`` says the range in the message."""
    from painpath.cli import CommandError
    from painpath.commands._input import parse_decimal, shown

    value = parse_decimal(text)
    if value is not None:
        return value
    if text.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise CommandError(f"{name}: expected a finite number, got {shown(text)}; {allowed}")
    raise CommandError(f"{name}: expected a number, got {shown(text)}; {allowed}")


def cmd_score(args: argparse.Namespace) -> int:
    from painpath.clinical.instruments import score

    result = score(args.code, _parse_answers(args.answers))
    print(json.dumps(result.to_dict()))
    return 0


def cmd_instruments(args: argparse.Namespace) -> int:
    from painpath.clinical.instruments import all_instruments

    if args.markdown:
        from painpath.clinical.instruments.reference import reference_markdown

        print(reference_markdown(), end="")
        return 0
    rows = [
        {
            "code": i.code,
            "title": i.title,
            "items": len(i.items),
            "min": i.min_value,
            "max": i.max_value,
            "higher_is_better": i.higher_is_better,
            "licence": i.licence,
            "full_text": i.full_text_allowed,
        }
        for i in all_instruments()
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'code':<11} {'items':>5}  {'range':<14} {'title':<52} licence")
    for r in rows:
        span = f"{r['min']}..{r['max']}"
        print(f"{r['code']:<11} {r['items']:>5}  {span:<14} {r['title']:<52} {r['licence']}")
    return 0


def cmd_change(args: argparse.Namespace) -> int:
    from painpath.clinical.instruments import get
    from painpath.clinical.outcomes import change

    inst = get(args.code)
    allowed = f"{inst.code} scores run from {inst.min_value} to {inst.max_value}"
    result = change(
        args.code,
        _parse_number("baseline", args.baseline, allowed),
        _parse_number("follow_up", args.follow_up, allowed),
        measure=args.measure,
    )
    print(json.dumps(result.to_dict()))
    return 0


def cmd_wording(args: argparse.Namespace) -> int:
    """Print the instrument's items with the clinic's wording, or refuse the file (exit 2)."""
    from painpath.clinical.instruments import get
    from painpath.clinical.instruments.wording import apply_wording
    from painpath.commands._input import parse_json, read_text
    from painpath.questionnaire_wording import parse_questionnaire

    # The file is read here rather than by load_wording, which lets a non-UTF-8 file, deep
    # nesting or a 5,000-digit number escape as a traceback.
    instrument = get(args.code)
    where = f"wording file {args.file}"
    data = parse_json(read_text(args.file), where, "a FHIR R4 Questionnaire (JSON)")
    inst = apply_wording(instrument, parse_questionnaire(data))
    items = [
        {
            "code": it.code,
            "label": it.label,
            "options": [{"value": o.value, "label": o.label} for o in it.options],
        }
        for it in inst.items
    ]
    print(json.dumps({"instrument": inst.code, "items": items}, indent=2))
    return 0
