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
   and the year brackets of a 文号 paired (:func:`pair_brackets`: ``〔2024]`` → ``〔2024〕``); both
   live in ``extractors.normalise.brackets`` (assembly repairs OCR'd numbers the same way).
5. Checks: the number of text lines in the ink's horizontal projection against the rows found
   (E153 warning when OCR found far fewer), and a low page confidence (E154 warning).

Every line and page carries a confidence in 0..1 (RapidOCR's recogniser score; tesseract's word
confidence / 100), a page's being the character-weighted mean of its lines'. Each line also keeps
its box (fractions of the levelled page), which the archive reader passes on as ``Page.line_boxes``.

The package: ``engines`` (RapidOCR, tesseract), ``image`` (decoding, ink, rules, orientation, seals),
``lines`` (boxes → lines in reading order), ``page`` (the page driver and the archive reader's glue).
The names below are the public interface; import them from ``pipeline.read.ocr``.
"""
from __future__ import annotations

from extractors.normalise.brackets import fix_years, pair_brackets
from pipeline.read.ocr.engines import ENGINES, available_engines, default_engine, ocr_threads
from pipeline.read.ocr.image import red_stamp_box
from pipeline.read.ocr.lines import OcrLine
from pipeline.read.ocr.page import (
    SEAL_MARK,
    OcrPage,
    image_page_count,
    ocr_image,
    ocr_image_file,
    ocr_image_pages,
    ocr_missing_pdf_pages,
    ocr_pdf_page,
)

__all__ = ["ENGINES", "SEAL_MARK", "OcrLine", "OcrPage", "available_engines", "default_engine", "fix_years",
           "image_page_count", "ocr_image", "ocr_image_file", "ocr_image_pages", "ocr_missing_pdf_pages",
           "ocr_pdf_page", "ocr_threads", "pair_brackets", "red_stamp_box"]

_threads = ocr_threads  # the old private name, still read by tests/test_parallel.py
