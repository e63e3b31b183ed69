"""Load YAML as plain data, refusing anything a plan file never needs.

Plan files are written by people, and sometimes copied from elsewhere. We compose the YAML
node tree with the safe loader and convert it ourselves, so that:
- aliases and anchors are refused (they are how "billion laughs" bombs are built);
- tags other than the standard scalar/sequence/mapping ones are refused (no Python objects);
- every mapping key keeps the line it was written on, for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

# libyaml's parser is about ten times faster; both give the same node tree with line marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 2_000_000
MAX_NODES = 200_000
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",
}


class UnsafeYamlError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class LoadedYaml:
    data: object
    lines: dict[tuple, int] = field(default_factory=dict)  # path -> 1-based line

    def line(self, path: tuple) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def load(text: str) -> LoadedYaml:
    if len(text.encode("utf-8", "ignore")) > MAX_BYTES:
        raise UnsafeYamlError(f"the file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        loader = _Loader(text)
        try:
            # Refuse anchors and aliases at event level, before anything is expanded.
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise UnsafeYamlError(f"not valid YAML: {exc.problem}", line) from None
    except yaml.YAMLError as exc:
        raise UnsafeYamlError(f"not valid YAML: {exc}") from None
    out = LoadedYaml(None)
    if node is None:
        return out
    counter = [0]
    out.data = _convert(node, (), out.lines, set(), counter)
    return out


def _convert(node: yaml.Node, path: tuple, lines: dict, seen: set[int], counter: list[int]):
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise UnsafeYamlError(f"the file has more than {MAX_NODES} values")
    if id(node) in seen:
        raise UnsafeYamlError(
            "YAML anchors and aliases (&name / *name) are not allowed in plan files",
            node.start_mark.line + 1,
        )
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if node.tag not in _STANDARD_TAGS:
        raise UnsafeYamlError(
            f"YAML tag {node.tag!r} is not allowed in plan files", node.start_mark.line + 1
        )
    if isinstance(node, yaml.ScalarNode):
        value = yaml.SafeLoader.construct_scalar(_SCALAR_LOADER, node)
        return _resolve_scalar(node, value)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(n, (*path, i), lines, seen, counter) for i, n in enumerate(node.value)]
    result: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise UnsafeYamlError("mapping keys must be plain text", key_node.start_mark.line + 1)
        key = str(key_node.value)
        if key == "<<":
            raise UnsafeYamlError(
                "YAML merge keys (<<) are not allowed", key_node.start_mark.line + 1
            )
        if key in result:
            raise UnsafeYamlError(f"key {key!r} appears twice", key_node.start_mark.line + 1)
        lines[(*path, key)] = key_node.start_mark.line + 1
        result[key] = _convert(value_node, (*path, key), lines, seen, counter)
    return result


_SCALAR_LOADER = yaml.SafeLoader("")


def _resolve_scalar(node: yaml.ScalarNode, value: str):
    constructors = {
        "tag:yaml.org,2002:int": _SCALAR_LOADER.construct_yaml_int,
        "tag:yaml.org,2002:float": _SCALAR_LOADER.construct_yaml_float,
        "tag:yaml.org,2002:bool": _SCALAR_LOADER.construct_yaml_bool,
        "tag:yaml.org,2002:null": _SCALAR_LOADER.construct_yaml_null,
    }
    construct = constructors.get(node.tag)
    if construct is not None:
        try:
            return construct(node)
        except (ValueError, TypeError, KeyError, yaml.YAMLError):
            # `!!float x`: an explicit tag on text that is not of that type
            kind = node.tag.rsplit(":", 1)[-1]
            raise UnsafeYamlError(
                f"{value!r} is tagged !!{kind} but is not one", node.start_mark.line + 1
            ) from None
    if node.tag == "tag:yaml.org,2002:timestamp":
        return value  # dates stay text: "2022-05-10"
    return value
