"""Field masks: ``fields=sheets.properties.title``, ``sheets(properties(title,sheetId))``,
``gridProperties/rowCount,gridProperties/columnCount``.

Used both ways Google uses them: to cut a response down (`select`), and in update
requests to say which fields the request sets, a listed field that the request leaves
out being reset to its default (`update`).
"""

from __future__ import annotations

import copy
from typing import Any

from sheets_sync.testing.sheets_api.errors import bad_request

# A mask as a tree: {"sheets": {"properties": {"title": None}}}; None marks a whole field.
Mask = dict[str, "Mask | None"]


def parse(text: str) -> Mask:
    tree: Mask = {}
    rest = _parse_into(tree, text.replace(" ", ""), 0, text)
    if rest != len(text.replace(" ", "")):
        raise bad_request(f"Invalid field selection {text}")
    return tree


def _parse_into(tree: Mask, text: str, i: int, original: str) -> int:
    while i < len(text):
        start = i
        while i < len(text) and text[i] not in ",()":
            i += 1
        path = [p for p in text[start:i].replace("/", ".").split(".") if p]
        if not path:
            raise bad_request(f"Invalid field selection {original}")
        node = tree
        for name in path[:-1]:
            node = _child(node, name)
        last = path[-1]
        if i < len(text) and text[i] == "(":
            i = _parse_into(_child(node, last), text, i + 1, original)
            if i >= len(text) or text[i] != ")":
                raise bad_request(f"Invalid field selection {original}")
            i += 1
        else:
            node[last] = None
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        return i
    return i


def _child(node: Mask, name: str) -> Mask:
    found = node.get(name, {})
    if found is None:  # already selected whole
        return {}
    node[name] = found
    return found


def mentions(mask: Mask | None, *path: str) -> bool:
    """Whether the mask reaches into ``path`` (``"*"`` reaches everything)."""
    node: Mask | None = mask
    for name in path:
        if node is None:
            return True
        if "*" in node:
            return True
        if name not in node:
            return False
        node = node[name]
    return True


def select(value: Any, mask: Mask | None) -> Any:
    """Keeps only the masked fields; containers named by the mask stay, even if emptied."""
    if mask is None or "*" in mask:
        return value
    if isinstance(value, list):
        return [select(item, mask) for item in value]
    if isinstance(value, dict):
        return {k: select(value[k], sub) for k, sub in mask.items() if k in value}
    return value


def update(
    target: dict[str, Any], source: dict[str, Any], mask: Mask, *, skip: tuple[str, ...] = ()
) -> None:
    """Sets the masked fields of ``target`` from ``source``; masked but absent means reset."""
    if "*" in mask:
        for key in [k for k in target if k not in skip and k not in source]:
            del target[key]
        for key, value in source.items():
            if key not in skip:
                _set(target, key, value)
        return
    for key, sub in mask.items():
        if key in skip:
            continue
        value = source.get(key)
        if sub is None:
            _set(target, key, value)
            continue
        inner = target.get(key)
        inner = inner if isinstance(inner, dict) else {}
        update(inner, value if isinstance(value, dict) else {}, sub)
        if inner:
            target[key] = inner
        else:
            target.pop(key, None)


def _set(target: dict[str, Any], key: str, value: Any) -> None:
    cleaned = prune(copy.deepcopy(value))
    if cleaned is None:
        target.pop(key, None)
    else:
        target[key] = cleaned


def prune(value: Any) -> Any:
    """Drops nulls and objects emptied by that, as a proto message drops unset fields."""
    if isinstance(value, dict):
        out = {k: prune(v) for k, v in value.items()}
        out = {k: v for k, v in out.items() if v is not None}
        return None if value and not out else out
    return value
