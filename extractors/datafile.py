"""The extractors' own YAML data files, read once and checked node by node.

``load(path)`` returns the file's YAML node tree; the helpers below read a mapping, a list of
strings or a scalar out of it and raise ``DataFileError`` (E203) naming the file and the 1-based
line of the offending node, so a mistyped key or a wrong value type in ``labels.yaml`` or
``precedence.yaml`` is reported where it is, not as a KeyError deep in an extractor.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from pipeline.core.errors import DataFileError

DATA = Path(__file__).resolve().parent / "data"


class Doc:
    """One data file: its name (for messages) and its root node."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        try:
            root = yaml.compose(path.read_text(encoding="utf-8"))
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark is not None else 1
            raise DataFileError(self.name, line, f"YAML 格式错误（{exc.problem}）") from exc
        if root is None:
            raise DataFileError(self.name, 1, "文件为空")
        self.root = root

    def fail(self, node: yaml.Node, problem: str) -> DataFileError:
        return DataFileError(self.name, node.start_mark.line + 1, problem)

    def mapping(self, node: yaml.Node, what: str, allowed: Iterable[str] | None = None,
                required: Iterable[str] = ()) -> dict[str, yaml.Node]:
        """The keys of a mapping node; unknown keys (when ``allowed`` is given) and missing
        ``required`` keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what}应为映射（键: 值）")
        out: dict[str, yaml.Node] = {}
        allow = set(allowed) if allowed is not None else None
        for k, v in node.value:
            key = self.scalar(k, f"{what}的键")
            if key in out:
                raise self.fail(k, f"{what}的键“{key}”重复")
            if allow is not None and key not in allow:
                raise self.fail(k, f"{what}中有未知的键“{key}”（可用：{'、'.join(sorted(allow))}）")
            out[key] = v
        for key in required:
            if key not in out:
                raise self.fail(node, f"{what}缺少键“{key}”")
        return out

    def scalar(self, node: yaml.Node, what: str, choices: Iterable[str] | None = None) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(node, f"{what}应为非空的文字")
        value = str(node.value)
        if choices is not None and value not in set(choices):
            raise self.fail(node, f"{what}“{value}”不在可用值中（{'、'.join(choices)}）")
        return value

    def boolean(self, node: yaml.Node, what: str) -> bool:
        value = self.scalar(node, what, ("true", "false"))
        return value == "true"

    def strings(self, node: yaml.Node, what: str, non_empty: bool = True) -> tuple[str, ...]:
        """A list of distinct, non-empty strings."""
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what}应为列表")
        out: list[str] = []
        for item in node.value:
            s = self.scalar(item, f"{what}的一项")
            if s in out:
                raise self.fail(item, f"{what}中“{s}”重复")
            out.append(s)
        if non_empty and not out:
            raise self.fail(node, f"{what}不能为空")
        return tuple(out)
