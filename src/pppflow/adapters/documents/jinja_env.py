"""Jinja environments for agreement templates: the trusted default one and a bounded sandbox for user templates.

A user's template runs in an `ImmutableSandboxedEnvironment` that additionally refuses the operators and
string methods that multiply memory (`'x' * 10**9`, `'%999999999s' % 1`, `'x'.ljust(10**9)`, `|center`),
checks a deadline on every attribute access, call, operator and `range` step, and caps the output size
while generating. Python cannot bound memory or CPU in-process completely: for hostile tenants, run
`render_template` in a worker process with resource limits as a second wall.
"""

from __future__ import annotations

import functools
import time
import traceback
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

from pppflow.adapters.documents.clause_text import FILTERS
from pppflow.errors import TemplateError

MAX_OUTPUT_CHARS = 5_000_000
MAX_RENDER_SECONDS = 10.0
MAX_EXPONENT = 1_000
# String methods and filters that can turn a short template into gigabytes; agreement templates need none.
_AMPLIFYING_STR_METHODS = frozenset({
    "center", "ljust", "rjust", "zfill", "expandtabs", "replace", "format", "format_map", "join",
})
_AMPLIFYING_FILTERS = ("center", "indent", "format", "replace", "wordwrap")


class ConfinedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses templates whose real path (after symlinks) lies outside its directory."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        roots = [Path(p).resolve() for p in self.searchpath]
        if not any(Path(filename).resolve().is_relative_to(root) for root in roots):
            raise jinja2.TemplateNotFound(template, f"{template} points outside the template directory")
        return source, filename, uptodate


class _TimedRange:
    """A `range` for sandboxed templates that checks the render deadline while it is iterated."""

    def __init__(self, env: BoundedSandbox, rng: range) -> None:
        self._env, self._range = env, rng

    def __len__(self) -> int:
        return len(self._range)

    def __contains__(self, item: object) -> bool:
        return item in self._range

    def __iter__(self) -> Iterator[int]:
        for index, value in enumerate(self._range):
            if index % 256 == 0:
                self._env.check_deadline()
            yield value


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """An immutable sandbox with a render deadline and no memory-amplifying operations."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *, max_output: int, max_seconds: float, **options: Any) -> None:
        super().__init__(**options)
        self.max_output, self.max_seconds = max_output, max_seconds
        self.deadline = float("inf")
        self.globals["range"] = lambda *args: _TimedRange(self, safe_range(*args))
        for name in _AMPLIFYING_FILTERS:
            self.filters.pop(name, None)

    def start_clock(self) -> None:
        """Start the render deadline."""
        self.deadline = time.monotonic() + self.max_seconds

    def check_deadline(self) -> None:
        """Stop the render once it has run longer than allowed."""
        if time.monotonic() > self.deadline:
            raise jinja2.exceptions.SecurityError(f"render time limit of {self.max_seconds:g} s exceeded")

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _AMPLIFYING_STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        # str.format is refused by is_safe_attribute instead of being wrapped (a width can amplify).
        return None

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.check_deadline()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.check_deadline()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # jinja2 names them so
        __self.check_deadline()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.check_deadline()
        if operator == "%" and isinstance(left, str):
            raise jinja2.exceptions.SecurityError("string formatting with % is not allowed in agreement templates")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) \
                        and len(seq) * times > self.max_output:
                    raise jinja2.exceptions.SecurityError(
                        f"repetition would produce {len(seq) * times:,} items; the limit is {self.max_output:,}")
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise jinja2.exceptions.SecurityError(f"exponent {right} is too large (limit {MAX_EXPONENT})")
        return super().call_binop(context, operator, left, right)


@functools.lru_cache(maxsize=4)
def default_environment(templates_dir: Path) -> jinja2.Environment:
    """The environment for the shipped templates: trusted, autoescaped, strict about undefined names.

    Cached per directory so templates compile once per process; the loader still notices edited files.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def sandbox_environment(
    templates_dir: Path, *, max_output: int = MAX_OUTPUT_CHARS, max_seconds: float = MAX_RENDER_SECONDS
) -> BoundedSandbox:
    """The environment for an organisation's own templates: sandboxed, bounded in time and output."""
    env = BoundedSandbox(
        max_output=max_output,
        max_seconds=max_seconds,
        loader=ConfinedLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def _location(exc: BaseException, templates_dir: Path) -> tuple[str | None, int | None]:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name, exc.lineno
    root = str(templates_dir.resolve())
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        # Jinja rewrites template frames to carry the template file name and line.
        if frame.filename and str(Path(frame.filename).resolve()).startswith(root):
            found = (frame.filename, frame.lineno)
    return found


def template_error(exc: BaseException, templates_dir: Path, template_name: str) -> TemplateError:
    """Translate a Jinja (or sandboxed Python) error into a TemplateError naming the file and line."""
    filename, line = _location(exc, templates_dir)
    name = template_name
    if filename:
        try:
            name = Path(filename).resolve().relative_to(templates_dir.resolve()).as_posix()
        except ValueError:
            name = Path(filename).name
    where = f"{name}, line {line}" if line else name
    reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateError(f"template error in {where}: {reason}", details=[type(exc).__name__])


def render_template(env: jinja2.Environment, templates_dir: Path, name: str, variables: dict[str, Any]) -> str:
    """Render a template, bounding output size and time when the environment is a BoundedSandbox."""
    bounded = env if isinstance(env, BoundedSandbox) else None
    try:
        template = env.get_template(name)
        if bounded is None:
            return template.render(**variables)
        bounded.start_clock()
        chunks, size = [], 0
        stream = template.generate(**variables)  # typed as an Iterator; it is a generator, closed below
        assert isinstance(stream, Generator)
        try:
            for chunk in stream:
                size += len(chunk)
                if size > bounded.max_output:
                    raise TemplateError(
                        f"template error in {name}: output exceeds the limit of {bounded.max_output:,} characters"
                    )
                bounded.check_deadline()
                chunks.append(chunk)
        finally:
            stream.close()
        return "".join(chunks)
    except TemplateError:
        raise
    except jinja2.TemplateError as exc:
        raise template_error(exc, templates_dir, name) from exc
    except Exception as exc:
        if bounded is None:
            raise
        # A user's template may fail in any Python way (TypeError, RecursionError, MemoryError...).
        raise template_error(exc, templates_dir, name) from exc
