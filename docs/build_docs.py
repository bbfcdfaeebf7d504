"""Regenerate the generated part of docs/: the check reference (docs/checks-reference.md).

    python docs/build_docs.py          rewrite docs/checks-reference.md from the registry and the rules
    python docs/build_docs.py --check  exit 1 when it is out of date

The catalogue itself (docs/checks.md) is written by hand and the registry must agree with it
(tests/test_checks_registry.py). The reference is built from what the code registers
(``checks.registry``) and the shipped rules (``checks/data/rules.yaml``), so it cannot drift from
them: ``tests/test_docs.py`` regenerates it and compares.
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 when out of date")
    args = ap.parse_args(argv)
    text = build()
    if args.check:
        current = CHECKS_MD.read_text(encoding="utf-8") if CHECKS_MD.exists() else ""
        if current != text:
            print("docs/checks-reference.md is out of date: run  python docs/build_docs.py", file=sys.stderr)
            return 1
        return 0
    CHECKS_MD.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {CHECKS_MD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
