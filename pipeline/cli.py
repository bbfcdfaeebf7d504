"""The ``anjuan`` command: a thin click layer over the library (sqlite-utils style).

Each command is a few lines that call one library function; domain errors (AnjuanError) are
shown as ``[Exxx] 中文说明`` through click.ClickException.
"""
from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import yaml

from pipeline import __version__
from pipeline.core.errors import AnjuanError

CLICK_WORDS = Path(__file__).resolve().parent / "data" / "click_zh.yaml"
_CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
                  "click.types", "click.termui", "click.utils", "click._termui_impl")
_TYPE_NAMES = {"StringParamType": "文字", "IntParamType": "整数", "FloatParamType": "小数", "IntRange": "整数范围",
               "FloatRange": "小数范围", "BoolParamType": "是或否", "DateTime": "日期时间"}


def localise_click() -> None:
    """click's own words (Usage, Options, [required], Error: …) in Chinese.

    click looks every word up through ``gettext`` (``_`` and ``ngettext`` in each of its modules) and
    names value types in English (TEXT, INTEGER); both are replaced here, before the commands are
    declared, with the table in ``pipeline/data/click_zh.yaml``. A word missing from it stays English.
    """
    words: dict[str, str] = yaml.safe_load(CLICK_WORDS.read_text(encoding="utf-8")) or {}

    def zh(message: str) -> str:
        return words.get(message, message)

    def nzh(singular: str, plural: str, n: int) -> str:
        return words.get(singular if n == 1 else plural) or words.get(singular) or (singular if n == 1 else plural)

    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            vars(module)["_"] = zh
        if hasattr(module, "ngettext"):
            vars(module)["ngettext"] = nzh
    for type_name, label in _TYPE_NAMES.items():
        getattr(click.types, type_name).name = label
    for instance in (click.STRING, click.INT, click.FLOAT, click.BOOL):
        instance.name = _TYPE_NAMES[type(instance).__name__]
    click.Context.formatter_class = _ZhHelpFormatter


class _ZhHelpFormatter(click.HelpFormatter):
    """Headings and the usage line with Chinese punctuation (``选项：``, ``用法：anjuan …``)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：" if prefix is None else prefix)


def _localise_usage(command: click.Command) -> None:
    """``[OPTIONS]`` and ``COMMAND [ARGS]...`` in the usage lines of every command, in Chinese."""
    command.options_metavar = "[选项]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "命令 [参数]..."
        for sub in command.commands.values():
            _localise_usage(sub)


localise_click()

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
@click.option("--review-date", "review_date", default=None,
              help="评查日期 YYYY-MM-DD（计算未结案件期限用，默认为评查月份的次月1日）。")
@click.option("--templates", "templates", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
              help="自定义模板目录（覆盖同名模板）。")
@click.option("--fresh", is_flag=True,
              help="忽略数据库中保存的读取结果，重新读取全部案卷（默认只读取新增或有变化的案卷）。")
@click.option("--max-pages", "max_pages", type=int, default=None, help="每个文件最多读取的页数（默认 2000）。")
@click.option("--no-ocr", "no_ocr", is_flag=True, help="不对扫描件和图片做文字识别（只列为需识别，E106/E117）。")
@click.option("--quiet", is_flag=True, help="不显示进度条。")
@click.option("--debug", is_flag=True, help="检查项出错时直接抛出异常（开发用）。")
@_domain_errors
def review_cmd(archive: Path, out: Path, rules: Path | None, db: Path, jobs: int, month: str | None,
               review_date: str | None, templates: Path | None, fresh: bool, max_pages: int | None,
               no_ocr: bool, quiet: bool, debug: bool) -> None:
    """评查 ARCHIVE 中的全部案卷，结果写入 --out 目录。

    \b
    输出：cases.jsonl（每案一行）、summary.json（汇总）、评查评分表.xlsx、评查意见书/*.docx。
    示例：anjuan review ./2024-06案卷 --out ./2024-06评查结果
    """
    from pipeline.read.readers import ReadLimits
    from pipeline.run.review import ReviewSettings, review_archive

    limits = ReadLimits(max_pages=max_pages or ReadLimits().max_pages, ocr=not no_ocr)
    settings = ReviewSettings(rules_path=rules, db_path=db, jobs=jobs, month=month, review_date=review_date,
                              templates_dir=templates, debug=debug, progress=not quiet, fresh=fresh,
                              limits=limits)
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
    from pipeline.run.commands import extract_file

    data = extract_file(file)
    if not data["documents"] and data["errors"]:
        # nothing could be read: an error with its code and a non-zero exit
        raise click.ClickException("\n".join(e["message"] for e in data["errors"]))
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
@click.option("--scanned-fraction", "scanned", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="做成扫描件（无文字层的图片 PDF，倾斜、盖章、压缩）的案件比例。")
@click.option("--styles", "styles", default="", show_default=False,
              help="文书版式（不同办案单位的写法）：all 或以逗号分隔的名称（house,ledger,prose,terse）；默认仅 house。")
@click.option("--overwrite", is_flag=True, help="输出目录已有合成案卷时，用新生成的替换。")
@_domain_errors
def corpus_generate_cmd(n: int, month: str, seed: int, out: Path, scanned: float, styles: str,
                        overwrite: bool) -> None:
    """生成一个月的合成案卷、truth.jsonl 和台账。

    示例：anjuan corpus generate --cases 50 --month 2024-06 --seed 7 --out ./语料
    """
    from pipeline.run.commands import generate_corpus

    try:
        manifest = generate_corpus(n, month, seed, out, scanned_fraction=scanned, overwrite=overwrite,
                                   styles=tuple(s for s in styles.split(",") if s.strip()))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--styles") from exc
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
        click.echo(f"{row['id']}  {row['title']}（{row['name']}）  {row['severity_cn']}  "
                   f"{row['stage'] or '跨案件'}  {row['citation']}")


@checks_group.command("explain")
@click.argument("check_id")
@_domain_errors
def checks_explain_cmd(check_id: str) -> None:
    """说明一个检查项：检查内容、法律依据、示例和当前参数。

    示例：anjuan checks explain DEC-01
    """
    from checks.docs import explain

    click.echo(explain(check_id.upper()))


def _db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db", type=click.Path(path_type=Path), default=Path("anjuan.db"), show_default=True,
                        help="保存历史数据、监督文书和审核记录的 SQLite 数据库。")(func)


@cli.command("plan")
@click.option("--register", "register", type=click.Path(path_type=Path), required=True,
              help="上月案件台账（.xlsx 或 .csv）。")
@click.option("--month", "month", required=True, help="抽查月份 YYYY-MM（抽取上个月的办结案件）。")
@click.option("--seed", "seed", type=int, default=None,
              help="随机种子（默认取月份数字，如 202406），相同种子抽取结果相同。")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="督察任务单输出目录。")
@_db_option
@_domain_errors
def plan_cmd(register: Path, month: str, seed: int | None, out: Path, db: Path) -> None:
    """按 2024 年度监督工作方案的全部比例要求，生成本月抽查计划（督察任务单）。

    \b
    同时满足：案卷≥上月办结数10%、中队≥20%且每半年全覆盖、每中队每年≥10件、
    视音频记录≥10%、重大法核每案必查、投诉信访≥1%（重复5次以上优先）。
    示例：anjuan plan --register 台账.xlsx --month 2024-06
    """
    from pipeline.run.month import make_plan

    seed = seed if seed is not None else int(month.replace("-", "")) if month.replace("-", "").isdigit() else 0
    click.echo(make_plan(register, month, seed=seed, out_dir=out, db_path=db).text)


@cli.command("run")
@click.argument("archive", type=click.Path(path_type=Path))
@click.option("--month", "month", required=True, help="评查月份 YYYY-MM。")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="结果输出目录（默认：评查结果-YYYY-MM）。")
@click.option("--rules", "rules", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="用户规则文件（YAML），覆盖默认参数。")
@click.option("--jobs", "jobs", type=int, default=0, help="并行进程数，默认等于 CPU 核数。")
@_db_option
@_domain_errors
def run_cmd(archive: Path, month: str, out: Path | None, rules: Path | None, jobs: int, db: Path) -> None:
    """一次完成整月工作：评查、评分、意见书、两单两书（含逾期升级）、讲评会材料、月通报，
    并按台账生成下月抽查计划。

    示例：anjuan run ./2024-06案卷 --month 2024-06
    """
    from pipeline.run.month import run_whole_month

    click.echo(run_whole_month(archive, month, out=out or Path(f"评查结果-{month}"), db_path=db,
                               rules_path=rules, jobs=jobs))


@cli.group("letters")
def letters_group() -> None:
    """两单两书（提示单、督办单、建议书、决定书）的登记、回复和升级。"""


@letters_group.command("list")
@click.option("--state", "state", default=None,
              type=click.Choice(["issued", "due", "replied", "overdue", "escalated", "closed"]),
              help="只列出某一状态的文书。")
@click.option("--month", "month", default=None, help="只列出某一评查月份的文书 YYYY-MM。")
@_db_option
@_domain_errors
def letters_list_cmd(state: str | None, month: str | None, db: Path) -> None:
    """列出监督文书：编号、文号、中队、制发日期、回复期限和状态。"""
    from pipeline.run.month import letters_table

    click.echo(letters_table(db, state=state, month=month))


@letters_group.command("reply")
@click.argument("letter_id", type=int)
@click.option("--date", "date", required=True, help="收到回复（整改报告）的日期 YYYY-MM-DD。")
@click.option("--note", "note", required=True, help="回复内容摘要。")
@click.option("--who", "who", default="评查人员", show_default=True, help="登记人。")
@_db_option
@_domain_errors
def letters_reply_cmd(letter_id: int, date: str, note: str, who: str, db: Path) -> None:
    """登记中队对监督文书的回复；按期回复的文书不再升级。

    示例：anjuan letters reply 3 --date 2024-07-10 --note "已整改并提交整改报告"
    """
    from pipeline.run.month import letter_reply

    click.echo(letter_reply(db, letter_id, date=date, note=note, who=who))


@letters_group.command("assess")
@click.argument("letter_id", type=int)
@click.option("--accept/--reject", "accept", required=True, help="认可整改（办结）或不认可（转为逾期，可升级）。")
@click.option("--date", "date", required=True, help="审核日期 YYYY-MM-DD。")
@click.option("--note", "note", required=True, help="审核意见。")
@click.option("--who", "who", default="评查人员", show_default=True, help="审核人。")
@click.option("--rules", "rules", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="用户规则文件（YAML）：不认可时重新限期，按其中补充的放假调休安排计算工作日（与评查时相同）。")
@_db_option
@_domain_errors
def letters_assess_cmd(letter_id: int, accept: bool, date: str, note: str, who: str, rules: Path | None,
                       db: Path) -> None:
    """审核中队的整改回复：认可则办结，不认可则重新限期或转为逾期，并在下次运行时升级。"""
    from pipeline.run.month import letter_assess

    click.echo(letter_assess(db, letter_id, accept=accept, date=date, note=note, who=who, rules_path=rules))


@cli.group("findings")
def findings_group() -> None:
    """评查人员对问题的确认或排除（记录人、时间、理由，历史可查）。"""


def _decision_command(decision: str, help_text: str) -> Callable[..., Any]:
    @click.argument("case_id")
    @click.argument("check_id")
    @click.option("--reason", "reason", required=True, help="理由（必填）。")
    @click.option("--who", "who", default="评查人员", show_default=True, help="审核人。")
    @click.option("--date", "date", default=None, help="审核日期 YYYY-MM-DD（默认今天）。")
    @_db_option
    @_domain_errors
    def command(case_id: str, check_id: str, reason: str, who: str, date: str | None, db: Path) -> None:
        from pipeline.run.month import decide

        click.echo(decide(db, case_id, check_id, decision, reason=reason, who=who, date=date))

    command.__doc__ = help_text
    return command


findings_group.command("confirm")(_decision_command(
    "confirmed", "确认一个问题（跨案件信号经确认后才扣分）。\n\n"
    "示例：anjuan findings confirm 2406015 MIS-01 --reason \"经核实属拆分案件\""))
findings_group.command("dismiss")(_decision_command(
    "dismissed", "排除一个问题：重新评查后不再出现在意见书、评分和监督文书中。\n\n"
    "示例：anjuan findings dismiss 2406015 NOT-02 --reason \"告知书第二页载明了陈述申辩权\""))


@findings_group.command("history")
@click.argument("case_id", required=False)
@_db_option
@_domain_errors
def findings_history_cmd(case_id: str | None, db: Path) -> None:
    """列出审核记录（确认、排除及其理由），可只看一个案卷。"""
    from pipeline.run.month import decisions_table

    click.echo(decisions_table(db, case_id))


@cli.command("serve")
@click.argument("results", type=click.Path(path_type=Path, file_okay=False), default=Path("."), required=False)
@click.option("--db", "db", type=click.Path(path_type=Path), default=None, help="评查数据库（默认按结果记录）。")
@click.option("--archive", type=click.Path(path_type=Path, file_okay=False), help="案卷目录（默认自动查找）。")
@click.option("--port", type=int, default=8765, show_default=True, help="端口。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；局域网用 0.0.0.0（须设 --password）。")
@click.option("--password", envvar="ANJUAN_SERVE_PASSWORD", show_envvar=True, help="访问口令（auto：随机生成）。")
@click.option("--no-browser", "no_browser", is_flag=True, help="不自动打开浏览器。")
@_domain_errors
def serve_cmd(results: Path, db: Path | None, archive: Path | None, port: int, host: str, password: str | None,
              no_browser: bool) -> None:
    """打开评查工作台：逐案查看原件页面和引文，确认或排除问题、更正要素，重新生成输出文件。

    示例：anjuan serve ./2024-06评查结果
    """
    from pipeline.serve.server import serve

    serve(results, db_path=db, archive=archive, host=host, port=port, password=password,
          open_browser=not no_browser, echo=click.echo)


@cli.command("demo")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("anjuan-demo"), show_default=True,
              help="演示输出目录。")
@click.option("--cases", "n", type=int, default=60, show_default=True, help="演示案件数量。")
@click.option("--seed", "seed", type=int, default=2024, show_default=True, help="随机种子。")
@_domain_errors
def demo_cmd(out: Path, n: int, seed: int) -> None:
    """一键演示：生成一个月的示例案卷并完成评查，然后提示先打开哪些文件。"""
    from pipeline.run.commands import run_demo

    click.echo(run_demo(out, n=n, seed=seed))


_localise_usage(cli)


def main() -> None:  # pragma: no cover
    cli(prog_name="anjuan")


if __name__ == "__main__":  # pragma: no cover
    main()
