"""Workbook rendering with openpyxl. Synchronous."""
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

OUT_DIR = Path(os.environ.get("XLSX_DIR", "/srv/exports/xlsx"))


def column_widths(rows: list[dict]) -> list[int]:
    if not rows:
        return []
    headers = list(rows[0])
    return [max(len(str(h)), *(len(str(r.get(h, ""))) for r in rows)) + 2 for h in headers]


def write_workbook(path: Path, sheets: dict[str, list[dict]]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title=title[:31])
        if rows:
            ws.append(list(rows[0]))
            for r in rows:
                ws.append(list(r.values()))
            for i, width in enumerate(column_widths(rows), start=1):
                ws.column_dimensions[get_column_letter(i)].width = width
    with open(path, "wb") as fh:
        wb.save(fh)


def build_xlsx(report: str, rows: list[dict]) -> Path:
    os.makedirs(OUT_DIR, exist_ok=True)
    path = OUT_DIR / f"{report}.xlsx"
    write_workbook(path, {report: rows})
    return path
