"""One way to count a project's findings: warnings and infos, the same on every surface.

The board's cards, the ranking, triage, `mlfolio rank` and every export show
how many findings a project has. They all count with `count_findings` and
write the pair with `FindingCounts.compact` or `.words`, so no surface can
count infos as warnings (or leave them out) while another does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.rules.consistency import Finding

__all__ = ["NO_FINDINGS", "FindingCounts", "count_findings"]


@dataclass(frozen=True, slots=True)
class FindingCounts:
    """How many of a project's findings are warnings (contradictions to fix) and infos."""

    warnings: int = 0
    infos: int = 0

    @property
    def total(self) -> int:
        """Warnings and infos together."""
        return self.warnings + self.infos

    @property
    def compact(self) -> str:
        """For a narrow column: "2" (two warnings), "2 i1" (and one info), "i1" (one info
        only), or "" when there is nothing."""
        parts = [str(self.warnings)] if self.warnings else []
        if self.infos:
            parts.append(f"i{self.infos}")
        return " ".join(parts)

    @property
    def words(self) -> str:
        """For a sentence: "2 warnings, 1 info", "1 warning", "no findings"."""
        parts = []
        if self.warnings:
            parts.append(f"{self.warnings} warning{'s' if self.warnings != 1 else ''}")
        if self.infos:
            parts.append(f"{self.infos} info{'s' if self.infos != 1 else ''}")
        return ", ".join(parts) or "no findings"


NO_FINDINGS = FindingCounts()


def count_findings(findings: Iterable[Finding]) -> FindingCounts:
    """The warnings and infos among `findings` (a severity other than "warning" is an info)."""
    warnings = infos = 0
    for finding in findings:
        if finding.severity == "warning":
            warnings += 1
        else:
            infos += 1
    return FindingCounts(warnings, infos)
