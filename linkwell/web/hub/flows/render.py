"""A flows table as HTML, built in Python: the page holds many cells (a row per ward, partner
or practice), and the template language's per-cell cost was most of the page's time. The
markup is the site's stacked table (each cell labelled for phones); every text is escaped."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from linkwell.intelligence.flows.tables import Table

WITHHELD = ' class="withheld" aria-describedby="withheld-explanation"'


def table_html(table: Table) -> SafeString:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.head)
    body = []
    for label, cells, is_total in table.lines:
        row = "".join(
            f'<td data-label="{escape(column)}"{WITHHELD if cell.withheld else ""}>'
            f"{escape(cell.text)}</td>"
            for column, cell in cells
        )
        total = ' class="total-row"' if is_total else ""
        body.append(f'<tr{total}><th scope="row">{escape(label)}</th>{row}</tr>')
    return mark_safe(  # noqa: S308 (every text above is escaped)
        '<table class="flows-table inbox-table lw-table--stack">'
        f'<caption id="table-{escape(table.key)}">{escape(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
