"""Regenerate the generated part of docs/: the check reference (docs/checks-reference.md) and the
list of error codes (docs/errors.md).

    python docs/build_docs.py          rewrite both from the code
    python docs/build_docs.py --check  exit 1 when either is out of date

The catalogue itself (docs/checks.md) is written by hand and the registry must agree with it
(tests/test_checks_registry.py). The reference is built from what the code registers
(``checks.registry``) and the shipped rules (``checks/data/rules.yaml``), so it cannot drift from
them: ``tests/test_docs.py`` regenerates it and compares. The error list is built from
``pipeline.core.errors.MESSAGES`` the same way.
"""
from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHECKS_MD = ROOT / "docs" / "checks-reference.md"
ERRORS_MD = ROOT / "docs" / "errors.md"

HEADER = """# 检查项说明（由代码生成）

本文件由 `python docs/build_docs.py` 根据代码中注册的检查项和默认规则文件 `checks/data/rules.yaml`
生成，`tests/test_docs.py` 保证两者一致。检查项目录（编号、名称、严重程度、环节）见 [checks.md](checks.md)。

- 严重程度：否决（案卷不能合格）、重大、一般、提示（值得一看，不扣分）。
- 评分环节：扣分计入评分表的哪个环节（见 `pipeline/data/scoresheet.yaml`）。
- 参数：每个参数都可在用户规则文件（`--rules`）中修改；标为“本地假设”（UNCONFIRMED）的是未经核实的
  本地默认值，出具意见前请按现行本地规定核实。
- **未能核实不是问题**：检查需要的值在案卷中找不到时（不同于找到了但为空白，或找到了但违反规定），
  该检查不报告问题，而把这一点列入该案卷的「未能核实，需人工核对」清单，不扣分。
- 跨案卷检查的结果是供人工判断的信号：经评查人员确认后才扣分。

`anjuan checks list` 列出全部检查项，`anjuan checks explain 编号` 显示一项的完整说明。
"""


def build() -> str:
    from checks.docs import explain, list_checks

    rows = list_checks()
    out = [HEADER]
    out += ["", "## 逐项说明", ""]
    for r in rows:
        text = inspect.cleandoc(explain(r["id"]))
        lines = text.splitlines()
        out += [f"### {lines[0]}", ""] + lines[1:] + [""]
    return "\n".join(out).rstrip() + "\n"


ERRORS_HEADER = """# 错误代码（由代码生成）

本文件由 `python docs/build_docs.py` 根据 `pipeline/core/errors.py` 生成，`tests/test_docs.py` 保证两者一致。
anjuan 的每条提示都带代码，例如 `[E104] PDF 已加密……`；提示中写明出了什么问题、涉及哪个文件、如何处理。
读取或提取出错的文件以错误代码列在该案卷下（`cases.jsonl` 的 `errors`、评分表和意见书），
其余文件和案卷照常评查，不会被悄悄跳过。花括号中的词（如 `{path}`）在实际提示中换成具体的文件、案卷或数值。
"""

ERROR_GROUPS = [("E1", "读取案卷（E1xx）"), ("E2", "要素提取（E2xx）"), ("E3", "检查、规则和命令参数（E3xx）"),
                ("E4", "文书生成（E4xx）"), ("E5", "数据库和监督文书（E5xx）"), ("E6", "评查工作台（E6xx）"),
                ("E9", "中断和内部错误（E9xx）")]


def build_errors() -> str:
    from pipeline.core.errors import MESSAGES

    out = [ERRORS_HEADER]
    for prefix, title in ERROR_GROUPS:
        codes = sorted(c for c in MESSAGES if c.startswith(prefix))
        if not codes:
            continue
        out += ["", f"## {title}", "", "| 代码 | 提示 |", "|---|---|"]
        out += [f"| {c} | {MESSAGES[c].replace('|', '｜')} |" for c in codes]
    rest = sorted(c for c in MESSAGES if not any(c.startswith(p) for p, _ in ERROR_GROUPS))
    if rest:
        out += ["", "## 其他", "", "| 代码 | 提示 |", "|---|---|"]
        out += [f"| {c} | {MESSAGES[c].replace('|', '｜')} |" for c in rest]
    return "\n".join(out).rstrip() + "\n"


GENERATED = {CHECKS_MD: build, ERRORS_MD: build_errors}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 when out of date")
    args = ap.parse_args(argv)
    stale = []
    for path, make in GENERATED.items():
        text = make()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            continue
        if args.check:
            stale.append(path)
            continue
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"{path.relative_to(ROOT)} is out of date: run  python docs/build_docs.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
