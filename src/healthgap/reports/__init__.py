"""Reports: terminal demo, and neighbourhood, place and ICB profiles as HTML and PDF
(docs/reports.md). `render_profile(results_dir, area_code, fmt="pdf")` is the entry point."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from healthgap.reports.render import render_profile

__all__ = ["render_profile"]


def __getattr__(name: str) -> Any:
    """Import the renderer (Jinja2, WeasyPrint) only when it is used, not with the demo."""
    if name == "render_profile":
        from healthgap.reports.render import render_profile

        return render_profile
    raise AttributeError(f"module 'healthgap.reports' has no attribute {name!r}")
