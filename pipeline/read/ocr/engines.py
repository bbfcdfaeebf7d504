"""The OCR engines behind one interface: RapidOCR (onnxruntime) and tesseract (a subprocess).

Nothing is downloaded at run time: RapidOCR gets the paths of the models shipped in its wheel;
tesseract must have ``chi_sim`` installed. ``engine_for(name, path)`` gives the engine to use (one
instance per engine and process), raising ReadError E150 when none is installed and E151 for an
engine that is not. An engine's ``recognise(gray, dpi)`` returns :class:`Box` records in pixels;
``recognise_line`` reads one line image; RapidOCR's ``direction`` votes 0° / 180°.
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
from typing import Any

import numpy as np
from PIL import Image

from pipeline.core.errors import ReadError

__all__ = ["ASCII_WORD", "DET_SIDE", "ENGINES", "Box", "available_engines", "default_engine", "engine_for",
           "ocr_threads"]

ENGINES = ("rapidocr", "tesseract")  # preference order when no engine is named (see bench/ocr_bench.py)
DET_SIDE = 1280  # longest side of the text detector's input, page cropped to its ink (see _det_side)
ASCII_WORD = re.compile(r"[A-Za-z0-9]$")


@dataclass(frozen=True, slots=True)
class Box:
    """One recognised box: its text, confidence and pixel box on the (levelled, cropped) page."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def h(self) -> float:
        return self.y1 - self.y0


def ocr_threads() -> int:
    """OCR threads per engine: ``ANJUAN_OCR_THREADS``, else min(2, cores)."""
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
        n = ocr_threads()
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

    def recognise(self, gray, dpi: int) -> list[Box]:
        rgb = np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))
        with self._lock:
            result: Any = self._engine(rgb, use_det=True, use_cls=False, use_rec=True)
        if result.boxes is None or result.txts is None:
            return []
        out = []
        for quad, text, score in zip(result.boxes, result.txts, result.scores):
            xs = [float(p[0]) for p in quad]
            ys = [float(p[1]) for p in quad]
            if text.strip():
                out.append(Box(text.strip(), float(score), min(xs), min(ys), max(xs), max(ys)))
        return out

    def recognise_line(self, gray, dpi: int) -> tuple[str, float]:
        """Recognition only, for an image holding one line of text."""
        rgb = np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))
        with self._lock:
            result: Any = self._engine(rgb, use_det=False, use_cls=False, use_rec=True)
        if not result.txts:
            return "", 0.0
        return result.txts[0].strip(), float(result.scores[0])

    def direction(self, crops) -> tuple[float, float]:
        """(upright, turned): the direction classifier's confidence summed over pieces of the
        given line images, each piece at most four line heights wide (the classifier's input
        is 48×192, so a whole line would be squeezed)."""
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


class _Tesseract:
    name = "tesseract"

    def __init__(self) -> None:
        self._cmd = _tesseract_cmd()

    def recognise(self, gray, dpi: int) -> list[Box]:
        return self._boxes(self._run(gray, dpi, psm=3))

    def _run(self, gray, dpi: int, psm: int):
        buf = io.BytesIO()
        Image.fromarray(gray).save(buf, format="PNG")
        env = dict(os.environ, OMP_THREAD_LIMIT=str(ocr_threads()))
        proc = subprocess.run(
            [str(self._cmd), "stdin", "stdout", "-l", "chi_sim", "--psm", str(psm), "--dpi", str(dpi),
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
    def _boxes(lines) -> list[Box]:
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
                if text and ASCII_WORD.search(text) and ASCII_WORD.match(word):
                    text += " "
                text += word
            n = sum(len(w[0]) for w in words)
            conf = sum(w[1] * len(w[0]) for w in words) / n
            out.append(Box(text, conf, min(w[2] for w in words), min(w[3] for w in words),
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


def engine_for(name: str | None, path: str):
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

