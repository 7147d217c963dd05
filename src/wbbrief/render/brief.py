"""The brief's templates: the sandboxed Jinja2 environment (autoescape, StrictUndefined) that
writes the page's shell and the macros the HTML writer (``render.html``) feeds with the tree.

Templates come from the package, or first from ``--template-dir`` where an organisation
overrides them; an override can extend the packaged template as ``wbbrief/brief.html.j2``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base.errors import RenderError, UsageError
from wbbrief.document.content import and_list
from wbbrief.document.options import DEFAULT_SUBTITLE, DEFAULT_TITLE, BriefOptions
from wbbrief.query import queries
from wbbrief.query.values import page_ref

if TYPE_CHECKING:
    import jinja2

    from wbbrief.dataset.bundle import Bundle

TEMPLATE = "brief.html.j2"
__all__ = ["DEFAULT_SUBTITLE", "DEFAULT_TITLE", "BriefOptions", "environment", "macros", "render_html"]


def _package_source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    from jinja2.loaders import split_template_path

    path = resources.files("wbbrief") / "templates"
    for part in split_template_path(name):  # refuses '..': templates come from this folder only
        path = path / part
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8"), f"wbbrief/templates/{name}", lambda: True


def _sandbox() -> type[jinja2.Environment]:
    """Jinja2's immutable sandbox (no underscore attributes, no mutating calls), and besides no
    attribute of a pandas or numpy object or of a module: a table reached through the data
    would otherwise offer methods such as to_csv(path), which writes files."""
    import types

    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            root = type(obj).__module__.partition(".")[0]
            if root in ("pandas", "numpy") or isinstance(obj, types.ModuleType):
                return False
            return bool(super().is_safe_attribute(obj, attr, value))

    return Sandbox


def _confined_loader(folder: Path) -> jinja2.BaseLoader:
    """--template-dir, but a symbolic link inside it cannot pull in a file from elsewhere."""
    import os

    import jinja2

    root = os.path.realpath(folder)

    class Confined(jinja2.FileSystemLoader):
        def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            if os.path.commonpath([root, os.path.realpath(filename)]) != root:
                raise jinja2.TemplateNotFound(template, f"'{template}' links outside --template-dir")
            return source, filename, uptodate

    return Confined(str(folder))


def environment(template_dir: Path | None) -> jinja2.Environment:
    """The templates' environment, kept for the process (``render --watch`` renders again and
    again): Jinja2 still reloads a --template-dir file that changed."""
    return _environment(template_dir)


@functools.lru_cache(maxsize=4)
def _environment(template_dir: Path | None) -> jinja2.Environment:
    """Every template, packaged or from --template-dir, is untrusted: Jinja2's sandbox, with
    autoescape (data is text) and StrictUndefined (a missing variable is an error)."""
    import jinja2

    package = jinja2.FunctionLoader(_package_source)
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        if not template_dir.is_dir():
            raise UsageError(f"--template-dir '{template_dir}' is not a folder")
        loaders.append(_confined_loader(template_dir))
    loaders += [package, jinja2.PrefixLoader({"wbbrief": package})]
    env = _sandbox()(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = queries.figure_text
    env.filters["page_ref"] = page_ref
    env.filters["and_list"] = and_list
    return env


def render_html(bundle: Bundle, options: BriefOptions, for_print: bool) -> str:
    """The bundled brief (its regional or country document) as one self-contained HTML page."""
    from wbbrief.document.compose import bundled_document
    from wbbrief.render.html import render_page

    return render_page(bundled_document(options.country, options.lang or "en"), bundle, options, for_print)


def macros(env: jinja2.Environment) -> Any:
    """The building blocks (charts, tables, the findings box) that a document's directives show."""
    # A new module each time, not Template.module: that one is made once and keeps the globals of
    # its first use, so a second brief in another language would get the first one's strings.
    module = _template_call(lambda: env.get_template("macros.html.j2").make_module())

    class Macros:
        def __getattr__(self, name: str) -> Callable[..., Any]:
            macro = _template_call(lambda: getattr(module, name))
            return lambda *args: _template_call(lambda: macro(*args))

    return Macros()


def render_template(env: jinja2.Environment, context: dict[str, Any]) -> str:
    return str(_template_call(lambda: env.get_template(TEMPLATE).render(context)))


def _template_call(call: Callable[[], Any]) -> Any:
    import jinja2
    from jinja2.exceptions import SecurityError

    try:
        return call()
    except jinja2.TemplateNotFound as err:
        raise RenderError(f"template not found: {err.name}") from err
    except jinja2.TemplateError as err:
        where = _where(err)
        message = err.message or type(err).__name__
        if isinstance(err, SecurityError):
            message = f"{message.rstrip('.')}: templates run in a sandbox and may only read the brief's data"
        raise RenderError(f"template error{where}: {message}") from err


def _where(err: Exception) -> str:
    """' (file, line n)': from a syntax error, or from the template frame Jinja2 puts in the traceback."""
    filename, line = getattr(err, "filename", None), getattr(err, "lineno", None)
    if not line:
        tb = err.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".j2", ".css", ".html")):
                filename, line = name, tb.tb_lineno
            tb = tb.tb_next
    return f" ({filename}, line {line})" if line else ""
