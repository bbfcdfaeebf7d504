"""How a case lands in the archive: one folder (or zip) of files with office-like names, or one
combined PDF/DOCX; and where each document of the case is (path, part).
"""
from __future__ import annotations

import random
from collections.abc import Sequence

from corpus.case import Plan
from corpus.spec import DocSpec, FileSpec

SCAN_NAMES = ("扫描件({k}).pdf", "IMG_{k4}.pdf", "scan-{k4}.pdf", "扫描全能王 {k}.pdf")
WORD_NAMES = ("新建 Microsoft Word 文档 ({k}).docx", "文书{k}.docx", "{k}.docx", "Doc{k}.docx")
MEANINGFUL = {"source": "案件来源", "filing": "立案审批表", "inspection": "现场检查笔录", "inquiry": "询问笔录",
              "notice": "事先告知书", "decision": "决定书", "dec_srv": "送达回证", "payment": "缴款凭证",
              "closing": "结案审批表", "report": "调查终结报告", "simple": "当场处罚决定书"}


def place_files(p: Plan, docs: Sequence[tuple[str, DocSpec]],
                rng: random.Random) -> tuple[tuple[FileSpec, ...], dict[str, tuple[str, int]]]:
    """Files of the case and, per document key, its (path, part)."""
    where: dict[str, tuple[str, int]] = {}
    if p.container in ("combined_pdf", "combined_docx"):
        ext = "pdf" if p.container == "combined_pdf" else "docx"
        name = f"{p.case_id}.{ext}"
        for i, (key, _) in enumerate(docs, 1):
            where[key] = (name, i)
        return (FileSpec(name, ext, tuple(d for _, d in docs)),), where
    files = []
    used: set[str] = set()
    meaningful = rng.random() < 0.35
    counter = rng.randint(1, 30)
    for key, doc in docs:
        fmt = "pdf" if rng.random() < 0.55 else "docx"
        name = ""
        for _ in range(20):
            counter += 1
            if meaningful and key in MEANINGFUL and rng.random() < 0.7:
                label = MEANINGFUL[key]
                if rng.random() < 0.06:  # misleading name
                    label = rng.choice([v for kk, v in MEANINGFUL.items() if kk != key])
                name = f"{label}.{fmt}"
            else:
                pool = SCAN_NAMES if fmt == "pdf" else WORD_NAMES
                name = rng.choice(pool).format(k=counter, k4=f"{counter:04d}")
            if name not in used:
                break
            name = ""
        if not name:
            name = f"文件{counter}.{fmt}"
        used.add(name)
        prefix = f"{p.case_id}.zip!/{p.case_id}/" if p.container == "zip" else f"{p.case_id}/"
        where[key] = (prefix + name, 0)
        files.append(FileSpec(name, fmt, (doc,)))
    return tuple(files), where
