"""Automated accessibility check: axe-core (from npm, see package.json) injected into the page.

Fails on any violation axe rates serious or critical against WCAG 2.0 to 2.2 A and AA.
"""

from pathlib import Path

from playwright.sync_api import Error, Page

AXE_SOURCE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical violations on the page as it is now.

    A click that navigates returns before the next page has loaded; axe run in between reads a
    document that is going away. Wait for the load, and run again once if a navigation still
    pulled the document from under it.
    """
    page.wait_for_load_state("load")
    try:
        return _run_axe(page)
    except Error as error:
        if not _navigated_during(error):
            raise
        page.wait_for_load_state("load")
        return _run_axe(page)


def _navigated_during(error: Error) -> bool:
    message = str(error)
    return "documentElement" in message or "Execution context was destroyed" in message


def _run_axe(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's DevTools protocol, which the page's Content-Security-Policy
        # does not cover: an inline <script> tag (add_script_tag) would be refused.
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => window.axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {targets}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Assert axe finds no serious or critical WCAG A/AA violation on the current page."""
    violations = axe_violations(page)
    assert not violations, f"accessibility violations on {page.url}:\n{describe(violations)}"
