"""The triage ruleset version, stored with every result.

Bump it whenever any rule, code, threshold, text or pathway option changes: a stored triage must
always be explainable by the rules that produced it. tests/spec/triage/ruleset.lock pins a
fingerprint of the rules' behaviour to this version, so a change without a bump fails the suite
(hazard HAZ-TRI-05).
"""

from __future__ import annotations

from typing import Final

RULESET: Final = "painpath-triage-1.1.0"
