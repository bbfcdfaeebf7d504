"""Charts of the monthly meeting material: inline SVG for the HTML, PNG (Pillow) for the DOCX.

Every chart is a horizontal bar chart (plain or stacked), described once by a :class:`BarChart`
built from the month view (:func:`grade_chart`, :func:`defects_chart`, :func:`score_chart`) and
drawn by :func:`to_svg` or :func:`to_png` with the same layout, so the two outputs agree.

Chinese text: the SVG names a CJK font-family list and lets the browser pick one that is
installed. The PNG needs a real font file: :func:`find_cjk_font` looks for one (fontconfig on
Linux, the usual files on Windows and macOS, or the ``ANJUAN_CJK_FONT`` environment variable);
when none is found the DOCX gets tables only and :func:`font_warning` gives the coded message
(E405) naming the package to install. A chart is never drawn with boxes for missing glyphs.
"""
from __future__ import annotations

import functools
import io
import math
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from pipeline.core.errors import msg

FONT_FAMILY = ('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
               '"SimHei", sans-serif')
GRADE_COLORS = {"优秀": "#2E7D32", "良好": "#7CB342", "合格": "#F9A825", "不合格": "#C62828",
                "不评分": "#9E9E9E"}
BAR_COLOR = "#1F5FA8"

# layout (px; the PNG is drawn at SCALE × these)
WIDTH = 760
TITLE_H = 34
LEGEND_H = 24
ROW_H = 28
BAR_H = 18
AXIS_H = 26
PAD = 12
LABEL_SIZE = 12
TITLE_SIZE = 15
VALUE_SIZE = 11
LABEL_MAX = 250
SCALE = 2


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    color: str


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    stacked: bool = False
    value_max: float | None = None  # fixed axis maximum (scores: 100)
    integer: bool = True  # counts: integer ticks and labels

    @property
    def totals(self) -> tuple[float, ...]:
        return tuple(sum(s.values[i] for s in self.series) if self.stacked
                     else max((s.values[i] for s in self.series), default=0)
                     for i in range(len(self.categories)))


# --- charts from the month view -----------------------------------------------------------------

def grade_chart(view: Mapping[str, Any]) -> BarChart | None:
    """Grade distribution per squad (stacked bars)."""
    squads = [s for s in view.get("squads") or [] if s.get("cases")]
    if not squads:
        return None
    names = [g for g in ("优秀", "良好", "合格", "不合格")]
    series = [Series(g, tuple(float((s.get("grades") or {}).get(g, 0)) for s in squads), GRADE_COLORS[g])
              for g in names]
    unscored = tuple(float(s.get("unscored", 0)) for s in squads)
    if any(unscored):
        series.append(Series("不评分", unscored, GRADE_COLORS["不评分"]))
    return BarChart("grades", "各中队评查等级分布（件）", tuple(s["name"] for s in squads), tuple(series),
                    stacked=True)


def defects_chart(view: Mapping[str, Any], top: int | None = None) -> BarChart | None:
    """The most frequent defects (horizontal bars)."""
    top_defects = list(view.get("top_defects") or [])
    if top:
        top_defects = top_defects[:top]
    if not top_defects:
        return None
    cats = tuple(f"{d['check_id']} {d['title']}" for d in top_defects)
    return BarChart("defects", f"高发问题前{len(top_defects)}项（问题数）", cats,
                    (Series("问题数", tuple(float(d["count"]) for d in top_defects), BAR_COLOR),))


def score_chart(view: Mapping[str, Any]) -> BarChart | None:
    """Average score per squad (bars on a 0–100 axis)."""
    squads = [s for s in view.get("squads") or [] if s.get("average_score") is not None]
    if not squads:
        return None
    return BarChart("scores", "各中队平均得分（分）", tuple(s["name"] for s in squads),
                    (Series("平均分", tuple(float(s["average_score"]) for s in squads), BAR_COLOR),),
                    value_max=100.0, integer=False)


def month_charts(view: Mapping[str, Any]) -> list[BarChart]:
    top = int((view.get("settings") or {}).get("top_overall") or 10)
    out = [grade_chart(view), defects_chart(view, top), score_chart(view)]
    return [c for c in out if c is not None]


# --- layout ---------------------------------------------------------------------------------------

def text_width(text: str, size: float) -> float:
    """Estimated advance width: CJK and full-width characters 1 em, others 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.6 for ch in text)


def fit_label(text: str, size: float, limit: float) -> str:
    if text_width(text, size) <= limit:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > limit:
            break
        out += ch
    return out + "…"


_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000)


def _step(vmax: float) -> float:
    """The smallest "nice" tick step that covers ``vmax`` in at most 5 steps."""
    for step in _STEPS:
        if vmax <= step * 5:
            return float(step)
    return float(math.ceil(vmax / 5))


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    step = _step(v)
    return step * math.ceil(v / step - 1e-9)


def _ticks(vmax: float, integer: bool) -> list[float]:
    step = _step(vmax)
    n = int(round(vmax / step))
    if abs(n * step - vmax) > 1e-6:  # a fixed maximum that is not a multiple: five equal parts
        return [round(vmax * i / 5, 6) for i in range(6)]
    return [step * i for i in range(n + 1)]


def _fmt(v: float, integer: bool) -> str:
    if integer or float(v).is_integer():
        return str(int(round(v)))
    return f"{v:.1f}"


@dataclass(frozen=True)
class _Layout:
    height: float
    left: float
    plot_w: float
    top: float  # y of the first row
    vmax: float
    labels: tuple[str, ...]


def _layout(chart: BarChart) -> _Layout:
    labels = tuple(fit_label(c, LABEL_SIZE, LABEL_MAX) for c in chart.categories)
    left = PAD + max((text_width(t, LABEL_SIZE) for t in labels), default=40) + 10
    right = 48
    legend = LEGEND_H if len(chart.series) > 1 else 0
    top = TITLE_H + legend + 4
    height = top + ROW_H * len(labels) + AXIS_H + 6
    vmax = chart.value_max or _nice_max(max(chart.totals, default=0))
    return _Layout(height, left, WIDTH - left - right, top, vmax, labels)


def _bars(chart: BarChart, lay: _Layout) -> list[tuple[float, float, float, str, str | None, str]]:
    """(x, y, w, colour, inside label or None, series name) for every bar segment."""
    out = []
    for i in range(len(chart.categories)):
        y = lay.top + ROW_H * i + (ROW_H - BAR_H) / 2
        x = lay.left
        for s in chart.series:
            v = s.values[i]
            if v <= 0:
                continue
            w = lay.plot_w * v / lay.vmax
            fits = chart.stacked and w >= text_width(_fmt(v, True), VALUE_SIZE) + 6
            inside = _fmt(v, chart.integer) if fits else None
            out.append((x, y, w, s.color, inside, s.name))
            if chart.stacked:
                x += w
    return out


def _legend(chart: BarChart, lay: _Layout) -> list[tuple[float, float, str, str]]:
    if len(chart.series) <= 1:
        return []
    out: list[tuple[float, float, str, str]] = []
    x = lay.left
    y = TITLE_H + 2
    for s in chart.series:
        out.append((x, y, s.color, s.name))
        x += 14 + 6 + text_width(s.name, LABEL_SIZE) + 18
    return out


# --- SVG --------------------------------------------------------------------------------------

def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def to_svg(chart: BarChart) -> str:
    """The chart as an inline ``<svg>`` element (no external references, no script)."""
    lay = _layout(chart)
    h = lay.height
    p: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(chart.title)}" viewBox="0 0 {WIDTH} {_n(h)}" width="{WIDTH}" height="{_n(h)}" '
        f"font-family='{FONT_FAMILY}'>",
        f"<title>{escape(chart.title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{_n(h)}" fill="#ffffff"/>',
        f'<text x="{PAD}" y="22" font-size="{TITLE_SIZE}" font-weight="bold" fill="#222">{escape(chart.title)}</text>',
    ]
    for x, y, color, name in _legend(chart, lay):
        p.append(f'<rect x="{_n(x)}" y="{_n(y + 3)}" width="14" height="12" fill="{color}"/>')
        p.append(f'<text x="{_n(x + 20)}" y="{_n(y + 13)}" font-size="{LABEL_SIZE}" fill="#333">{escape(name)}</text>')
    axis_y = lay.top + ROW_H * len(lay.labels)
    for t in _ticks(lay.vmax, chart.integer):
        x = lay.left + lay.plot_w * t / lay.vmax
        p.append(f'<line x1="{_n(x)}" y1="{_n(lay.top)}" x2="{_n(x)}" y2="{_n(axis_y)}" '
                 'stroke="#e0e0e0" stroke-width="1"/>')
        p.append(f'<text x="{_n(x)}" y="{_n(axis_y + 16)}" font-size="{VALUE_SIZE}" fill="#555" '
                 f'text-anchor="middle">{_fmt(t, chart.integer)}</text>')
    p.append(f'<line x1="{_n(lay.left)}" y1="{_n(lay.top)}" x2="{_n(lay.left)}" y2="{_n(axis_y)}" stroke="#888"/>')
    for i, label in enumerate(lay.labels):
        cy = lay.top + ROW_H * i + ROW_H / 2
        p.append(f'<text x="{_n(lay.left - 8)}" y="{_n(cy + 4)}" font-size="{LABEL_SIZE}" fill="#222" '
                 f'text-anchor="end">{escape(label)}</text>')
    for x, y, w, color, inside, name in _bars(chart, lay):
        p.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{BAR_H}" fill="{color}">'
                 f"<title>{escape(name)}</title></rect>")
        if inside:
            p.append(f'<text x="{_n(x + w / 2)}" y="{_n(y + BAR_H / 2 + 4)}" font-size="{VALUE_SIZE}" '
                     f'fill="#fff" text-anchor="middle">{inside}</text>')
    for i, total in enumerate(chart.totals):
        if total <= 0 and chart.value_max is None:
            continue
        x = lay.left + lay.plot_w * total / lay.vmax
        cy = lay.top + ROW_H * i + ROW_H / 2
        p.append(f'<text x="{_n(x + 5)}" y="{_n(cy + 4)}" font-size="{VALUE_SIZE}" fill="#222">'
                 f"{_fmt(total, chart.integer)}</text>")
    p.append("</svg>")
    return "".join(p)


# --- fonts ------------------------------------------------------------------------------------

_CANDIDATES = (
    # Linux (Debian/Ubuntu packages fonts-noto-cjk, fonts-wqy-*)
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    # Windows
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
    # macOS
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
)


def _fc_list() -> list[tuple[str, int]]:
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh-cn", "file", "index", "family"], capture_output=True,
                             text=True, encoding="utf-8", timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        parts = line.split(":")
        path = parts[0].strip()
        index = 0
        for part in parts[1:]:
            part = part.strip()
            if part.startswith("index="):
                try:
                    index = int(part[6:])
                except ValueError:
                    index = 0
        family = line.lower()
        # prefer sans-serif Simplified-Chinese faces of regular weight
        rank = (0 if "sans" in family or "hei" in family else 1,
                0 if " sc" in family or "cn" in family or "hei" in family else 1,
                0 if "regular" in line.lower() or "style" not in line.lower() else 1, path, index)
        found.append((rank, path, index))
    found.sort()
    return [(p, i) for _, p, i in found]


def _usable(path: str, index: int) -> bool:
    """The font opens and draws two different Chinese characters differently (not two .notdef boxes)."""
    try:
        from PIL import Image, ImageDraw, ImageFont

        font = ImageFont.truetype(path, 20, index=index)

        def glyph(text: str) -> bytes:
            img = Image.new("L", (28, 28), 0)
            ImageDraw.Draw(img).text((2, 2), text, font=font, fill=255)
            return img.tobytes()

        a, b = glyph("中"), glyph("国")
        return any(a) and any(b) and a != b
    except Exception:  # noqa: BLE001 - any failure means "not usable"
        return False


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> tuple[str, int] | None:
    """(font file, face index) of a font with Chinese glyphs, or None."""
    env = os.environ.get("ANJUAN_CJK_FONT")
    cands: list[tuple[str, int]] = []
    if env:
        path, _, idx = env.partition("#")
        cands.append((path, int(idx) if idx.isdigit() else 0))
    cands += list(_CANDIDATES)
    cands += _fc_list()
    windir = os.environ.get("WINDIR")
    if windir:
        cands += [(str(Path(windir) / "Fonts" / n), 0) for n in ("msyh.ttc", "simhei.ttf", "simsun.ttc")]
    seen = set()
    for path, index in cands:
        if (path, index) in seen:
            continue
        seen.add((path, index))
        if Path(path).is_file() and _usable(path, index):
            return path, index
    return None


def font_warning() -> str | None:
    """The coded warning when the DOCX charts cannot be drawn (no CJK font), else None."""
    if find_cjk_font() is not None:
        return None
    return msg("E405")


# --- PNG --------------------------------------------------------------------------------------

def to_png(chart: BarChart, font: tuple[str, int] | None = None) -> bytes | None:
    """The chart as PNG bytes, or None when no CJK font (or Pillow) is available."""
    font = font or find_cjk_font()
    if font is None:
        return None
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        return None
    path, index = font
    s = SCALE
    lay = _layout(chart)

    def f(size: float) -> Any:
        return ImageFont.truetype(path, int(size * s), index=index)

    f_title, f_label, f_value = f(TITLE_SIZE), f(LABEL_SIZE), f(VALUE_SIZE)
    img = Image.new("RGB", (int(WIDTH * s), int(round(lay.height * s))), "white")
    d = ImageDraw.Draw(img)
    d.text((PAD * s, 16 * s), chart.title, font=f_title, fill="#222222", anchor="lm")
    for x, y, color, name in _legend(chart, lay):
        d.rectangle([x * s, (y + 3) * s, (x + 14) * s, (y + 15) * s], fill=color)
        d.text(((x + 20) * s, (y + 9) * s), name, font=f_label, fill="#333333", anchor="lm")
    axis_y = lay.top + ROW_H * len(lay.labels)
    for t in _ticks(lay.vmax, chart.integer):
        x = lay.left + lay.plot_w * t / lay.vmax
        d.line([x * s, lay.top * s, x * s, axis_y * s], fill="#e0e0e0", width=s)
        d.text((x * s, (axis_y + 12) * s), _fmt(t, chart.integer), font=f_value, fill="#555555", anchor="mm")
    d.line([lay.left * s, lay.top * s, lay.left * s, axis_y * s], fill="#888888", width=s)
    for i, label in enumerate(lay.labels):
        cy = lay.top + ROW_H * i + ROW_H / 2
        d.text(((lay.left - 8) * s, cy * s), label, font=f_label, fill="#222222", anchor="rm")
    for x, y, w, color, inside, _name in _bars(chart, lay):
        d.rectangle([x * s, y * s, (x + w) * s - 1, (y + BAR_H) * s - 1], fill=color)
        if inside:
            d.text(((x + w / 2) * s, (y + BAR_H / 2) * s), inside, font=f_value, fill="white", anchor="mm")
    for i, total in enumerate(chart.totals):
        if total <= 0 and chart.value_max is None:
            continue
        x = lay.left + lay.plot_w * total / lay.vmax
        cy = lay.top + ROW_H * i + ROW_H / 2
        d.text(((x + 5) * s, cy * s), _fmt(total, chart.integer), font=f_value, fill="#222222", anchor="lm")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def svgs(charts: Sequence[BarChart]) -> dict[str, str]:
    return {c.key: to_svg(c) for c in charts}
