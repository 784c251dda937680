"""The report as a printable PDF (ReportLab): the same tables as the page, A4 portrait,
each table's header row repeated on a new page."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from linkwell.web.evaluation.tables import Table, explanation


def escape(text: str) -> str:
    """Text for a Paragraph, in the PDF's standard fonts (which have no minus sign)."""
    return xml_escape(text.replace("\u2212", "-"))


def render(report: dict[str, Any], tables: list[Table]) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    title = _("Evaluation of %(programme)s") % {"programme": report["programme"]["name"]}
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Linkwell",
    )
    story: list[Any] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                _("%(measure)s. Cases opened from %(start)s to %(end)s.")
                % {
                    "measure": report["measure"]["name"],
                    "start": report["period"]["start"],
                    "end": report["period"]["end"],
                }
            ),
            styles["BodyText"],
        ),
        Paragraph(escape(explanation(report["threshold"])), small),
    ]
    for table in tables:
        story += [Spacer(1, 5 * mm), Paragraph(escape(table.caption), styles["Heading3"])]
        body = [*table.rows, *([table.total] if table.total else [])]
        if body:
            data = [[Paragraph(f"<b>{escape(h)}</b>", small) for h in table.head]]
            data += [
                [Paragraph(escape(label), small)]
                + [Paragraph(escape(c.text), small) for c in cells]
                for label, cells in body
            ]
            width = document.width
            first = width * (0.3 if len(table.head) > 3 else 0.6)
            rest = (width - first) / (len(table.head) - 1)
            grid = LongTable(data, colWidths=[first] + [rest] * (len(table.head) - 1), repeatRows=1)
            style = [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            if table.total:
                style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
            grid.setStyle(TableStyle(style))
            story.append(grid)
        if table.note:
            story.append(Paragraph(escape(table.note), small))
    document.build(story)
    return buffer.getvalue()
