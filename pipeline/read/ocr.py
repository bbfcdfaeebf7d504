"""OCR for scanned case files: images and PDF pages without a text layer → text a reviewer can trust.

Two offline engines behind one interface (nothing is downloaded at run time):

- ``rapidocr`` — RapidOCR on onnxruntime with the PP-OCR detection and recognition models that
  ship inside the ``rapidocr`` wheel (their paths are passed explicitly, so RapidOCR never
  reaches for its download code). ``pip install rapidocr onnxruntime``.
- ``tesseract`` — the ``tesseract`` program with the ``chi_sim`` language
  (``apt-get install tesseract-ocr tesseract-ocr-chi-sim``), called as a subprocess (TSV output).

Page handling, the same for both engines:

1. Decode (Pillow; EXIF orientation applied; multi-page TIFF frame by frame), scale to ≤ 200 dpi
   and drop red ink — the grey image is the red channel, so a red seal stamped over a date line
   turns pale and the black text under it stays dark (red seal *text* is dropped with it). On a
   grey scan the seal's ring is found instead (Hough circles of seal size, inked all round), the
   seal's grey ink lightened and the darker text under it kept. Either way a line
   ``［印章］（扫描件上的印章）`` notes where the seal was.
2. Orientation and skew (OpenCV): the horizontal profile of the ink is sharpest when text lines
   are level, so the angle (±5°, 0.25° then 0.05° steps, computed on the ink's coordinates) gives
   the skew for either quarter turn; the turn is where that sharpness and the share of empty
   rows between lines agree, and when they do not, two lines are read both ways. Whether the page
   is upside down is voted by RapidOCR's 0°/180° direction model over pieces of three lines
   (recognising two lines both ways when the vote is unclear, or with tesseract). Table rules are
   removed before OCR (they read as 丨 or merge cells) and the page is cropped to its ink, so the
   detector's ``DET_SIDE`` pixels cover text, not margins.
3. Reading order: recognised boxes are grouped into rows (vertical overlap), rows run top to
   bottom and boxes left to right; boxes of one row separated by a table rule or a wide gap are
   joined with a TAB, as the DOCX reader joins cells (``当事人\\t张三``). Lines of one table row
   (both cross a vertical rule, no horizontal rule between them: a cell wrapped) are joined cell
   by cell (``当事人\\t上海某某环境工程有限公司``, not a second line ``有限公司``). The width of a
   文号's brackets is kept (:func:`_bracket_width`; the recogniser writes ［］（） as ASCII).
4. Years in Chinese numerals are repaired (:func:`fix_years`: ``二○二四`` / ``二二四`` → ``二〇二四``),
   and the year brackets of a 文号 paired (:func:`pair_brackets`: ``〔2024]`` → ``〔2024〕``).
5. Checks: the number of text lines in the ink's horizontal projection against the rows found
   (E153 warning when OCR found far fewer), and a low page confidence (E154 warning).

Every line and page carries a confidence in 0..1 (RapidOCR's recogniser score; tesseract's word
confidence / 100), a page's being the character-weighted mean of its lines'.
"""
from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from pipeline.core.errors import ReadError, msg
from pipeline.core.models import InputError, Page

__all__ = ["OcrLine", "OcrPage", "ENGINES", "available_engines", "default_engine", "fix_years", "ocr_image",
           "pair_brackets",
           "ocr_image_pages", "ocr_pdf_page", "image_page_count"]

ENGINES = ("rapidocr", "tesseract")  # preference order when no engine is named (see bench/ocr_bench.py)
MAX_PIXELS = 80_000_000  # A4 at 600 dpi is 35 MP
WORK_DPI = 200  # pages scanned finer are scaled down to this before OCR
DET_SIDE = 1280  # longest side of the text detector's input, page cropped to its ink (see _det_side)
LOW_CONFIDENCE = 0.75  # page confidence below this gets an E154 warning
FULL_WIDTH_GAP = 0.45  # a blank this share of the text height beside a bracket: full-width (_bracket_width)
DROPPED_RATIO = 0.75  # fewer OCR rows than this share of the ink's text lines gets an E153 warning


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One line of the page in reading order (cells of a table row joined with TAB).

    ``box`` is (x0, y0, x1, y1) as fractions of the corrected page's width and height.
    """

    text: str
    confidence: float
    box: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class OcrPage:
    """The OCR of one page. ``text`` is the lines joined with ``\\n``; ``rotation`` is how many
    degrees clockwise the page lay turned (0/90/180/270) and ``skew`` its small tilt in degrees
    (counter-clockwise positive), both already corrected; ``warnings`` are coded messages."""

    text: str
    confidence: float
    lines: tuple[OcrLine, ...]
    engine: str
    rotation: int
    skew: float
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Box:
    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def h(self) -> float:
        return self.y1 - self.y0


# --- engines ------------------------------------------------------------------------------------

def _threads() -> int:
    raw = os.environ.get("ANJUAN_OCR_THREADS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else min(2, os.cpu_count() or 1)


def _det_side() -> int:
    """Longest side, in pixels, of the image the text detector sees (``ANJUAN_OCR_DET_SIDE``
    overrides ``DET_SIDE``; the page is cropped to its ink first, so this is the ink's extent)."""
    raw = os.environ.get("ANJUAN_OCR_DET_SIDE", "")
    return int(raw) if raw.isdigit() and 320 <= int(raw) <= 4000 else DET_SIDE


def _rapidocr_models() -> tuple[Path, Path] | None:
    """(detection, recognition) models shipped in the rapidocr wheel, or None."""
    spec = importlib.util.find_spec("rapidocr")
    if (spec is None or spec.origin is None or importlib.util.find_spec("onnxruntime") is None
            or importlib.util.find_spec("cv2") is None):
        return None
    models = Path(spec.origin).parent / "models"
    det = sorted(models.glob("*det*.onnx"))
    rec = sorted(models.glob("*rec*.onnx"))
    if not det or not rec:
        return None
    return det[-1], rec[-1]


def _rapidocr_cls_model() -> Path | None:
    """The text-direction classifier (0° / 180°) shipped in the rapidocr wheel, or None."""
    models = _rapidocr_models()
    found = sorted(models[0].parent.glob("*cls*.onnx")) if models else []
    return found[-1] if found else None


class _RapidOcr:
    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr import RapidOCR  # imported lazily: onnxruntime takes a second to load

        det, rec = _rapidocr_models()  # type: ignore[misc]
        cls = _rapidocr_cls_model()
        n = _threads()
        self.has_direction = cls is not None
        self._engine = RapidOCR(params={
            "Global.log_level": "error",
            "Global.use_cls": False,  # whole-page orientation is handled here
            "Global.max_side_len": 4000,
            "Global.min_height": 10,
            "Global.text_score": 0.3,
            "Det.model_path": str(det),
            "Det.limit_type": "max",
            "Det.limit_side_len": _det_side(),
            "Rec.model_path": str(rec),
            **({"Cls.model_path": str(cls)} if cls else {}),
            "EngineConfig.onnxruntime.intra_op_num_threads": n,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,  # line crops vary in width
        })
        self._lock = threading.Lock()

    def recognise(self, gray, dpi: int) -> list[_Box]:
        import numpy as np

        rgb = np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))
        with self._lock:
            result = self._engine(rgb, use_det=True, use_cls=False, use_rec=True)
        if result.boxes is None or result.txts is None:
            return []
        out = []
        for quad, text, score in zip(result.boxes, result.txts, result.scores):
            xs = [float(p[0]) for p in quad]
            ys = [float(p[1]) for p in quad]
            if text.strip():
                out.append(_Box(text.strip(), float(score), min(xs), min(ys), max(xs), max(ys)))
        return out

    def recognise_line(self, gray, dpi: int) -> tuple[str, float]:
        """Recognition only, for an image holding one line of text."""
        import numpy as np

        rgb = np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))
        with self._lock:
            result = self._engine(rgb, use_det=False, use_cls=False, use_rec=True)
        if not result.txts:
            return "", 0.0
        return result.txts[0].strip(), float(result.scores[0])

    def direction(self, crops) -> tuple[float, float]:
        """(upright, turned): the direction classifier's confidence summed over pieces of the
        given line images, each piece at most four line heights wide (the classifier's input
        is 48×192, so a whole line would be squeezed)."""
        import numpy as np

        upright = turned = 0.0
        for crop in crops:
            h = crop.shape[0]
            for x in range(0, crop.shape[1], 4 * h):
                piece = crop[:, x:x + 4 * h]
                if piece.shape[1] < h:
                    continue
                rgb = np.ascontiguousarray(np.repeat(piece[..., None], 3, axis=2))
                with self._lock:
                    result = self._engine(rgb, use_det=False, use_cls=True, use_rec=False)
                for label, score in getattr(result, "cls_res", None) or ():
                    if label == "180":
                        turned += float(score)
                    else:
                        upright += float(score)
        return upright, turned


def _tesseract_cmd() -> str | None:
    env = os.environ.get("ANJUAN_TESSERACT")
    if env and Path(env).is_file():
        return env
    found = shutil.which("tesseract")
    if found:
        return found
    for cand in (r"C:\Program Files\Tesseract-OCR\tesseract.exe",
                 r"C:\Program Files (x86)\Tesseract-OCR\tesseract.exe"):
        if Path(cand).is_file():
            return cand
    return None


@lru_cache(maxsize=1)
def _tesseract_has_chi_sim() -> bool:
    cmd = _tesseract_cmd()
    if cmd is None:
        return False
    try:
        out = subprocess.run([cmd, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    langs = (out.stdout + out.stderr).decode("utf-8", "replace").split()
    return "chi_sim" in langs


_ASCII_WORD = re.compile(r"[A-Za-z0-9]$")


class _Tesseract:
    name = "tesseract"

    def __init__(self) -> None:
        self._cmd = _tesseract_cmd()

    def recognise(self, gray, dpi: int) -> list[_Box]:
        return self._boxes(self._run(gray, dpi, psm=3))

    def _run(self, gray, dpi: int, psm: int):
        from PIL import Image

        buf = io.BytesIO()
        Image.fromarray(gray).save(buf, format="PNG")
        env = dict(os.environ, OMP_THREAD_LIMIT=str(_threads()))
        proc = subprocess.run(
            [self._cmd, "stdin", "stdout", "-l", "chi_sim", "--psm", str(psm), "--dpi", str(dpi),
             "-c", "preserve_interword_spaces=1", "tsv"],
            input=buf.getvalue(), capture_output=True, timeout=300, check=False, env=env)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.decode("utf-8", "replace")[-300:])
        lines: dict[tuple[str, ...], list[tuple[str, float, int, int, int, int]]] = {}
        for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
            cols = row.split("\t")
            if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
                continue
            left, top, width, height = (int(v) for v in cols[6:10])
            lines.setdefault(tuple(cols[1:5]), []).append(
                (cols[11].strip(), max(float(cols[10]), 0.0) / 100, left, top, left + width, top + height))
        return lines

    def recognise_line(self, gray, dpi: int) -> tuple[str, float]:
        """One line of text (``--psm 7``)."""
        boxes = self._boxes(self._run(gray, dpi, psm=7))
        if not boxes:
            return "", 0.0
        n = sum(len(b.text) for b in boxes)
        return "".join(b.text for b in boxes), sum(b.confidence * len(b.text) for b in boxes) / n

    @staticmethod
    def _boxes(lines) -> list[_Box]:
        """One box per run of words: a tesseract line that spans table cells is cut where two
        words are further apart than half the line height (the reading order joins them again)."""
        runs = []
        for words in lines.values():
            h = max(w[5] for w in words) - min(w[3] for w in words)
            run = [words[0]]
            for prev, word in zip(words, words[1:]):
                if word[2] - prev[4] > 0.5 * h:
                    runs.append(run)
                    run = []
                run.append(word)
            runs.append(run)
        out = []
        for words in runs:
            text = ""
            for word, *_ in words:
                if text and _ASCII_WORD.search(text) and _ASCII_WORD.match(word):
                    text += " "
                text += word
            n = sum(len(w[0]) for w in words)
            conf = sum(w[1] * len(w[0]) for w in words) / n
            out.append(_Box(text, conf, min(w[2] for w in words), min(w[3] for w in words),
                            max(w[4] for w in words), max(w[5] for w in words)))
        return out


_INSTANCES: dict[str, object] = {}
_INSTANCE_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def available_engines() -> list[str]:
    """The OCR engines installed here, in preference order (``ENGINES``)."""
    found = []
    for name in ENGINES:
        if name == "rapidocr" and _rapidocr_models() is not None:
            found.append(name)
        elif name == "tesseract" and _tesseract_has_chi_sim() and importlib.util.find_spec("cv2") is not None:
            found.append(name)
    return found


def default_engine() -> str | None:
    """``ANJUAN_OCR_ENGINE`` when set and installed, else the first available engine."""
    engines = available_engines()
    wanted = os.environ.get("ANJUAN_OCR_ENGINE", "").strip().lower()
    if wanted in engines:
        return wanted
    return engines[0] if engines else None


def _engine(name: str | None, path: str):
    engines = available_engines()
    if not engines:
        raise ReadError("E150", path)
    name = name or default_engine()
    if name not in engines:
        raise ReadError("E151", path, engine=name, known="、".join(engines))
    with _INSTANCE_LOCK:
        if name not in _INSTANCES:
            _INSTANCES[name] = _RapidOcr() if name == "rapidocr" else _Tesseract()
        return _INSTANCES[name]


# --- image helpers (numpy) ----------------------------------------------------------------------

def _otsu(gray) -> int:
    import numpy as np

    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    omega = np.cumsum(hist) / total
    mu = np.cumsum(hist * np.arange(256)) / total
    mu_t = mu[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma_b = (mu_t * omega - mu) ** 2 / (omega * (1 - omega))
    sigma_b = np.nan_to_num(sigma_b)
    return int(np.argmax(sigma_b))


def _ink(gray):
    """Boolean ink mask: darker than Otsu's threshold (and than mid-grey on a blank page)."""
    import numpy as np

    t = _otsu(gray)
    return gray < min(t, 200) if np.any(gray < 128) else np.zeros_like(gray, dtype=bool)


def _cv2():
    import cv2  # opencv-python-headless: part of the ``ocr`` extra (RapidOCR needs it too)

    return cv2


def _rules(ink, dpi: int):
    """(horizontal, vertical) masks of table rules: straight ink runs ≥ 12 mm (a morphological
    opening with a 1×k line)."""
    import numpy as np

    cv2 = _cv2()
    k = max(int(dpi * 12 / 25.4), 20)
    img = ink.astype(np.uint8)
    h = cv2.morphologyEx(img, cv2.MORPH_OPEN, np.ones((1, k), np.uint8)) if img.shape[1] >= k else 0 * img
    v = cv2.morphologyEx(img, cv2.MORPH_OPEN, np.ones((k, 1), np.uint8)) if img.shape[0] >= k else 0 * img
    return h.astype(bool), v.astype(bool)


def _profile_scores(ys, xs, angles) -> list[float]:
    """Sharpness of the horizontal ink profile after turning the ink points by each angle (degrees,
    counter-clockwise): the sum of squared differences of neighbouring rows' ink counts."""
    import numpy as np

    out = []
    for angle in angles:
        a = np.deg2rad(angle)
        rows = np.floor(ys * np.cos(a) - xs * np.sin(a) + 0.5).astype(np.int64)
        hist = np.bincount(rows - rows.min()).astype(np.float64)
        out.append(float(np.sum(np.diff(hist) ** 2)))
    return out


def _orientations(gray, dpi: int) -> list[tuple[int, float]]:
    """Candidate (base, skew) pairs, best first: base 0 or 90 is the CCW quarter turn that makes
    the text lines horizontal, skew the small tilt in degrees (CCW positive). One candidate when
    the page is clear, both bases when it is not (the caller reads a few lines to decide).

    Works on the ink's coordinates at ≤ 100 dpi (table rules removed): each angle tried is one
    rotation of the points and one histogram, no image is turned. For each base the skew is where
    the horizontal ink profile is sharpest (sum of squared differences); between the bases two
    measures vote — that sharpness, and the share of empty rows between the first and the last
    line (gaps between lines are wide, those between the characters of a column thin or
    missing). A single line or a sparse form with wide cell gaps can split the vote."""
    import numpy as np

    cv2 = _cv2()
    scale = min(1.0, 100 / dpi, 1400 / max(gray.shape))
    small = gray
    if scale < 1.0:
        small = cv2.resize(gray, (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale))),
                           interpolation=cv2.INTER_AREA)
    ink = _ink(small)
    h_rule, v_rule = _rules(ink, max(int(dpi * scale), 30))
    ink &= ~(h_rule | v_rule)
    ys, xs = np.nonzero(ink)
    if ys.size < 50:
        return [(0, 0.0)]
    ys = (ys - ink.shape[0] // 2).astype(np.float64)  # integer centre: at 0° every point sits on a row
    xs = (xs - ink.shape[1] // 2).astype(np.float64)
    found = []
    for base, (py, px) in ((0, (ys, xs)), (90, (-xs, ys))):  # base 90: the page turned 90° CCW
        coarse = np.arange(-5.0, 5.001, 0.25)
        c = coarse[int(np.argmax(_profile_scores(py, px, coarse)))]
        fine = np.arange(c - 0.2, c + 0.201, 0.05)
        scores = _profile_scores(py, px, fine)
        i = int(np.argmax(scores))
        angle = round(float(fine[i]), 1) + 0.0  # + 0.0: no -0.0
        found.append((_blank_share(py, px, angle), scores[i], base, angle))
    (blank0, sharp0, *first), (blank1, sharp1, *second) = found
    by_blank = [first, second] if blank0 >= blank1 else [second, first]
    by_sharp = [first, second] if sharp0 >= sharp1 else [second, first]
    if by_blank[0] == by_sharp[0]:
        return [tuple(by_blank[0])]
    return [tuple(c) for c in by_blank]


def _blank_share(ys, xs, angle: float) -> float:
    """Share of the rows between the first and the last ink row that hold (almost) no ink."""
    import numpy as np

    a = np.deg2rad(angle)
    rows = np.floor(ys * np.cos(a) - xs * np.sin(a) + 0.5).astype(np.int64)
    hist = np.bincount(rows - rows.min())
    return float((hist <= max(1, 0.02 * hist.max())).mean())


def _rotate(gray, base: int, angle: float):
    """Turn ``gray`` ``base`` degrees CCW (multiple of 90) and then ``angle`` degrees CCW (the
    canvas grows so no corner is cut; new area is white)."""
    import numpy as np

    cv2 = _cv2()
    img = np.rot90(gray, (base % 360) // 90) if base % 360 else gray
    if abs(angle) < 0.05:
        return np.ascontiguousarray(img)
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(round(h * sin + w * cos)), int(round(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(np.ascontiguousarray(img), m, (nw, nh), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _text_rows(ink, min_px: int) -> list[tuple[int, int]]:
    """Text lines of a level page from the horizontal projection of its ink: (top, bottom) rows."""
    counts = ink.sum(axis=1)
    on = counts > max(2, ink.shape[1] * 0.002)
    runs: list[list[int]] = []
    start = None
    for y, v in enumerate(on):
        if v and start is None:
            start = y
        elif not v and start is not None:
            runs.append([start, y])
            start = None
    if start is not None:
        runs.append([start, len(on)])
    merged: list[list[int]] = []
    for run in runs:  # a gap of a few pixels inside one line (e.g. 二 or 三) is not a line break
        if merged and run[0] - merged[-1][1] <= max(1, min_px // 4):
            merged[-1][1] = run[1]
        else:
            merged.append(run)
    return [(a, b) for a, b in merged if b - a >= min_px]


def _clean(gray, dpi: int):
    """The page with table rules painted white, the vertical-rule mask (for TAB joins), the ink
    without the rules and the horizontal-rule mask (table rows)."""
    ink = _ink(gray)
    h_rule, v_rule = _rules(ink, dpi)
    rules = h_rule | v_rule
    if not rules.any():
        return gray, v_rule, ink, h_rule
    # widen the rules by a pixel or two: anti-aliased edges would read as strokes
    import numpy as np

    cv2 = _cv2()
    grow = max(1, dpi // 150)
    cross = cv2.getStructuringElement(cv2.MORPH_CROSS, (2 * grow + 1, 2 * grow + 1))
    wide = cv2.dilate(rules.astype(np.uint8), cross).astype(bool)
    out = gray.copy()
    out[wide] = 255
    return out, v_rule, ink & ~wide, h_rule


# --- reading order ------------------------------------------------------------------------------

def _rows(boxes: Sequence[_Box]) -> list[list[_Box]]:
    rows: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: ((b.y0 + b.y1) / 2, b.x0)):
        placed = False
        if rows:
            row = rows[-1]
            top = sorted(b.y0 for b in row)[len(row) // 2]
            bottom = sorted(b.y1 for b in row)[len(row) // 2]
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap >= 0.5 * min(bottom - top, box.h):
                row.append(box)
                placed = True
        if not placed:
            rows.append([box])
    return [sorted(r, key=lambda b: b.x0) for r in rows]


def _rule_between(v_rule, a: _Box, b: _Box) -> bool:
    """A vertical table rule lies between the end of ``a`` and the first character of ``b``."""
    if v_rule is None:
        return False
    y0, y1 = int(max(a.y0, b.y0)), int(min(a.y1, b.y1))
    if y1 <= y0:
        y0, y1 = int(a.y0), int(a.y1)
    h = min(a.h, b.h)
    x0, x1 = int(min(a.x1, b.x0) - h * 0.3), int(b.x0 + h * 0.5) + 1
    band = v_rule[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)]
    return bool(band.size) and bool(band.any(axis=0).any())


_FULL_WIDTH = str.maketrans("[]()", "［］（）")
_SPACED_PAIR = re.compile(r"( ?)([\[(])([^\[\]()\s]{1,30})([\])])( ?)")


def _spaced_brackets(text: str) -> str:
    """``字 [2024] 第`` → ``字［2024］第``: the recogniser writes the blank half of a full-width
    bracket as a space beside an ASCII one; a pair with such a space becomes full-width."""
    def fix(m: re.Match) -> str:
        if not (m.group(1) or m.group(5)):
            return m.group(0)
        return (m.group(2) + m.group(3) + m.group(4)).translate(_FULL_WIDTH)
    return _SPACED_PAIR.sub(fix, text)


_ASCII_YEAR_PAIR = re.compile(r"[\[(]\d{4}[\])]")


def _bracket_width(gray, box: _Box) -> _Box:
    """A box read with an ASCII bracket pair around a year (``字[2024]第``) whose line image has
    two blank gaps of at least ``FULL_WIDTH_GAP`` of the text height: the brackets were
    full-width (their blank halves make those gaps; ASCII brackets sit close to their
    neighbours), so ``［2024］`` / ``（2024）`` is returned."""
    import numpy as np

    if len(_ASCII_YEAR_PAIR.findall(box.text)) != 1:
        return box
    crop = gray[max(int(box.y0), 0):int(box.y1) + 1, max(int(box.x0), 0):int(box.x1) + 1]
    if crop.size == 0:
        return box
    ink = _ink(crop)
    rows = np.flatnonzero(ink.sum(axis=1) > 1)
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0 or cols.size < 2:
        return box
    height = rows[-1] - rows[0] + 1
    blank = ~ink[:, cols[0]:cols[-1] + 1].any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], blank.astype(np.int8), [0]])))
    widths = edges[1::2] - edges[0::2]
    if int((widths >= FULL_WIDTH_GAP * height).sum()) < 2:
        return box
    text = _ASCII_YEAR_PAIR.sub(lambda m: m.group(0).translate(_FULL_WIDTH), box.text)
    return _Box(text, box.confidence, box.x0, box.y0, box.x1, box.y1)


def _join_row(row: Sequence[_Box], v_rule) -> str:
    """The row's boxes left to right: a TAB where a table rule or a wide gap parts two boxes, a
    space between two Latin words, nothing otherwise.

    The recogniser writes full-width brackets ［］（） as ASCII ones; but the blank half of a
    full-width bracket makes the detector cut the line there, while an ASCII bracket stays inside
    its box. So a box that begins with an ASCII bracket right after its neighbour, or ends with
    one right before the next, had full-width brackets (``字［2024］第`` read as ``字`` ``[2024]``
    ``第``, or as ``字 [2024] 第`` in one box): its brackets are made full-width."""
    h = sorted(b.h for b in row)[len(row) // 2]
    tabs = [_rule_between(v_rule, prev, box) or box.x0 - prev.x1 > 1.0 * h for prev, box in zip(row, row[1:])]
    texts = [_spaced_brackets(b.text) for b in row]
    for i, t in enumerate(texts):
        left = i > 0 and not tabs[i - 1] and t[:1] in "[("
        right = i < len(row) - 1 and not tabs[i] and t[-1:] in ")]"
        if left or right:
            texts[i] = t.translate(_FULL_WIDTH)
    text = texts[0]
    for i, (prev, box) in enumerate(zip(row, row[1:])):
        gap = box.x0 - prev.x1
        if tabs[i]:
            text += "\t"
        elif gap > 0.3 * h and _ASCII_WORD.search(prev.text) and _ASCII_WORD.match(box.text):
            text += " "
        text += texts[i + 1]
    return text


_ZERO_LIKE = "〇○OoＯ0０零"
_CN_DIGIT = "一二三四五六七八九" + _ZERO_LIKE
_CN_YEAR = re.compile(f"(?<![{_CN_DIGIT}十])([一二][{_CN_DIGIT}]{{3}})(?=年)")
_CN_YEAR_SHORT = re.compile(f"(?<![{_CN_DIGIT}十])二二([一二三四五六七八九〇])(?=年)")


def fix_years(text: str) -> str:
    """Repair years written in Chinese numerals the way OCR misreads them: the zero read as ○, O
    or 0 (``二○二四年`` → ``二〇二四年``) or dropped (``二二四年`` → ``二〇二四年``; a three-numeral
    year does not occur in a case file)."""
    text = _CN_YEAR_SHORT.sub(lambda m: "二〇二" + m.group(1), text)
    return _CN_YEAR.sub(lambda m: "".join("〇" if ch in _ZERO_LIKE else ch for ch in m.group(1)), text)


_PAIRS = {"〔": "〕", "［": "］", "[": "]", "(": ")", "（": "）", "【": "】", "﹝": "﹞"}
BRACKETS = "".join(_PAIRS) + "".join(_PAIRS.values()) + "「」"  # what OCR may read a 文号's brackets as
_YEAR_IN_BRACKETS = re.compile(
    f"([{re.escape(''.join(_PAIRS))}])(\\s*\\d{{4}}\\s*)([{re.escape(''.join(_PAIRS.values()) + '」')}])")


def pair_brackets(text: str) -> str:
    """Mend the year brackets of a 文号 whose closing bracket does not match the opening one —
    OCR reads the closing 〕 as ] or 」 (``〔2024]`` → ``〔2024〕``); matched pairs stay."""
    return _YEAR_IN_BRACKETS.sub(lambda m: m.group(1) + m.group(2) + _PAIRS[m.group(1)], text)


MAX_CELL_LINES = 4  # a table row whose cells wrap onto more lines than this is not joined


def _in_table(rule, y0: float, y1: float) -> bool:
    return rule is not None and bool(rule[max(int(y0), 0):max(int(y1), 0)].any())


def _table_blocks(rows: list[list[_Box]], h_rule, v_rule) -> list[list[list[_Box]]]:
    """Consecutive rows of one table row (a cell wrapped onto a second line: both rows cross a
    vertical rule and no horizontal rule lies between them) grouped together; other rows alone."""
    blocks: list[list[list[_Box]]] = []
    for row in rows:
        if blocks and h_rule is not None and len(blocks[-1]) < MAX_CELL_LINES:
            prev = blocks[-1][-1]
            # from the middle of one line to the middle of the next (boxes are padded and may
            # reach over a rule)
            a = int(sum((x.y0 + x.y1) / 2 for x in prev) / len(prev))
            b = int(sum((x.y0 + x.y1) / 2 for x in row) / len(row)) + 1
            if (_in_table(v_rule, min(x.y0 for x in prev), max(x.y1 for x in prev))
                    and _in_table(v_rule, min(x.y0 for x in row), max(x.y1 for x in row))
                    and not h_rule[max(a, 0):max(b, 0)].any()):
                blocks[-1].append(row)
                continue
        blocks.append([row])
    return blocks


def _block_text(block: list[list[_Box]], v_rule) -> str:
    """One table row whose cells wrap: each cell's lines joined, the cells joined with TAB."""
    import numpy as np

    y0, y1 = int(min(b.y0 for r in block for b in r)), int(max(b.y1 for r in block for b in r)) + 1
    band = v_rule[max(y0, 0):y1]
    cols = np.flatnonzero(band.sum(axis=0) >= 0.5 * band.shape[0])
    rules = [int(c) for i, c in enumerate(cols) if i == 0 or c - cols[i - 1] > 2]
    cells: dict[int, list[str]] = {}
    for row in block:
        parts: dict[int, list[_Box]] = {}
        for box in row:
            parts.setdefault(sum(1 for x in rules if x < (box.x0 + box.x1) / 2), []).append(box)
        for idx, boxes in parts.items():
            cells.setdefault(idx, []).append(_join_row(boxes, None))
    return "\t".join("".join(cells[i]) for i in sorted(cells))


def _lines(rows: list[list[_Box]], v_rule, width: int, height: int, h_rule) -> list[OcrLine]:
    """The page's lines from its rows of boxes (:func:`_rows`), wrapped table cells joined."""
    out = []
    for block in _table_blocks(rows, h_rule, v_rule):
        row = [b for r in block for b in r]
        text = _join_row(block[0], v_rule) if len(block) == 1 else _block_text(block, v_rule)
        text = pair_brackets(fix_years(text))
        n = sum(len(b.text) for b in row)
        conf = sum(b.confidence * len(b.text) for b in row) / n if n else 0.0
        box = (min(b.x0 for b in row) / width, min(b.y0 for b in row) / height,
               max(b.x1 for b in row) / width, max(b.y1 for b in row) / height)
        out.append(OcrLine(text, round(conf, 4), tuple(round(max(0.0, min(1.0, v)), 4) for v in box)))
    return out


# --- the page pipeline --------------------------------------------------------------------------

def _score(boxes: Sequence[_Box]) -> float:
    return sum(b.confidence * len(b.text) for b in boxes)


def _line_crops(gray, ink, rows: Sequence[tuple[int, int]], dpi: int, n: int):
    """Crops of the ``n`` inkiest text lines (the ink's horizontal extent, a small margin)."""
    import numpy as np

    ranked = sorted(rows, key=lambda r: -int(ink[r[0]:r[1]].sum()))[:n]
    pad = max(3, dpi // 40)
    crops = []
    for a, b in sorted(ranked):
        cols = np.flatnonzero(ink[a:b].any(axis=0))
        if cols.size == 0:
            continue
        crops.append(np.ascontiguousarray(gray[max(a - pad, 0):b + pad,
                                               max(int(cols[0]) - pad, 0):int(cols[-1]) + pad + 1]))
    return crops


def _upside_down(engine, gray, ink, rows: Sequence[tuple[int, int]], dpi: int) -> bool:
    """Is the (level) page upside down? The engine's direction classifier votes over pieces of
    the three inkiest lines; when it has none or its vote is not clear, two lines are recognised
    as they are and turned 180° and the reading with clearly more confidence wins."""
    if getattr(engine, "has_direction", False):
        upright, turned = engine.direction(_line_crops(gray, ink, rows, dpi, 3))
        if turned > 2 * upright + 1.0:
            return True
        if upright > 2 * turned + 1.0:
            return False
    crops = _line_crops(gray, ink, rows, dpi, 2)
    upright = _read_score(engine, crops, dpi)
    turned = _read_score(engine, [c[::-1, ::-1].copy() for c in crops], dpi)
    return turned > upright * 1.15 + 1.0


def _read_score(engine, crops, dpi: int) -> float:
    """Confidence-weighted number of characters recognised in the line images ``crops``."""
    score = 0.0
    for crop in crops:
        text, conf = engine.recognise_line(crop, dpi)
        score += conf * len(text)
    return score


@dataclass(frozen=True)
class _Level:
    """A page turned level: ``base``/``skew`` as found, ``turned`` when it then lay upside down
    (already undone in the arrays), the rule-free page, its vertical-rule and ink masks, and the
    text rows of its ink."""

    base: int
    skew: float
    turned: bool
    clean: object
    v_rule: object
    ink: object
    rows: list
    h_rule: object


def _level(eng, gray, dpi: int, base: int, skew: float) -> _Level:
    import numpy as np

    level = _rotate(gray, base, skew)
    clean, v_rule, ink, h_rule = _clean(level, dpi)
    min_px = max(3, round(dpi * 2.2 / 25.4))  # a text line is ≥ 2.2 mm tall (about 7 pt)
    rows = _text_rows(ink, min_px)
    turned = _upside_down(eng, clean, ink, rows, dpi)
    if turned:
        h = level.shape[0]
        return _Level(base, skew, True, np.ascontiguousarray(clean[::-1, ::-1]), v_rule[::-1, ::-1],
                      ink[::-1, ::-1], [(h - b, h - a) for a, b in reversed(rows)], h_rule[::-1, ::-1])
    return _Level(base, skew, False, clean, v_rule, ink, rows, h_rule)


def _reading_score(eng, lv: _Level, dpi: int) -> float:
    """Confidence-weighted characters read from the page's two inkiest lines."""
    return _read_score(eng, _line_crops(lv.clean, lv.ink, lv.rows, dpi, 2), dpi)


def _ink_box(ink, pad: int) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the page's ink plus ``pad`` pixels; rows and columns with only
    a speck or two of ink (scanner noise) do not count. The whole page when there is no ink."""
    import numpy as np

    h, w = ink.shape
    rows = np.flatnonzero(ink.sum(axis=1) > max(2, w * 0.002))
    cols = np.flatnonzero(ink.sum(axis=0) > max(2, h * 0.002))
    if rows.size == 0 or cols.size == 0:
        return 0, h, 0, w
    return (max(int(rows[0]) - pad, 0), min(int(rows[-1]) + pad + 1, h),
            max(int(cols[0]) - pad, 0), min(int(cols[-1]) + pad + 1, w))


def _split_at_rules(engine, gray, v_rule, boxes: Sequence[_Box], dpi: int) -> list[_Box]:
    """A box that runs across a vertical table rule (the detector merged two cells) is cut at the
    rule and each part recognised again, so label and value end up in separate cells."""
    import numpy as np

    if v_rule is None or not v_rule.any():
        return list(boxes)
    out: list[_Box] = []
    for box in boxes:
        y0, y1 = int(box.y0 + box.h * 0.3), int(box.y1 - box.h * 0.3)
        x0, x1 = int(box.x0) + 2, int(box.x1) - 2
        if y1 <= y0 or x1 <= x0:
            out.append(box)
            continue
        cols = np.flatnonzero(v_rule[max(y0, 0):y1, max(x0, 0):x1].all(axis=0)) + max(x0, 0)
        if cols.size == 0:
            out.append(box)
            continue
        cuts, last = [], -10
        for c in cols.tolist():
            if c - last > 2:
                cuts.append(c)
            last = c
        edges = [int(box.x0)] + cuts + [int(box.x1) + 1]
        for a, b in zip(edges, edges[1:]):
            a2, b2 = a + (2 if a != edges[0] else 0), b - (2 if b != edges[-1] else 0)
            if b2 - a2 < box.h * 0.5:
                continue
            crop = np.ascontiguousarray(gray[max(int(box.y0), 0):int(box.y1) + 1, max(a2, 0):b2])
            text, conf = engine.recognise_line(crop, dpi)
            if text:
                out.append(_Box(text, conf, float(a2), box.y0, float(b2), box.y1))
    return out


_COLOUR_MODES = ("RGB", "RGBA", "P", "CMYK", "YCbCr", "LA", "PA")


def _page_arrays(img, dpi: int):
    """(grey page, red mask or None, dpi) — the page scaled down to ``WORK_DPI`` when scanned finer.

    The grey page drops red ink: it is the red channel, pushed further towards white where red
    dominates, so a seal stamped over a date line turns pale and the black text under it stays
    dark. The mask locates the seal: its saturated red pixels, or, on a page with no red (a grey
    scan, also when a PDF renders it in colour), the disk of a seal ring found by
    :func:`_grey_seal`, whose grey ink is then lightened (:func:`_lighten_seal`)."""
    import numpy as np

    cv2 = _cv2()

    def fit(arr):
        if dpi <= WORK_DPI * 1.15:
            return arr
        f = WORK_DPI / dpi
        return cv2.resize(arr, (round(arr.shape[1] * f), round(arr.shape[0] * f)), interpolation=cv2.INTER_AREA)

    if img.mode in _COLOUR_MODES:
        rgb = fit(np.asarray(img.convert("RGB"))).astype(np.int16)
        r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
        gray = np.clip(r + np.maximum(r - (g + b) // 2, 0), 0, 255).astype(np.uint8)
        red = (r > 140) & (r - np.maximum(g, b) > 60)
        if red.sum() < 0.001 * red.size:  # no red seal: a grey page in colour (a PDF renders so)
            red = None
    else:
        if img.mode.startswith("I"):  # 16-bit grey TIFF
            arr = np.asarray(img, dtype=np.float64)
            gray = (arr / (arr.max() or 1.0) * 255).astype(np.uint8)
        else:
            gray = np.asarray(img.convert("L"))
        gray, red = np.ascontiguousarray(fit(gray)), None
    work_dpi = min(dpi, WORK_DPI) if dpi > WORK_DPI * 1.15 else dpi
    seal = _grey_seal(gray, work_dpi) if red is None else None
    if seal is not None:  # a seal on a grey page: its place as the mask, its ring lightened
        cx, cy, rad = seal
        yy, xx = np.ogrid[:gray.shape[0], :gray.shape[1]]
        red = (yy - cy) ** 2 + (xx - cx) ** 2 <= (rad * 1.1) ** 2
        gray = _lighten_seal(gray, red, cx, cy, rad)
    return gray, red, work_dpi


SEAL_RADIUS_MM = (14, 26)  # an official seal is 38–45 mm across; smaller rings are not looked for
SEAL_CUT = 0.2  # see _lighten_seal: only ink close to the ring's grey is whitened inside the disk
SEAL_RING_COVERAGE = 0.7  # share of the circle that must be inked for a ring to count as a seal


def _ring_samples(gray, cx: float, cy: float, r: float, n: int = 360):
    """Grey values on the circle (and one pixel either side), darkest of the three per angle."""
    import numpy as np

    ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
    vals = []
    for dr in (-1.0, 0.0, 1.0):
        xs = np.clip(np.rint(cx + (r + dr) * np.cos(ang)).astype(int), 0, gray.shape[1] - 1)
        ys = np.clip(np.rint(cy + (r + dr) * np.sin(ang)).astype(int), 0, gray.shape[0] - 1)
        vals.append(gray[ys, xs])
    return np.min(vals, axis=0)


def _grey_seal(gray, dpi: int) -> tuple[float, float, float] | None:
    """(centre x, centre y, radius) in pixels of a seal's ring on a grey page, or None.

    A grey scan keeps no red to tell a seal by, so its outer ring is looked for: circles of seal
    size (Hough transform at 50 dpi) whose circumference is inked almost all round — text lines
    crossing a circle ink only parts of it."""
    import numpy as np

    cv2 = _cv2()
    f = min(1.0, 50 / dpi)
    small = cv2.resize(gray, (max(1, round(gray.shape[1] * f)), max(1, round(gray.shape[0] * f))),
                       interpolation=cv2.INTER_AREA) if f < 1.0 else gray
    mm = dpi * f / 25.4
    found = cv2.HoughCircles(cv2.GaussianBlur(small, (3, 3), 0), cv2.HOUGH_GRADIENT, dp=1, minDist=30 * mm,
                             param1=100, param2=20, minRadius=int(SEAL_RADIUS_MM[0] * mm),
                             maxRadius=int(SEAL_RADIUS_MM[1] * mm))
    if found is None:
        return None
    best = None
    for x, y, r in found[0][:5]:
        coverage = float((_ring_samples(small, x, y, r) < 200).mean())
        if coverage >= SEAL_RING_COVERAGE and (best is None or coverage > best[0]):
            best = (coverage, float(x) / f, float(y) / f, float(r) / f)
    return best[1:] if best else None


def _lighten_seal(gray, disk, cx: float, cy: float, r: float):
    """Whiten the seal's grey ink inside its disk, keeping the darker text under it.

    The ring's grey (the seal's ink) and the text's (the page's darkest ink) are measured; pixels
    of the disk lighter than ``SEAL_CUT`` of the way from the ring's grey to the text's become
    white, and so does the ring's band (found from the radial ink profile) wherever it is lighter
    than the text's grey — the ring is as dark as light text in places, and a ring fragment left
    next to a character is read as a stroke. A seal as dark as the text (a black-and-white copy)
    is left as it is."""
    import numpy as np

    ring = _ring_samples(gray, cx, cy, r * 0.97)
    ring_level = float(np.median(ring[ring < 200])) if (ring < 200).any() else 255.0
    outside = gray[~disk]
    dark = outside[outside < 128]
    text_level = float(np.percentile(dark, 10)) if dark.size else 0.0
    if ring_level - text_level < 40:
        return gray
    out = gray.copy()
    out[disk & (gray > ring_level - SEAL_CUT * (ring_level - text_level))] = 255
    # the ring's band: radii around r where the mean grey over the circle is well below paper
    offsets = np.arange(-int(r * 0.12), int(r * 0.12) + 1)
    means = np.array([float(np.mean(_ring_samples(gray, cx, cy, r + d, n=180))) for d in offsets])
    paper = float(np.median(gray[~disk]))
    inked = offsets[means < (paper + means.min()) / 2]
    if inked.size:
        lo, hi = r + inked.min() - 1, r + inked.max() + 1
        yy, xx = np.ogrid[:gray.shape[0], :gray.shape[1]]
        d2 = (yy - cy) ** 2 + (xx - cx) ** 2
        band = (d2 >= lo * lo) & (d2 <= hi * hi)
        ring_dark = float(np.percentile(ring, 10))  # the ring's own darkest ink (text crossing it is rarer)
        out[band & (gray > (text_level + ring_dark) / 2)] = 255
    return out


SEAL_MARK = "［印章］（扫描件上的印章）"


def red_stamp_box(red, dpi: int) -> tuple[float, float, float, float] | None:
    """Box (fractions of the page) of a red seal, from the page's red-ink mask, or None.

    OCR drops the seal with its red ink, so its presence is noted here: enough saturated red
    pixels (≥ 0.1 % of the page) spread over at least 20 mm, as an agency seal (≈ 40 mm) is.
    """
    import numpy as np

    if red is None:
        return None
    count = int(red.sum())
    if count < 0.001 * red.size:
        return None
    ys, xs = np.nonzero(red)
    # the central 90 % of the red pixels (a few stray red specks do not stretch the box)
    x0, x1 = np.percentile(xs, [5, 95])
    y0, y1 = np.percentile(ys, [5, 95])
    min_px = dpi * 20 / 25.4
    if x1 - x0 < min_px or y1 - y0 < min_px:
        return None
    h, w = red.shape
    return (float(x0 / w), float(y0 / h), float(x1 / w), float(y1 / h))


def _ocr_pil(img, *, engine: str | None, dpi: int | None, path: str, page: int) -> OcrPage:
    import numpy as np

    eng = _engine(engine, path)
    if img.width * img.height > MAX_PIXELS:
        raise ReadError("E152", path, detail=f"{img.width}×{img.height} 像素")
    gray, red, src_dpi = _page_arrays(img, dpi or _image_dpi(img))
    levels = [_level(eng, gray, src_dpi, base, skew) for base, skew in _orientations(gray, src_dpi)]
    lv = levels[0] if len(levels) == 1 else max(levels, key=lambda v: _reading_score(eng, v, src_dpi))
    base, skew, turned, clean, v_rule, ink, ink_rows = (lv.base, lv.skew, lv.turned, lv.clean, lv.v_rule,
                                                        lv.ink, lv.rows)
    seal_box = None
    if red is not None:  # the seal's place on the levelled page (_page_arrays keeps only a seal's mask)
        seal_red = _rotate((red[::4, ::4] * 255).astype(np.uint8) ^ 255, base + (180 if turned else 0), skew) < 128
        seal_box = red_stamp_box(seal_red, src_dpi / 4)
    y0, y1, x0, x1 = _ink_box(ink, pad=round(src_dpi * 5 / 25.4))
    part, part_rule = clean[y0:y1, x0:x1], v_rule[y0:y1, x0:x1]
    boxes = [_Box(b.text, b.confidence, b.x0 + x0, b.y0 + y0, b.x1 + x0, b.y1 + y0)
             for b in (_bracket_width(part, b) for b in
                       _split_at_rules(eng, part, part_rule, eng.recognise(part, src_dpi), src_dpi))]
    rows = _rows(boxes)
    lines = _lines(rows, v_rule, clean.shape[1], clean.shape[0], lv.h_rule)
    if seal_box is not None:  # the seal was removed with its red ink: say where it was
        mid = (seal_box[1] + seal_box[3]) / 2
        at = sum(1 for line in lines if (line.box[1] + line.box[3]) / 2 < mid)
        lines.insert(at, OcrLine(text=SEAL_MARK, confidence=0.9,
                                 box=tuple(round(v, 4) for v in seal_box)))  # type: ignore[arg-type]
    n = sum(len(line.text) for line in lines if line.text != SEAL_MARK)
    confidence = round(sum(line.confidence * len(line.text) for line in lines
                           if line.text != SEAL_MARK) / n, 4) if n else 0.0
    warnings = []
    n_lines = len(rows)  # lines as seen, before wrapped table cells are joined
    if len(ink_rows) >= 3 and n_lines < DROPPED_RATIO * len(ink_rows) and len(ink_rows) - len(lines) >= 2:
        warnings.append(msg("E153", page=page, ink=len(ink_rows), found=n_lines, path=path))
    if n and confidence < LOW_CONFIDENCE:
        warnings.append(msg("E154", page=page, confidence=f"{confidence:.2f}", path=path))
    # base turned the image CCW; the page lay turned clockwise by that much (plus 180 if upside down)
    rotation = (base + (180 if turned else 0)) % 360
    return OcrPage(text="\n".join(line.text for line in lines), confidence=confidence, lines=tuple(lines),
                   engine=eng.name, rotation=rotation, skew=round(-skew, 1), warnings=tuple(warnings))


def _image_dpi(img) -> int:
    raw = img.info.get("dpi")
    try:
        value = float(raw[0]) if raw else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if 50 <= value <= 1200:
        return round(value)
    # no usable metadata: assume an A4 page (210 mm on the short side)
    return max(72, min(600, round(min(img.width, img.height) / (210 / 25.4))))


def _open(data: bytes, path: str):
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Image.DecompressionBombError as exc:
        raise ReadError("E152", path, detail=str(exc)[:80]) from exc
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a damaged file
        raise ReadError("E102", path, detail=type(exc).__name__) from exc
    return img, ImageOps


def image_page_count(data: bytes, path: str = "") -> int:
    """Frames in an image file (a multi-page TIFF has several; JPEG/PNG one)."""
    img, _ = _open(data, path)
    return getattr(img, "n_frames", 1)


def ocr_image(data: bytes, *, engine: str | None = None, dpi: int | None = None, path: str = "",
              page: int = 1) -> OcrPage:
    """OCR the first page (frame) of an image file (JPEG, PNG, TIFF, BMP…).

    ``engine``: ``"rapidocr"`` / ``"tesseract"`` or None for :func:`default_engine`; ``dpi``
    overrides the file's resolution; ``path`` and ``page`` only label messages. Raises
    ReadError E150 when no engine is installed (the message names the packages to install),
    E151 for an engine that is not available, E152 for an oversized image, E102 for an
    unreadable file.
    """
    _engine(engine, path)  # fail fast, before decoding
    img, ops = _open(data, path)
    return _ocr_pil(ops.exif_transpose(img), engine=engine, dpi=dpi, path=path, page=page)


def ocr_image_pages(data: bytes, *, engine: str | None = None, dpi: int | None = None,
                    path: str = "") -> list[OcrPage]:
    """OCR every page of an image file (each frame of a multi-page TIFF)."""
    _engine(engine, path)
    img, ops = _open(data, path)
    out = []
    for i in range(getattr(img, "n_frames", 1)):
        img.seek(i)
        frame = ops.exif_transpose(img.copy()) if i == 0 else img.copy()
        out.append(_ocr_pil(frame, engine=engine, dpi=dpi, path=path, page=i + 1))
    return out


def ocr_pdf_page(pdf_bytes: bytes, page_index: int, *, engine: str | None = None, dpi: int = 200,
                 path: str = "") -> OcrPage:
    """Rasterise page ``page_index`` (0-based) of a PDF with pypdfium2 at ``dpi`` and OCR it."""
    import pypdfium2 as pdfium

    _engine(engine, path)
    try:
        pdf = pdfium.PdfDocument(pdf_bytes)
    except pdfium.PdfiumError as exc:
        raise ReadError("E102", path, detail=str(exc)[:80]) from exc
    try:
        pg = pdf[page_index]
        w, h = pg.get_size()
        if w * h * (dpi / 72) ** 2 > MAX_PIXELS:
            raise ReadError("E152", path, detail=f"{w / 72 * 25.4:.0f}×{h / 72 * 25.4:.0f} mm @ {dpi} dpi")
        img = pg.render(scale=dpi / 72, grayscale=False).to_pil()
    finally:
        pdf.close()
    return _ocr_pil(img, engine=engine, dpi=dpi, path=path, page=page_index + 1)


# ---------------------------------------------------------------------------------------------
# glue for the archive reader: scanned pages become OCR pages, with their confidence
# ---------------------------------------------------------------------------------------------

def _line_conf(p: OcrPage) -> tuple[float, ...]:
    """One confidence per text line, when the page text is the lines joined by newlines."""
    if p.lines and "\n".join(line.text for line in p.lines) == p.text:
        return tuple(round(line.confidence, 4) for line in p.lines)
    return ()


def _warning_errors(p: OcrPage, path: str) -> list[InputError]:
    out = []
    for w in p.warnings:
        code = w[1:5] if w.startswith("[E") else "E154"
        out.append(InputError(path=path, code=code, message=w))
    return out


def ocr_missing_pdf_pages(data: bytes, pages: Sequence[Page], errors: Sequence[InputError],
                          path: str) -> tuple[list[Page], list[InputError]]:
    """Replace the PDF pages that have no text layer (the reader's E106) with OCR pages.

    The E106 error of a page is dropped when OCR read it (its warnings E153/E154 take its place);
    when no OCR engine is installed, every E106 stays and one E150 says what to install.
    """
    missing = {e for e in range(len(pages)) if not pages[e].text.strip()}
    if not missing:
        return list(pages), list(errors)
    out_pages = list(pages)
    out_errors = [e for e in errors if e.code != "E106"]
    kept_106 = [e for e in errors if e.code == "E106"]
    try:
        for i in sorted(missing):
            p = ocr_pdf_page(data, i, path=path)
            out_pages[i] = Page(number=pages[i].number, text=p.text, source="ocr", confidence=p.confidence,
                                line_confidence=_line_conf(p))
            out_errors.extend(_warning_errors(p, path))
            kept_106 = [e for e in kept_106 if f"第 {i + 1} 页" not in e.message]
    except ReadError as exc:
        if exc.code in ("E150", "E151"):
            return list(pages), list(errors) + [InputError(path=path, code=exc.code, message=str(exc))]
        out_errors.append(InputError(path=path, code=exc.code, message=str(exc)))
    return out_pages, out_errors + kept_106


def ocr_image_file(data: bytes, path: str) -> tuple[list[Page], list[InputError]]:
    """An image file (each frame of a multi-page TIFF) as OCR pages; E117 + E150 without an engine."""
    try:
        ocr_pages = ocr_image_pages(data, path=path)
    except ReadError as exc:
        errs = [InputError(path=path, code=exc.code, message=str(exc))]
        if exc.code in ("E150", "E151"):
            errs.insert(0, InputError(path=path, code="E117", message=msg("E117", path=path)))
        return [], errs
    pages, errors = [], []
    for i, p in enumerate(ocr_pages):
        pages.append(Page(number=i + 1, text=p.text, source="ocr", confidence=p.confidence,
                          line_confidence=_line_conf(p)))
        errors.extend(_warning_errors(p, path))
    return pages, errors
