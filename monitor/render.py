"""Jinja2 templates for alerts and reports: HTML autoescaped, plain text as written."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment: templates from monitor/templates, HTML ones autoescaped."""
    env = Environment(
        loader=PackageLoader("monitor", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["when"] = lambda value: value.strftime("%a %d %b %Y %H:%M UTC") if value else "unknown time"
    return env


def render(name: str, **context: Any) -> str:
    """Render the template called name with context."""
    return environment().get_template(name).render(**context)
