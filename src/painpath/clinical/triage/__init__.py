"""Red-flag triage, pain classification, risk and pathway (CLINICAL.md sections 1, 3 and 4).

``assess(data) -> Triage``; ``Triage.to_dict()`` is the JSON object of CLINICAL.md section 1.
``RULESET`` is the version stored with every result; ``FINDINGS`` the finding vocabulary
(code -> Finding with ``code``, ``meaning``, ``group``). Bad input raises
``painpath.clinical.InvalidInput`` naming the field. The rules, their sources and the policies
painpath chose are in docs/reference/triage.md (generated) and ADRs 0020-0026.
"""

from painpath.clinical.errors import InvalidInput
from painpath.clinical.triage.engine import assess
from painpath.clinical.triage.red_flags import RULES, RedFlagRule
from painpath.clinical.triage.result import (
    URGENCIES,
    Pathway,
    PathwayItem,
    RedFlag,
    Risk,
    Triage,
    Urgency,
)
from painpath.clinical.triage.ruleset import RULESET
from painpath.clinical.triage.vocabulary import FINDINGS, GROUPS, Finding

__all__ = [
    "FINDINGS",
    "GROUPS",
    "RULES",
    "RULESET",
    "URGENCIES",
    "Finding",
    "InvalidInput",
    "Pathway",
    "PathwayItem",
    "RedFlag",
    "RedFlagRule",
    "Risk",
    "Triage",
    "Urgency",
    "assess",
]
