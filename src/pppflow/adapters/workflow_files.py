"""Lifecycle definitions from `workflows/*.yaml`: the shipped ones plus an organisation's own folder."""

from __future__ import annotations

from pathlib import Path

import yaml

from pppflow.domain.funding import FundingScheme, parse_scheme
from pppflow.domain.lifecycle import Lifecycle, parse_definition
from pppflow.errors import DefinitionInvalid, NotFound
from pppflow.resources import shipped_dir

# libyaml's loader when PyYAML has it (5x faster than the pure-Python one; every command reads the definitions)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LifecycleRegistry:
    """Compiled lifecycles by name; each definition compiles into one machine, once. Also the funding schemes
    (`funding/*.yaml` beside the definitions), which specs name like they name their lifecycle."""

    def __init__(self, lifecycles: dict[str, Lifecycle], schemes: dict[str, FundingScheme] | None = None) -> None:
        self._by_name = lifecycles
        self.schemes: dict[str, FundingScheme] = dict(schemes or {})

    def get(self, name: str) -> Lifecycle:
        try:
            return self._by_name[name]
        except KeyError:
            raise NotFound(f"no lifecycle definition named {name!r}",
                           details=[f"known: {', '.join(sorted(self._by_name))}"]) from None

    def for_building_block(self, building_block: str | None, default: str = "ppp-lifecycle") -> str:
        """The lifecycle a building block picks (`building_block:` in its YAML), else `default`."""
        for name in sorted(self._by_name):
            if building_block and self._by_name[name].definition.building_block == building_block:
                return name
        return default

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name


def load_definition_file(path: Path) -> Lifecycle:
    """Parse and compile one YAML definition; problems name the file."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionInvalid(f"{path}: cannot read lifecycle definition: {exc}") from exc
    definition = parse_definition(data, source=str(path))
    if not definition.name:
        raise DefinitionInvalid(f"{path}: invalid lifecycle definition", details=["no 'name'"])
    return Lifecycle(definition)


def load_scheme_file(path: Path) -> FundingScheme:
    """Parse one funding scheme; problems name the file (and the field)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionInvalid(f"{path}: cannot read funding scheme: {exc}") from exc
    scheme = parse_scheme(data, source=str(path))
    if scheme.name != path.stem:
        raise DefinitionInvalid(f"{path}: invalid funding scheme",
                                details=[f"name: '{scheme.name}' differs from the file name '{path.stem}'"])
    return scheme


def load_registry(extra_dir: Path | None = None) -> LifecycleRegistry:
    """The shipped definitions and funding schemes, overridden or extended by those in `extra_dir`."""
    lifecycles: dict[str, Lifecycle] = {}
    schemes: dict[str, FundingScheme] = {}
    for folder in (shipped_dir("workflows"), extra_dir):
        if folder is None:
            continue
        if not folder.is_dir():
            raise DefinitionInvalid(f"{folder}: the workflows folder does not exist")
        for path in sorted(folder.glob("*.yaml")):
            lifecycle = load_definition_file(path)
            lifecycles[lifecycle.name] = lifecycle
        for path in sorted((folder / "funding").glob("*.yaml")):
            scheme = load_scheme_file(path)
            schemes[scheme.name] = scheme
    return LifecycleRegistry(lifecycles, schemes)
