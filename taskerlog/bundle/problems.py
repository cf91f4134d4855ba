"""Bad input as values: every problem names the file, line and column, and what to do."""

from __future__ import annotations

from dataclasses import dataclass

from ..problems import in_english, nsay, say


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bundle. ``line`` counts from 1 (the header); None: the whole file."""

    file: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"

    def to_dict(self) -> dict:
        """As ``--json`` gives it: the message in English whatever the language (a contract)."""
        return {"file": self.file, "line": self.line, "column": self.column, "message": in_english(self.message)}


class ImportProblems(ValueError):
    """The bundle was refused; nothing was written. ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = "; ".join(str(p) for p in self.problems[:3])
        if len(self.problems) > 3:
            super().__init__(nsay("bundle.refused_more", "nothing was imported: {n} problem: {problems} (and {more} "
                                  "more)", "nothing was imported: {n} problems: {problems} (and {more} more)",
                                  n=len(self.problems), problems=head, more=len(self.problems) - 3))
        else:
            super().__init__(nsay("bundle.refused", "nothing was imported: {n} problem: {problems}",
                                  "nothing was imported: {n} problems: {problems}", n=len(self.problems),
                                  problems=head))


def short(cell: str, most: int = 40) -> str:
    """A cell quoted in a message: on one line, at most ``most`` characters."""
    cell = str(cell).replace("\n", " ").replace("\r", " ")
    return cell if len(cell) <= most else cell[:most - 1] + "…"


def wide_row(file: str, line: int, cells: int, width: int, extra: str, *, sheet: bool) -> Problem:
    """A row with more cells than its header names, the first extra one ``extra`` not blank
    (the bundle's reader and, with ``sheet``, the spreadsheet importers word it alike)."""
    if sheet:
        return Problem(file, line, "", say(
            "sheet.wide_row", "has {cells} cells but the header names {width} columns; the extra cell '{cell}' has no "
            "column. Put quotes around a cell that holds a comma (a decimal comma, 2,50, too), or save the sheet "
            "again as CSV from your spreadsheet", cells=cells, width=width, cell=short(extra)))
    return Problem(file, line, "", say(
        "bundle.wide_row", "has {cells} cells but the header names {width} columns; the extra cell '{cell}' has no "
        "column. Put quotes around a cell that holds a comma (a spreadsheet does this when it saves as CSV), or "
        "delete the extra cell", cells=cells, width=width, cell=short(extra)))
