"""The commands around a review: ``anjuan extract`` (one file's fields), ``anjuan corpus generate``
and ``anjuan demo`` (a generated month, reviewed)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.generator import generate_cases, register_rows
from corpus.writer import write_corpus
from extractors.assemble import case_fields
from pipeline.read.archive import CaseEntry
from pipeline.run.review import ReviewSettings, review_archive
from pipeline.run.workers import WorkerConfig, read_one


def extract_file(path: Path) -> dict[str, Any]:
    """``anjuan extract FILE``: the fields of each document of one file, and the case-level
    fields they give together (only those stated)."""
    path = Path(path)
    entry = CaseEntry(case_id=path.stem, source=path.name, kind=path.suffix.lower().lstrip("."))
    case_input, casefile = read_one(WorkerConfig(), str(path.parent), entry)
    docs_out = []
    for df in casefile.docs:
        fields: dict[str, Any] = {}
        for f in df.fields:
            fields.setdefault(f.name, f.value)
        docs_out.append({"path": df.doc.doc_id, "doc_type": df.doc.doc_type, "title": df.doc.title,
                         "pages": len(df.doc.pages), "fields": fields})
    stated = {k: v for k, v in case_fields(casefile).items() if v not in (None, [], {})}
    for key in ("party", "remedy"):
        if key in stated and all(v is None for v in stated[key].values()):
            del stated[key]
    return {"documents": docs_out, "fields": stated, "errors": [e.to_dict() for e in case_input.errors]}


def generate_corpus(n: int, month: str, seed: int, out: Path, *, scanned_fraction: float = 0.0) -> dict[str, Any]:
    cases = generate_cases(n, month, seed, scanned_fraction=scanned_fraction)
    return write_corpus(cases, register_rows(cases), Path(out))


def run_demo(out: Path, n: int = 60, seed: int = 2024) -> str:
    """Generate a month of case files into OUT/语料, review it into OUT/评查结果, and say what to
    open first."""
    out = Path(out)
    corpus_dir = out / "语料"
    result_dir = out / "评查结果"
    manifest = generate_corpus(n, "2024-06", seed, corpus_dir)
    db = out / "anjuan.db"
    if db.exists():
        db.unlink()
    summary = review_archive(corpus_dir / "archive", result_dir,
                             ReviewSettings(db_path=db, month="2024-06", progress=True))
    first_opinion = sorted((result_dir / "评查意见书").glob("*.docx"))
    lines = [
        f"演示完成：生成 {manifest['cases']} 件合成案卷并完成评查。",
        summary.report(),
        "",
        "建议先打开：",
        f"  1. {result_dir / '评查评分表.xlsx'}  （汇总表：每案得分、等级和问题数）",
    ]
    if first_opinion:
        lines.append(f"  2. {first_opinion[0]}  （一份评查意见书）")
    lines.append(f"  3. {result_dir / 'cases.jsonl'}  （每案的要素、问题、证据和评分）")
    lines.append(f"  合成案卷原件：{corpus_dir / 'archive'}")
    return "\n".join(lines)


__all__ = ["extract_file", "generate_corpus", "run_demo"]
