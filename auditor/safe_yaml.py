"""Load untrusted YAML with bounded cost, and reject what YAML lets pass silently.

``yaml.safe_load`` refuses to build arbitrary objects, but not every attack:

* an *alias bomb* (anchors that alias anchors, nine levels deep) is a few
  hundred bytes that expand to billions of nodes as soon as anything walks the
  result; the expanded size is computed on the node graph first (linear in the
  file, aliases counted by reference) and refused above :data:`MAX_NODES`;
* a *duplicate key* silently wins in YAML; here it is an error naming both
  lines, at every level of nesting;
* a huge file is refused by size before it is parsed (:data:`MAX_BYTES`), and
  parsing uses libyaml when PyYAML was built with it, composing the file once.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_NODES = 250_000
MAX_DEPTH = 100

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLimitError(ValueError):
    """The document is valid YAML but breaks a limit or a rule; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def check_tree(root: yaml.Node) -> int:
    """Expanded node count of ``root`` (aliases counted as the copies they become).

    Raises :class:`YamlLimitError` for a duplicate key, a recursive alias, nesting
    deeper than :data:`MAX_DEPTH` or more than :data:`MAX_NODES` expanded nodes.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise YamlLimitError("an alias refers to the mapping or list that contains it", _line(node))
        if depth > MAX_DEPTH:
            raise YamlLimitError(f"nesting is deeper than {MAX_DEPTH} levels", _line(node))
        total = 1
        active.add(key)
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    if k.value in seen:
                        raise YamlLimitError(
                            f"the key {k.value!r} appears twice in the same mapping: on line "
                            f"{_line(seen[k.value])} and on line {_line(k)}. Keep one; YAML would "
                            "silently use the last",
                            _line(k),
                        )
                    seen[k.value] = k
                total += size(k, depth + 1) + size(v, depth + 1)
                if total > MAX_NODES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item, depth + 1)
                if total > MAX_NODES:
                    break
        active.discard(key)
        if total > MAX_NODES:
            raise YamlLimitError(
                f"expands to more than {MAX_NODES:,} values once its anchors and aliases (&name, *name) "
                "are resolved; an audit config never needs that many. Remove the nested aliases",
                _line(node),
            )
        sizes[key] = total
        return total

    return size(root, 0)


def load(text: str) -> tuple[yaml.Node | None, Any]:
    """Compose ``text`` once, check it, construct it: ``(root node, data)``.

    Raises :class:`YamlLimitError` for the limits above and :class:`yaml.YAMLError`
    for invalid YAML.
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        raise YamlLimitError(
            f"is {size:,} bytes; an audit config may be at most {MAX_BYTES:,} bytes. "
            "Split large journey lists or generated data out of it"
        )
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
            if root is None:
                return None, None
            check_tree(root)
            return root, loader.construct_document(root)
        except RecursionError:
            raise YamlLimitError(f"nesting is deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
