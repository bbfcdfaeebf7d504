"""The ``anjuan`` command: a thin click layer over the library (sqlite-utils style).

Each command is a few lines that call one library function; domain errors (AnjuanError) are
shown as ``[Exxx] 中文说明`` through click.ClickException.
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from pipeline import __version__
from pipeline.errors import AnjuanError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _domain_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AnjuanError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", message="anjuan %(version)s")
def cli() -> None:
    """anjuan（案卷）：城管执法案卷评查辅助工具。

    读取一个月的案卷（Word、PDF），识别文书类型，提取要素，逐项检查程序问题并给出法律依据，
    评分并起草评查意见书和监督文书。全部离线运行，原始案卷不作任何修改。

    \b
    示例：
      anjuan demo                          生成示例案卷并完成一次评查
      anjuan review 案卷目录 --out 结果目录   评查一个月的案卷
      anjuan checks list                   列出全部检查项
    """


@cli.command("review")
@click.argument("archive", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="结果输出目录（不存在则创建）。")
@click.option("--rules", "rules", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="用户规则文件（YAML），覆盖默认参数。")
@click.option("--db", "db", type=click.Path(path_type=Path), default=Path("anjuan.db"), show_default=True,
              help="保存历史月份数据的 SQLite 数据库。")
@click.option("--jobs", "jobs", type=int, default=0, help="并行进程数，默认等于 CPU 核数。")
@click.option("--month", "month", default=None, help="评查月份 YYYY-MM（默认取案卷中最多的决定月份）。")
@click.option("--review-date", "review_date", default=None, help="评查日期 YYYY-MM-DD（计算未结案件期限用，默认为评查月份的次月1日）。")
@click.option("--templates", "templates", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
              help="自定义模板目录（覆盖同名模板）。")
@click.option("--quiet", is_flag=True, help="不显示进度条。")
@click.option("--debug", is_flag=True, help="检查项出错时直接抛出异常（开发用）。")
@_domain_errors
def review_cmd(archive: Path, out: Path, rules: Path | None, db: Path, jobs: int, month: str | None,
               review_date: str | None, templates: Path | None, quiet: bool, debug: bool) -> None:
    """评查 ARCHIVE 中的全部案卷，结果写入 --out 目录。

    \b
    输出：cases.jsonl（每案一行）、summary.json（汇总）、评查评分表.xlsx、评查意见书/*.docx。
    示例：anjuan review ./2024-06案卷 --out ./2024-06评查结果
    """
    from pipeline.run import ReviewSettings, review_archive

    settings = ReviewSettings(rules_path=rules, db_path=db, jobs=jobs, month=month, review_date=review_date,
                              templates_dir=templates, debug=debug, progress=not quiet)
    summary = review_archive(archive, out, settings)
    click.echo(summary.report(), err=False)


@cli.command("extract")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（默认为可读文本）。")
@_domain_errors
def extract_cmd(file: Path, as_json: bool) -> None:
    """提取单个文件中每份文书的要素，便于人工核对。

    示例：anjuan extract 决定书.docx --json
    """
    from pipeline.run import extract_file

    data = extract_file(file)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for doc in data["documents"]:
        click.echo(f"== {doc['path']}  [{doc['doc_type']}] {doc.get('title') or ''}")
        for name, value in doc["fields"].items():
            click.echo(f"  {name}: {json.dumps(value, ensure_ascii=False)}")
    if data["fields"]:
        click.echo("== 案件要素")
        for name, value in data["fields"].items():
            click.echo(f"  {name}: {json.dumps(value, ensure_ascii=False)}")
    for err in data["errors"]:
        click.echo(f"  {err['message']}", err=True)


@cli.group("corpus")
def corpus_group() -> None:
    """合成案卷（用于测试和演示）。"""


@corpus_group.command("generate")
@click.option("--cases", "n", type=int, default=100, show_default=True, help="案件数量。")
@click.option("--month", "month", default="2024-06", show_default=True, help="月份 YYYY-MM。")
@click.option("--seed", "seed", type=int, default=1, show_default=True, help="随机种子（相同种子生成完全相同的文件）。")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="输出目录。")
@_domain_errors
def corpus_generate_cmd(n: int, month: str, seed: int, out: Path) -> None:
    """生成一个月的合成案卷、truth.jsonl 和台账。

    示例：anjuan corpus generate --cases 50 --month 2024-06 --seed 7 --out ./语料
    """
    from pipeline.run import generate_corpus

    manifest = generate_corpus(n, month, seed, out)
    click.echo(f"已生成 {manifest['cases']} 件案卷（{len(manifest['files'])} 个文件）：{out / 'archive'}")
    click.echo(f"标准答案：{out / 'truth.jsonl'}")


@cli.group("checks")
def checks_group() -> None:
    """检查项目录。"""


@checks_group.command("list")
def checks_list_cmd() -> None:
    """列出全部检查项：编号、名称、严重程度、环节、法律依据。"""
    from checks.docs import list_checks

    for row in list_checks():
        click.echo(f"{row['id']}  {row['title']}（{row['name']}）  {row['severity_cn']}  {row['stage'] or '跨案件'}  {row['citation']}")


@checks_group.command("explain")
@click.argument("check_id")
@_domain_errors
def checks_explain_cmd(check_id: str) -> None:
    """说明一个检查项：检查内容、法律依据、示例和当前参数。

    示例：anjuan checks explain DEC-01
    """
    from checks.docs import explain

    click.echo(explain(check_id.upper()))


@cli.command("demo")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("anjuan-demo"), show_default=True,
              help="演示输出目录。")
@click.option("--cases", "n", type=int, default=60, show_default=True, help="演示案件数量。")
@click.option("--seed", "seed", type=int, default=2024, show_default=True, help="随机种子。")
@_domain_errors
def demo_cmd(out: Path, n: int, seed: int) -> None:
    """一键演示：生成一个月的示例案卷并完成评查，然后提示先打开哪些文件。"""
    from pipeline.run import run_demo

    click.echo(run_demo(out, n=n, seed=seed))


def main() -> None:  # pragma: no cover
    cli(prog_name="anjuan")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
