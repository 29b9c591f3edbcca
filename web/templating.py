"""Jinja2 environment shared by the page routes."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

TEMPLATES = Path(__file__).parent / "templates"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["kind_labels"] = {
        "initiative": "Initiative",
        "organisation": "Organisation",
        "policy": "Policy",
        "event": "Event",
        "source": "Source document",
        "place": "Place",
    }
    return templates
