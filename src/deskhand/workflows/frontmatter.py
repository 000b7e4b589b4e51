"""Splitting a workflow file into its YAML front matter and Markdown body, and loading the YAML with the
line of every key, so later checks can point at ``file:line``."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from deskhand.errors import WorkflowError

_FENCE = "---"
_MAX_DEPTH = 4
# Deeper than any workflow needs, and shallow enough that PyYAML's recursive composer never overflows.
MAX_NESTING = 64
_EXAMPLE = "---\nname: my-workflow\ndescription: What it does.\n---\n1. Open mousepad"


@dataclass(frozen=True, slots=True)
class SplitFile:
    """The front matter's YAML text (first line number ``yaml_line``) and the body's numbered lines."""

    yaml_text: str
    yaml_line: int
    body: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The loaded YAML mapping and the file line of each key (``inputs``, ``inputs.name``, ``confirm.0``)."""

    data: dict[object, object]
    lines: dict[str, int]
    start_line: int


def split_file(text: str, path: str) -> SplitFile:
    lines = text.removeprefix("\ufeff").splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise WorkflowError("The workflow file is empty.", file=path, line=1, hint=_start_hint())
    if lines[first].rstrip() != _FENCE:
        raise WorkflowError(
            f"No front matter: the file must start with a line '---', but line {first + 1} is "
            f"{lines[first].strip()[:60]!r}.",
            file=path,
            line=first + 1,
            hint=_start_hint(),
        )
    for end in range(first + 1, len(lines)):
        if lines[end].rstrip() in (_FENCE, "..."):
            body = tuple((number + 1, lines[number]) for number in range(end + 1, len(lines)))
            return SplitFile("\n".join(lines[first + 1 : end]), first + 2, body)
    raise WorkflowError(
        f"The front matter opened on line {first + 1} is never closed.",
        file=path,
        line=first + 1,
        hint="Add a line with just '---' after the last front-matter key, before the steps.",
    )


def load_front_matter(split: SplitFile, path: str) -> FrontMatter:
    _check_nesting(split, path)
    try:
        node = yaml.compose(split.yaml_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(split.yaml_text)
    except RecursionError:
        raise _too_deep(path, split.yaml_line) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = split.yaml_line + (mark.line if mark is not None else 0)
        what = " ".join(part for part in (error.context, error.problem) if part) or "malformed YAML"
        raise WorkflowError(
            f"The front matter is not valid YAML: {what}.",
            file=path,
            line=line,
            hint="Check indentation and quoting on this line; quote text that contains ': ', '#' or starts "
            "with a special character such as '{', '[', '*' or '&'.",
        ) from None
    except yaml.YAMLError as error:
        raise WorkflowError(
            f"The front matter is not valid YAML: {error}.",
            file=path,
            line=split.yaml_line,
            hint="Check the front matter between the '---' lines.",
        ) from None
    if node is None:
        return FrontMatter({}, {}, split.yaml_line - 1)
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise WorkflowError(
            "The front matter must be 'key: value' lines (a YAML mapping).",
            file=path,
            line=split.yaml_line,
            hint="Write it like:\n" + _EXAMPLE,
        )
    lines: dict[str, int] = {}
    _collect_lines(node, "", split.yaml_line, lines, path)
    return FrontMatter(data, lines, split.yaml_line - 1)


def _check_nesting(split: SplitFile, path: str) -> None:
    """Refuse brackets nested deeper than MAX_NESTING, at the line where it happens (a parser would recurse
    once per level; ``[[[[…`` five thousand deep must be a clear error, not a RecursionError)."""
    depth = 0
    for number, line in enumerate(split.yaml_text.splitlines(), start=split.yaml_line):
        quote = ""
        for char in line:
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    raise _too_deep(path, number)
            elif char in "]}":
                depth = max(depth - 1, 0)


def _too_deep(path: str, line: int) -> WorkflowError:
    return WorkflowError(
        f"The front matter nests lists or mappings more than {MAX_NESTING} levels deep.",
        file=path,
        line=line,
        hint="Front-matter values are flat lists and small mappings (apps: [mousepad]); remove the extra brackets.",
    )


def _collect_lines(node: yaml.Node, prefix: str, offset: int, lines: dict[str, int], path: str) -> None:
    """Record each key's file line, and refuse a key given twice (YAML would keep only the last).

    Only the first levels matter for messages; stopping there also ends cycles made with YAML aliases.
    """
    if prefix.count(".") >= _MAX_DEPTH:
        return
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            line = offset + key_node.start_mark.line
            if key in lines:
                raise WorkflowError(
                    f"The key {str(key_node.value)!r} is given twice (first on line {lines[key]}).",
                    file=path,
                    line=line,
                    hint="Keep one of them; YAML would silently drop the first.",
                )
            lines[key] = line
            _collect_lines(value_node, f"{key}.", offset, lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[f"{prefix}{index}"] = offset + item.start_mark.line
            _collect_lines(item, f"{prefix}{index}.", offset, lines, path)


def _start_hint() -> str:
    return "A workflow starts with YAML front matter between two '---' lines, then numbered steps:\n" + _EXAMPLE
