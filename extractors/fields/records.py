"""Records: 现场检查（勘验）笔录, 询问笔录, 听证笔录, 陈述申辩笔录."""
from __future__ import annotations

import re
from typing import Any

from extractors.fields.clauses import (
    read_av,
    read_flag,
    read_record_body,
    read_waivers,
)
from extractors.fields.dates import (
    date_at,
    read_label_date,
    read_times,
)
from extractors.fields.labels import labels
from extractors.fields.marks import read_refusal, read_signatures
from extractors.fields.parties import (
    read_officers,
    read_place,
    read_record_party,
    read_witness,
)
from extractors.fields.registry import extracts
from extractors.fields.text import (
    Out,
    Text,
)


@extracts("records.record.v1", doc_types=("inspection_record", "inquiry_record", "hearing_record", "defence_record"),
          fields=("av_reference", "body", "defence_date", "defence_made", "doc_date", "end_time",
                  "hearing_requested", "hearing_waived", "officers", "party_address",
                  "party_id_number", "party_kind", "party_name", "party_representative",
                  "party_signed", "place", "refusal_note", "review_opinion", "start_time",
                  "statement_waived", "violation_date", "witness"))
def _x_record(t: Text, o: Out, sd: Any) -> None:
    dt = t.doc.doc_type
    read_officers(t, o)
    read_times(t, o)
    read_place(t, o)
    read_record_party(t, o)
    read_signatures(t, o, labels("party_sign"), "party_signed")
    read_refusal(t, o, sd)
    if not o.has("party_signed") and o.fields[-1].name == "refusal_note" and o.fields[-1].value:
        f = o.fields[-1]
        o.emit("party_signed", False, *o.pos(f.name), "signatures")
    read_witness(t, o)
    read_record_body(t, o)
    read_av(t, o)
    if dt == "inspection_record":
        v = t.label_value(("违法时间", "违法行为时间", "发现时间", "违法日期"))
        if v:
            d = date_at(t, *v)
            if d:
                o.emit("violation_date", d.iso, d.start, d.end, "dates", d.confidence)
        else:
            # an act date stated in the findings ("当事人于2022年3月1日…"), else the inspection date
            m = re.search(r"当事人(?:于|在)\s*", t.norm)
            d = date_at(t, m.end(), min(len(t.norm), m.end() + 20)) if m else None
            if m and d and d.start == m.end():
                o.emit("violation_date", d.iso, d.start, d.end, "dates", d.confidence)
            elif o.has("start_time"):
                f = next(f for f in o.fields if f.name == "start_time")
                o.emit("violation_date", f.value[:10], *o.pos(f.name), "dates", 0.9)
    if dt == "defence_record":
        n = t.norm
        read_waivers(t, o)
        waived = o.has("statement_waived")
        m = re.search(r"(?:陈述|申辩)(?:意见|内容|理由|如下)?\s*[:：]\s*(?P<v>[^\n]{2,})", n)
        made = m is not None and not waived and not re.match(r"\s*(无|没有|放弃)", m.group("v"))
        if m:
            o.emit("defence_made", made, m.start(), m.end(), "records")
        else:
            o.emit("defence_made", not waived and bool(re.search(r"答\s*[:：]", n)), None, None, "records")
        if o.has("start_time"):
            f = next(f for f in o.fields if f.name == "start_time")
            o.emit("defence_date", f.value[:10], *o.pos(f.name), "dates")
        else:
            read_label_date(t, o, "defence_date", ("时间", "陈述时间", "申辩时间", "日期", "陈述申辩时间"))
        v = t.label_value(("复核意见", "复核结论", "复核情况"))
        if v:
            o.emit("review_opinion", True, v[0], v[1], "records")
        else:
            read_flag(t, o, "review_opinion", r"经复核|复核认为|复核后", "records")
    else:
        read_waivers(t, o)
    if not o.has("doc_date") and o.has("start_time"):
        f = next(f for f in o.fields if f.name == "start_time")
        o.emit("doc_date", f.value[:10], *o.pos(f.name), "dates")
