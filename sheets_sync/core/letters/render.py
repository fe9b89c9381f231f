"""Templates in, text and HTML out: Jinja2 with StrictUndefined, the CSS inlined for mail clients.

A district's own folder (`[email] templates_dir`) comes first, so it can override any one
template; the packaged templates fill in the rest. Rendering reads the template files and
nothing else: no remote stylesheet is ever fetched.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import css_inline
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup

import sheets_sync
from sheets_sync.core.letters.model import plural
from sheets_sync.core.values import HIDDEN, has_hidden, visible

# Each letter's two parts are `<name>.txt.j2` and `<name>.html.j2`.
TEMPLATE_NAMES = ("facilitator_digest", "principal_summary", "district_summary", "year_summary")


def packaged_templates() -> Path:
    """The packaged templates: inside the installed package, else the checkout's `templates/`."""
    package = Path(sheets_sync.__file__).parent
    installed, checkout = package / "templates", package.parent / "templates"
    return installed if installed.is_dir() else checkout


def shown(value: object) -> object:
    """A value as a letter prints it: control and bidi characters as <U+XXXX>, so a name
    typed with a right-to-left override cannot read as another (in HTML, as text too)."""
    if not isinstance(value, str) or not has_hidden(value):
        return value
    if isinstance(value, Markup):  # already HTML: the marks go in as escaped text
        return Markup(HIDDEN.sub(lambda m: f"&lt;U+{ord(m[0]):04X}&gt;", value))
    return visible(value)


class Templates:
    """The letters' templates, loaded once and rendered as often as needed."""

    def __init__(self, templates_dir: Path | None = None) -> None:
        loaders: list[BaseLoader] = []
        if templates_dir is not None:
            loaders.append(FileSystemLoader(templates_dir))
        loaders.append(FileSystemLoader(packaged_templates()))
        self.environment = Environment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=select_autoescape(["html.j2"]),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=shown,  # every value a template prints, hidden characters written out
        )
        self.environment.filters["plural"] = plural
        self._inliner = css_inline.CSSInliner(load_remote_stylesheets=False)

    def render(self, name: str, context: Mapping[str, object]) -> tuple[str, str]:
        """The plain-text and the HTML part of letter `name` (see TEMPLATE_NAMES)."""
        text = self.environment.get_template(f"{name}.txt.j2").render(context)
        html = self.environment.get_template(f"{name}.html.j2").render(context)
        return text, self._inliner.inline(html)
