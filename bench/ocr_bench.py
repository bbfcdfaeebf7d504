"""OCR engines on scanned case files (issue: scanned case files — OCR that a reviewer can trust).

Two measurements per installed engine (``--engines`` to choose), both on 2 cores (engine threads =
``min(2, cores)``, model loading excluded and shown apart):

1. Pages (``--docs``, default 20): documents of every type from ``corpus.generator``, scanned with
   ``corpus.scan.scan_pages`` (150–300 dpi, skew ±3°, some pages turned 90/180/270°, red seal,
   blur, noise, JPEG, some grey) and OCR-ed one page each:
   - character accuracy: 1 − Levenshtein(OCR, source) / len(source), both NFKC-normalised with
     all whitespace removed and ○ counted as 〇 (source = the page's printed black text; the red
     seal's text and the ［印章］ line OCR puts where it found a seal are not counted);
   - key values: share of the page's dates, amounts, case numbers and names found exactly;
   - rotation found right, mean skew error, pages with warnings, seconds per page.
2. Cases (``--cases``, default 12): a corpus month whose PDF files are all scans
   (``generate_corpus(..., scanned_fraction=1)``), read, typed, extracted and assembled as
   ``anjuan review`` does; per schema field the accuracy over the cases (value equal to the truth,
   both empty counting as right), precision and recall (``extractors.evaluate``), target ≥ 0.95 on
   every field; seconds per OCR page (rasterising + OCR, wall clock).

    python bench/ocr_bench.py [--docs 20] [--cases 12] [--seed 7] [--case-seed 8080]
                              [--month 2024-06] [--engines rapidocr,tesseract]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAME_LABELS = ("当事人", "经营者", "法定代表人", "负责人", "被询问人", "询问人", "记录人", "执法人员",
               "承办人", "送达人", "受送达人", "检查人", "当事人签名", "审核人", "审批人", "联系人")
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月"
                   r"[一二三四五六七八九十]{1,3}日")
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?元|人民币[壹贰叁肆伍陆柒捌玖拾佰仟万零整元角分]+")
_CASENO = re.compile(r"[\u4e00-\u9fff]{1,8}[（(〔\[]\d{4}[）)〕\]]第?\d+号")
_NAME = re.compile(r"(?:" + "|".join(NAME_LABELS) + r")[:：\t ]+([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])")


def norm(text: str) -> str:
    """NFKC, no whitespace, and ○ (U+25CB) read as 〇 (U+3007): the generator writes both and no
    print tells them apart."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("○", "〇")


def key_values(text: str) -> list[str]:
    keys = []
    for pattern in (_DATE, _AMOUNT, _CASENO):
        keys += [m.group(0) for m in pattern.finditer(text)]
    keys += [m.group(1) for m in _NAME.finditer(text)]
    return [norm(k) for k in keys]


def _fallback_docs():
    from corpus.spec import Block, DocSpec

    agency = "上海市青浦区城市管理行政执法局"
    return [
        DocSpec("decision", "行政处罚决定书", (
            Block("subtitle", agency), Block("title", "行政处罚决定书"),
            Block("subtitle", "沪青城管罚字(2024)第0123456号"),
            Block("table", rows=(("当事人", "张建国", "性别", "男"),
                                 ("身份证号", "310229198001011234", "联系电话", "139****1234"))),
            Block("para", "经查，当事人于2024年3月5日在青浦区公园路100号门口擅自占用道路堆放物品，"
                          "违反了《上海市市容环境卫生管理条例》第二十二条第一款的规定。"),
            Block("para", "依据《上海市市容环境卫生管理条例》第四十九条第一款，"
                          "决定对当事人处以罚款人民币伍佰元整（500元）。"),
            Block("seal", f"（印章）{agency}"), Block("signature", "二〇二四年三月十五日"))),
        DocSpec("inquiry_record", "询问笔录", (
            Block("title", "询问笔录"),
            Block("table", rows=(("询问时间", "2024年3月6日9时10分至9时40分"), ("询问地点", "青浦区城管执法局第二中队"),
                                 ("被询问人", "李秀英", "性别", "女"), ("询问人", "王磊、赵敏", "记录人", "赵敏"))),
            Block("para", "问：我们是青浦区城管执法局的执法人员，现依法向你询问，你应当如实回答。"),
            Block("para", "答：我知道了。"),
            Block("signature", "被询问人签名：李秀英  2024年3月6日"))),
    ]


def build_docs(n: int, seed: int):
    from corpus.generator import generate_cases

    cases = None
    for s in (seed, 1, 2, 3):  # some seeds trip the generator while it is being changed
        try:
            cases = generate_cases(max(6, n // 2), "2024-03", s)
            break
        except Exception as exc:  # noqa: BLE001
            print(f"generator seed {s} failed ({exc})", file=sys.stderr)
    if cases is None:
        print("using the built-in documents", file=sys.stderr)
        return _fallback_docs()
    by_type: dict[str, list] = {}
    for case in cases:
        for f in case.files:
            for doc in f.docs:
                by_type.setdefault(doc.doc_type, []).append(doc)
    docs, round_ = [], 0
    while len(docs) < n and any(len(v) > round_ for v in by_type.values()):
        for t in sorted(by_type):
            if len(by_type[t]) > round_ and len(docs) < n:
                docs.append(by_type[t][round_])
        round_ += 1
    return docs


def pages_part(args, engines: list[str]) -> None:
    from rapidfuzz.distance import Levenshtein

    from corpus.scan import scan_pages
    from pipeline.read.ocr import SEAL_MARK, ocr_image
    from pipeline.read.ocr.engines import engine_for

    rng = random.Random(args.seed)
    t = time.perf_counter()
    pages = []
    for doc in build_docs(args.docs, args.seed):
        for page in scan_pages([doc], rng)[: args.pages_per_doc]:
            pages.append((doc.doc_type, page))
    scan_s = time.perf_counter() - t
    types = sorted({d for d, _ in pages})
    print(f"{len(pages)} scanned pages of {len(types)} document types ({', '.join(types)}); "
          f"scanning took {scan_s / len(pages):.2f} s/page")
    print(f"dpi: {sorted(p.dpi for _, p in pages)}; turned pages: {sum(1 for _, p in pages if p.rotation)}; "
          f"threads: {os.environ.get('ANJUAN_OCR_THREADS', 'min(2, cores)')}; "
          f"load average {os.getloadavg()[0]:.1f}")
    rows = []
    for name in engines:
        t = time.perf_counter()
        engine_for(name, "")
        load_s = time.perf_counter() - t
        chars = errs = keys = hits = rot_ok = warned = 0
        skew_err = 0.0
        secs = 0.0
        misses: list[str] = []
        for doc_type, page in pages:
            t = time.perf_counter()
            result = ocr_image(page.image, engine=name)
            secs += time.perf_counter() - t
            truth, got = norm(page.text), norm(result.text.replace(SEAL_MARK, ""))
            chars += len(truth)
            errs += min(Levenshtein.distance(got, truth), len(truth))
            found = norm(result.text.replace("\t", ""))
            for key in key_values(page.text):
                keys += 1
                if key in found:
                    hits += 1
                else:
                    misses.append(key)
            rot_ok += result.rotation == page.rotation
            skew_err += abs(result.skew - page.skew)
            warned += bool(result.warnings)
            if args.show:
                print(f"--- {name} {doc_type} rot {page.rotation}/{result.rotation} "
                      f"skew {page.skew}/{result.skew} "
                      f"conf {result.confidence}\n{result.text}")
        n = len(pages)
        rows.append((name, 1 - errs / chars, hits / max(keys, 1), hits, keys, rot_ok, n, skew_err / n, warned,
                     secs / n, load_s))
        print(f"{name}: missed key values: {misses[:15]}")
    print()
    print(f"pages ({len(pages)} scanned pages, one per document):")
    print("| engine | char accuracy | key values found | rotation right | mean skew error | pages warned "
          "| s/page | model load s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, acc, kacc, hits, keys, rot_ok, n, skew, warned, sp, load_s in rows:
        print(f"| {name} | {acc:.3f} | {kacc:.3f} ({hits}/{keys}) | {rot_ok}/{n} | {skew:.2f}° | {warned} "
              f"| {sp:.1f} | {load_s:.1f} |")


def cases_part(args, engines: list[str]) -> None:
    """Per-field accuracy of whole scanned cases, and seconds per OCR page, per engine."""
    import shutil

    from _common import load_truth, make_corpus, read_extract, table

    import pipeline.read.ocr.page as ocr_mod
    from extractors.assemble import case_fields
    from extractors.evaluate import compare, evaluate
    from pipeline.read.ocr.engines import engine_for

    t = time.perf_counter()
    work = make_corpus(args.cases, args.month, args.case_seed, args.keep, scanned_fraction=1.0)
    print(f"\ncases: {args.cases} cases of {args.month}, seed {args.case_seed}, every PDF a scan "
          f"({time.perf_counter() - t:.1f} s to generate)")
    truth_all = load_truth(work)
    truth = {k: v["fields"] for k, v in truth_all.items() if v.get("scanned")}
    timed = {"s": 0.0, "pages": 0}

    def timing(fn):
        def wrapped(*a, **k):
            t0 = time.perf_counter()
            out = fn(*a, **k)
            timed["s"] += time.perf_counter() - t0
            timed["pages"] += len(out) if isinstance(out, list) else 1
            return out
        return wrapped

    summary = []
    for name in engines:
        os.environ["ANJUAN_OCR_ENGINE"] = name
        t = time.perf_counter()
        engine_for(name, "")
        load_s = time.perf_counter() - t
        timed.update(s=0.0, pages=0)
        saved = ocr_mod.ocr_pdf_page, ocr_mod.ocr_image_pages
        ocr_mod.ocr_pdf_page, ocr_mod.ocr_image_pages = timing(saved[0]), timing(saved[1])
        try:
            st = read_extract(work)
        finally:
            ocr_mod.ocr_pdf_page, ocr_mod.ocr_image_pages = saved
        pred = {c.case_id: case_fields(c) for c in st.cases if c.case_id in truth}
        res = evaluate(pred, truth)
        right: dict[str, int] = {}
        for cid in truth:
            for key, r in compare(pred.get(cid, {}), truth[cid]).items():
                right[key] = right.get(key, 0) + (r in ("tp", "tn"))
        n = len(truth)
        rows, below = [], []
        for key in sorted(res):
            acc = right.get(key, 0) / n if n else 0.0
            p, r = res[key]["precision"], res[key]["recall"]
            ok = acc >= 0.95
            below += [] if ok else [key]
            rows.append([key, f"{acc:.3f}", "-" if p is None else f"{p:.3f}", "-" if r is None else f"{r:.3f}",
                         "ok" if ok else "BELOW"])
        ocr_pages = sum(1 for ci in st.inputs for d in ci.docs for p in d.pages if p.source == "ocr")
        per_page = timed["s"] / max(timed["pages"], 1)
        print(f"\n{name}: {n} scanned cases, {ocr_pages} OCR pages, {per_page:.2f} s per OCR page "
              f"(rasterise + OCR; model load {load_s:.1f} s apart)")
        print(table(rows, ["field", "accuracy", "precision", "recall", "≥ 0.95"]))
        print(f"{name}: fields below 0.95 accuracy: {len(below)} {below}")
        summary.append((name, n, ocr_pages, min((right.get(k, 0) / n for k in res), default=0.0), len(below),
                        per_page))
    print("\n| engine | cases | OCR pages | lowest field accuracy | fields < 0.95 | s/page (2 cores) |")
    print("|---|---|---|---|---|---|")
    for name, n, pages, low, nb, sp in summary:
        print(f"| {name} | {n} | {pages} | {low:.3f} | {nb} | {sp:.2f} |")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20, help="documents for the page measurement (0: skip it)")
    ap.add_argument("--pages-per-doc", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cases", type=int, default=12, help="scanned cases for the field measurement (0: skip)")
    ap.add_argument("--case-seed", type=int, default=8080)
    ap.add_argument("--month", default="2024-06")
    ap.add_argument("--keep", type=Path, default=None, help="generate the cases here and keep them")
    ap.add_argument("--engines", default="")
    ap.add_argument("--show", action="store_true", help="print each page's OCR text")
    args = ap.parse_args()

    from pipeline.read.ocr import available_engines, ocr_threads

    engines = [e for e in args.engines.split(",") if e] or available_engines()
    print(f"engines: {', '.join(engines) or 'none installed'}; cores {os.cpu_count()}, engine threads "
          f"{ocr_threads()}; load average {os.getloadavg()[0]:.1f}")
    if args.docs:
        pages_part(args, engines)
    if args.cases:
        cases_part(args, engines)


if __name__ == "__main__":
    main()
