"""What lint reports: a finding with its code, severity, line and message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    code: str
    severity: Severity
    message: str
    file: str = ""

    def with_file(self, file: str) -> Finding:
        return Finding(self.line, self.code, self.severity, self.message, file)
