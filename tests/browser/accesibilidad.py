"""Accessibility checks for the browser tests: axe-core (vendored, tests/browser/vendor/axe.min.js)
run inside the page, and the 390 px check (no page scrolls sideways on a phone).

axe is injected with `page.evaluate`, which the page's Content-Security-Policy does not govern:
the policy stays as strict as in production while the check runs."""
from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
GRAVES = ("critical", "serious")


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, impacts=GRAVES) -> list[str]:
    """The page's axe-core violations of the given impacts, one readable line per rule with the
    first offending elements (empty when there are none)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 160))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} elemento(s): {v['nodes'][:3]}"
            for v in result if v["impact"] in impacts]


def ancho_documento(page) -> int:
    """How wide the document is: more than the viewport means the page scrolls sideways."""
    return page.evaluate("() => document.documentElement.scrollWidth")
