"""MIS-02 duplicated record text: an inquiry or inspection record copied from another case (笔录雷同).

Blocks with a one-permutation MinHash over each text's rarest character shingles (LSH bands) and
verifies the candidates with rapidfuzz (recall is probabilistic: a copy with edits scattered all
through the text may be missed; a copy identical after normalisation never is). Shared helpers:
``checks/cross_common.py``.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz

from checks.cross_common import evidence_at, history_digests, label, month_digests, params_for, same_party_digest
from checks.registry import CheckContext, check
from pipeline.core.digest import RecordDigest
from pipeline.core.models import CaseFile, Citation, Evidence, Finding


def _all_shingles(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """(owner, hash) of the distinct character k-shingles of every text, 32-bit hashes,
    sorted by owner then hash. Deterministic and vectorised over all texts at once."""
    sep = "\x00"
    joined = sep.join(texts) + sep
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cp) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    is_sep = (cp == 0).astype(np.int64)
    csep = np.concatenate([[0], np.cumsum(is_sep)])
    valid = (csep[k:k + n] - csep[:n]) == 0  # no separator inside the window
    owner = csep[:n]  # number of separators before the window = index of its text
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * np.uint64(0x100000001B3) + cp[j:j + n] + np.uint64(j + 1)
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    key = np.sort((owner[valid].astype(np.uint64) << np.uint64(32)) | (h[valid] >> np.uint64(32)))
    key = key[np.concatenate([[True], key[1:] != key[:-1]])]  # distinct (np.unique is slower here)
    return (key >> np.uint64(32)).astype(np.int64), key & np.uint64(0xFFFFFFFF)


def _lsh_candidates(texts: Sequence[str], k: int, bins: int, rows: int, keep_fraction: float,
                    keep_min: int, min_jaccard: float = 0.0) -> list[tuple[int, int]]:
    """Pairs of texts that share a band of their one-permutation MinHash signature.

    The signature of a text is taken over its rarest shingles only (shingles found in no other
    text dropped; then the ``keep_fraction`` rarest, at least ``keep_min``, ordered by the number
    of texts holding them and then by hash, the same order for every text). Boilerplate (the
    officers' opening formula, the rights statement, a squad's template) thus does not make
    every pair of texts a candidate, while two copies keep the same rare shingles. Empty bins
    are filled from the next bin to the right (rotation densification). Candidate pairs whose
    signatures agree on fewer than ``min_jaccard`` of the bins are dropped before verification.
    """
    n_texts = len(texts)
    if n_texts < 2:
        return []
    owner, allh = _all_shingles(texts, k)
    if len(allh) == 0:
        return []
    # df: the number of texts holding each shingle (sort-based; np.unique is slower here)
    by_hash = np.argsort(allh, kind="stable")
    hs = allh[by_hash]
    starts = np.flatnonzero(np.concatenate([[True], hs[1:] != hs[:-1]]))
    sizes = np.diff(np.concatenate([starts, [len(hs)]]))
    df = np.empty(len(allh), dtype=np.int64)
    df[by_hash] = np.repeat(sizes, sizes)
    shared = df > 1
    allh, owner, df = allh[shared], owner[shared], df[shared]
    if len(allh) == 0:
        return []
    # within each text (rows are by text, then hash): rarest first, ties by hash
    by_text_df = (owner.astype(np.uint64) << np.uint64(32)) | np.minimum(df, 2**32 - 1).astype(np.uint64)
    order = np.argsort(by_text_df, kind="stable")
    allh, owner = allh[order], owner[order]
    n_per = np.bincount(owner, minlength=n_texts)
    first = np.concatenate([[0], np.cumsum(n_per)[:-1]])
    rank = np.arange(len(owner)) - first[owner]
    limit = np.maximum(np.ceil(n_per * keep_fraction).astype(np.int64), keep_min)
    keep = rank < limit[owner]
    allh, owner = allh[keep], owner[keep]
    # one-permutation MinHash: the least value in each bin
    empty = np.uint64(np.iinfo(np.uint64).max)
    cell = owner * bins + (allh % np.uint64(bins)).astype(np.int64)
    val = allh // np.uint64(bins)
    composite = np.sort((cell.astype(np.uint64) << np.uint64(32)) | val)
    cell_s = (composite >> np.uint64(32)).astype(np.int64)
    val_s = composite & np.uint64(0xFFFFFFFF)
    head = np.concatenate([[True], cell_s[1:] != cell_s[:-1]])
    flat = np.full(n_texts * bins, empty, dtype=np.uint64)
    flat[cell_s[head]] = val_s[head]
    sig = flat.reshape(n_texts, bins)
    has_any = np.zeros(n_texts, dtype=bool)
    has_any[owner] = True
    # rotation densification: an empty bin takes the next filled bin to its right (circular)
    idx = np.arange(2 * bins)
    filled = np.concatenate([sig != empty, sig != empty], axis=1)
    pos = np.where(filled, idx, 4 * bins)
    nxt = np.minimum.accumulate(pos[:, ::-1], axis=1)[:, ::-1][:, :bins]
    with np.errstate(invalid="ignore"):
        src = np.where(nxt < 4 * bins, nxt % bins, 0)
        dist = np.where(nxt < 4 * bins, nxt - idx[:bins], 0).astype(np.uint64)
    with np.errstate(over="ignore"):
        sig = np.take_along_axis(sig, src, axis=1) + dist * np.uint64(1 << 40)
    live = np.nonzero(has_any)[0]
    sig = sig[live]
    cand: set[tuple[int, int]] = set()
    with np.errstate(over="ignore"):
        for band in range(bins // rows):
            key = np.zeros(len(live), dtype=np.uint64)
            for c in range(band * rows, (band + 1) * rows):
                key = (key ^ sig[:, c]) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(c + 1)
            order = np.argsort(key, kind="stable")
            ks = key[order]
            bounds = np.nonzero(np.diff(ks))[0] + 1
            starts = np.concatenate([[0], bounds])
            ends = np.concatenate([bounds, [len(ks)]])
            multi = (ends - starts) > 1
            for a, b in zip(starts[multi].tolist(), ends[multi].tolist()):
                members = sorted(order[a:b].tolist())
                for x in range(len(members)):
                    for y in range(x + 1, len(members)):
                        cand.add((members[x], members[y]))
    if not cand:
        return []
    # keep the pairs whose signatures agree on enough bins (an estimate of their Jaccard)
    pa = np.array(sorted(cand), dtype=np.int64)
    agree = (sig[pa[:, 0]] == sig[pa[:, 1]]).mean(axis=1)
    pa = pa[agree >= min_jaccard]
    return [(int(live[a]), int(live[b])) for a, b in pa.tolist()]


@check(id="MIS-02", name="duplicated-record-text", title="笔录雷同", severity="major", stage=None,
       citation=Citation(law="中华人民共和国行政处罚法", article="第四十条", note="另见第四十六条"),
       cross=True)
def duplicated_record_text(cases: Sequence[CaseFile], ctx: CheckContext) -> Iterator[tuple[str, Finding]]:
    """Flags an inquiry or inspection record whose body is near-identical to one in another
    case with a different party.

    检查内容：询问笔录、现场检查笔录的正文在去除姓名、日期、数字、证件号、当事人地址和地点后，
    与另一案件（当事人不同，含以往月份）同类笔录的相似度 ≥ 0.90。提示“办假案”风险，须人工核实。
    法律依据：《行政处罚法》第四十条（查明事实）、第四十六条（证据须经查证属实）。
    不通过示例：两案询问笔录仅当事人姓名、日期、金额不同，其余逐字相同。
    通过示例：两案笔录内容不同；或同一当事人的两案。
    """
    spec = duplicated_record_text.spec
    p = params_for("MIS-02", ctx)
    threshold = float(p.get("similarity", 0.90)) * 100.0
    doc_types = set(p.get("doc_types") or ())
    min_chars = int(p.get("min_chars", 80))
    k = int(p.get("shingle_size", 4))
    bins = int(p.get("lsh_bins", 96))
    rows = max(1, int(p.get("lsh_rows", 6)))
    p_party = params_for("MIS-01", ctx)
    same_type = bool(p.get("same_doc_type_only", True))
    cur = month_digests(cases, ctx)
    current_ids = {d.case_id for d in cur}
    allds = cur + history_digests(ctx, current_ids)
    n_cur = len(cur)

    recs: list[tuple[int, RecordDigest]] = []
    for ci, d in enumerate(allds):
        for r in d.records:
            if r.doc_type in doc_types and len(r.body_norm) >= min_chars:
                recs.append((ci, r))
    if not recs:
        return

    # exact duplicates first (one representative per distinct text), then LSH over distinct texts
    distinct: dict[str, list[int]] = {}
    for ri, (_, r) in enumerate(recs):
        distinct.setdefault(r.body_norm, []).append(ri)
    texts = sorted(distinct)
    pairs = _lsh_candidates(texts, k, bins, rows, float(p.get("lsh_keep_fraction", 0.3)),
                            int(p.get("lsh_keep_min", 24)), float(p.get("lsh_min_jaccard", 0.3)))

    sims: dict[tuple[int, int], float] = {}
    for ti, t in enumerate(texts):
        if len(distinct[t]) > 1:
            sims[(ti, ti)] = 100.0
    for a, b in pairs:
        la, lb = len(texts[a]), len(texts[b])
        if 2 * min(la, lb) / (la + lb) * 100.0 < threshold:  # ratio cannot reach the threshold
            continue
        s = fuzz.ratio(texts[a], texts[b], score_cutoff=threshold)
        if s >= threshold:
            sims[(a, b)] = s

    hits: dict[int, list[tuple[RecordDigest, int, RecordDigest, float]]] = {}
    for (a, b), s in sorted(sims.items()):
        ra_list, rb_list = distinct[texts[a]], distinct[texts[b]]
        for x in ra_list:
            for y in rb_list:
                if a == b and x >= y:
                    continue
                ci, r1 = recs[x]
                cj, r2 = recs[y]
                if ci == cj or (ci >= n_cur and cj >= n_cur):
                    continue
                if same_type and r1.doc_type != r2.doc_type:
                    continue
                if same_party_digest(allds[ci], allds[cj], p_party):
                    continue
                if ci < n_cur:
                    hits.setdefault(ci, []).append((r1, cj, r2, s))
                if cj < n_cur:
                    hits.setdefault(cj, []).append((r2, ci, r1, s))

    for ci in sorted(hits, key=lambda c: allds[c].case_id):
        d = allds[ci]
        items = sorted(hits[ci], key=lambda h: (-h[3], allds[h[1]].case_id, h[0].doc_id, h[2].doc_id))
        ev: list[Evidence] = []
        parts: list[str] = []
        for mine, cj, theirs, s in items:
            ev.append(evidence_at(mine.doc_id, mine.page, mine.body_quote))
            ev.append(evidence_at(theirs.doc_id, theirs.page, theirs.body_quote))
            part = f"{mine.doc_id} 与 案件{label(allds[cj])} 的 {theirs.doc_id}（相似度{s / 100:.0%}）"
            if part not in parts:
                parts.append(part)
        shown = "；".join(parts[:5]) + (f" 等{len(parts)}处" if len(parts) > 5 else "")
        msg = (f"疑似雷同笔录：{shown}，在去除姓名、日期、数字、证件号和地址后正文几乎相同，"
               f"而两案当事人不同。请人工核实笔录是否如实制作。")
        yield d.case_id, spec.finding(msg, ev, related_cases=sorted({allds[h[1]].case_id for h in items}))
