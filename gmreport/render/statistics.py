"""The statistics workbook's tables are the report's, declared once in `gmreport.tables`;
their names stay importable from here."""

from __future__ import annotations

from ..tables import (
    MAX_SHEET_NAME,
    NO_RATE_NOTE,
    TOTAL_LABEL,
    Col,
    Table,
    ValueKind,
    is_valid_sheet_name,
    report_tables,
    rows_check,
)

__all__ = [
    "MAX_SHEET_NAME",
    "NO_RATE_NOTE",
    "TOTAL_LABEL",
    "Col",
    "Table",
    "ValueKind",
    "is_valid_sheet_name",
    "report_tables",
    "rows_check",
]
