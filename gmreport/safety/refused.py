"""The refusal that every stage of the inspection raises."""

from __future__ import annotations

from gmreport.problems import CATALOGUE, Problem, problem


class Refused(Exception):
    """A file refused before reading: a catalogue code, a short Chinese detail, the sheet."""

    def __init__(self, code: str, detail: str = "", sheet: str = "") -> None:
        if code not in CATALOGUE:
            raise ValueError(f"unknown problem code {code!r}")
        super().__init__(code, detail, sheet)
        self.code = code
        self.detail = detail
        self.sheet = sheet

    def __str__(self) -> str:
        return self.problem().message

    def problem(self, file: str = "") -> Problem:
        """The catalogue problem that this refusal stands for."""
        return problem(self.code, file=file, sheet=self.sheet, detail=self.detail)
