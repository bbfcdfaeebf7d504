"""Image geometry of a scanned page (numpy; OpenCV loaded when first needed).

Decoding to a grey page without red ink (:func:`page_arrays`: the red channel, scaled to
``WORK_DPI``; on a grey scan a seal's ring is found and lightened), the ink mask (Otsu), table rules
(morphological opening), orientation and skew (the sharpness of the ink's horizontal profile, and
the share of blank rows between lines: :func:`orientations`), turning (:func:`rotate`), text lines of
the ink's projection (:func:`text_rows`), the ink's box, and where a red seal lies
(:func:`red_stamp_box`).
"""
from __future__ import annotations

import numpy as np

__all__ = ["WORK_DPI", "clean_rules", "cv2_module", "image_dpi", "ink_box", "ink_mask", "orientations",
           "page_arrays", "red_stamp_box", "rotate", "text_rows"]

WORK_DPI = 200  # pages scanned finer are scaled down to this before OCR


def _otsu(gray) -> int:
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    omega = np.cumsum(hist) / total
    mu = np.cumsum(hist * np.arange(256)) / total
    mu_t = mu[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma_b = (mu_t * omega - mu) ** 2 / (omega * (1 - omega))
    sigma_b = np.nan_to_num(sigma_b)
    return int(np.argmax(sigma_b))


def ink_mask(gray):
    """Boolean ink mask: darker than Otsu's threshold (and than mid-grey on a blank page)."""
    t = _otsu(gray)
    return gray < min(t, 200) if np.any(gray < 128) else np.zeros_like(gray, dtype=bool)


def cv2_module():
    import cv2  # opencv-python-headless: part of the ``ocr`` extra (RapidOCR needs it too)

    return cv2


def _rules(ink, dpi: int):
    """(horizontal, vertical) masks of table rules: straight ink runs ≥ 12 mm (a morphological
    opening with a 1×k line)."""
    cv2 = cv2_module()
    k = max(int(dpi * 12 / 25.4), 20)
    img = ink.astype(np.uint8)
    h = cv2.morphologyEx(img, cv2.MORPH_OPEN, np.ones((1, k), np.uint8)) if img.shape[1] >= k else 0 * img
    v = cv2.morphologyEx(img, cv2.MORPH_OPEN, np.ones((k, 1), np.uint8)) if img.shape[0] >= k else 0 * img
    return h.astype(bool), v.astype(bool)


def _profile_scores(ys, xs, angles) -> list[float]:
    """Sharpness of the horizontal ink profile after turning the ink points by each angle (degrees,
    counter-clockwise): the sum of squared differences of neighbouring rows' ink counts."""
    out = []
    for angle in angles:
        a = np.deg2rad(angle)
        rows = np.floor(ys * np.cos(a) - xs * np.sin(a) + 0.5).astype(np.int64)
        hist = np.bincount(rows - rows.min()).astype(np.float64)
        out.append(float(np.sum(np.diff(hist) ** 2)))
    return out


def orientations(gray, dpi: int) -> list[tuple[int, float]]:
    """Candidate (base, skew) pairs, best first: base 0 or 90 is the CCW quarter turn that makes
    the text lines horizontal, skew the small tilt in degrees (CCW positive). One candidate when
    the page is clear, both bases when it is not (the caller reads a few lines to decide).

    Works on the ink's coordinates at ≤ 100 dpi (table rules removed): each angle tried is one
    rotation of the points and one histogram, no image is turned. For each base the skew is where
    the horizontal ink profile is sharpest (sum of squared differences); between the bases two
    measures vote — that sharpness, and the share of empty rows between the first and the last
    line (gaps between lines are wide, those between the characters of a column thin or
    missing). A single line or a sparse form with wide cell gaps can split the vote."""
    cv2 = cv2_module()
    scale = min(1.0, 100 / dpi, 1400 / max(gray.shape))
    small = gray
    if scale < 1.0:
        small = cv2.resize(gray, (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale))),
                           interpolation=cv2.INTER_AREA)
    ink = ink_mask(small)
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
        return [(int(by_blank[0][0]), float(by_blank[0][1]))]
    return [(int(c[0]), float(c[1])) for c in by_blank]


def _blank_share(ys, xs, angle: float) -> float:
    """Share of the rows between the first and the last ink row that hold (almost) no ink."""
    a = np.deg2rad(angle)
    rows = np.floor(ys * np.cos(a) - xs * np.sin(a) + 0.5).astype(np.int64)
    hist = np.bincount(rows - rows.min())
    return float((hist <= max(1, 0.02 * hist.max())).mean())


def rotate(gray, base: int, angle: float):
    """Turn ``gray`` ``base`` degrees CCW (multiple of 90) and then ``angle`` degrees CCW (the
    canvas grows so no corner is cut; new area is white)."""
    cv2 = cv2_module()
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


def text_rows(ink, min_px: int) -> list[tuple[int, int]]:
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


def clean_rules(gray, dpi: int):
    """The page with table rules painted white, the vertical-rule mask (for TAB joins), the ink
    without the rules and the horizontal-rule mask (table rows)."""
    ink = ink_mask(gray)
    h_rule, v_rule = _rules(ink, dpi)
    rules = h_rule | v_rule
    if not rules.any():
        return gray, v_rule, ink, h_rule
    # widen the rules by a pixel or two: anti-aliased edges would read as strokes
    cv2 = cv2_module()
    grow = max(1, dpi // 150)
    cross = cv2.getStructuringElement(cv2.MORPH_CROSS, (2 * grow + 1, 2 * grow + 1))
    wide = cv2.dilate(rules.astype(np.uint8), cross).astype(bool)
    out = gray.copy()
    out[wide] = 255
    return out, v_rule, ink & ~wide, h_rule


def ink_box(ink, pad: int) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the page's ink plus ``pad`` pixels; rows and columns with only
    a speck or two of ink (scanner noise) do not count. The whole page when there is no ink."""
    h, w = ink.shape
    rows = np.flatnonzero(ink.sum(axis=1) > max(2, w * 0.002))
    cols = np.flatnonzero(ink.sum(axis=0) > max(2, h * 0.002))
    if rows.size == 0 or cols.size == 0:
        return 0, h, 0, w
    return (max(int(rows[0]) - pad, 0), min(int(rows[-1]) + pad + 1, h),
            max(int(cols[0]) - pad, 0), min(int(cols[-1]) + pad + 1, w))


_COLOUR_MODES = ("RGB", "RGBA", "P", "CMYK", "YCbCr", "LA", "PA")


def page_arrays(img, dpi: int):
    """(grey page, red mask or None, dpi) — the page scaled down to ``WORK_DPI`` when scanned finer.

    The grey page drops red ink: it is the red channel, pushed further towards white where red
    dominates, so a seal stamped over a date line turns pale and the black text under it stays
    dark. The mask locates the seal: its saturated red pixels, or, on a page with no red (a grey
    scan, also when a PDF renders it in colour), the disk of a seal ring found by
    :func:`_grey_seal`, whose grey ink is then lightened (:func:`_lighten_seal`)."""
    cv2 = cv2_module()

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
    cv2 = cv2_module()
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


def red_stamp_box(red, dpi: int) -> tuple[float, float, float, float] | None:
    """Box (fractions of the page) of a red seal, from the page's red-ink mask, or None.

    OCR drops the seal with its red ink, so its presence is noted here: enough saturated red
    pixels (≥ 0.1 % of the page) spread over at least 20 mm, as an agency seal (≈ 40 mm) is.
    """
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


def image_dpi(img) -> int:
    raw = img.info.get("dpi")
    try:
        value = float(raw[0]) if raw else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if 50 <= value <= 1200:
        return round(value)
    # no usable metadata: assume an A4 page (210 mm on the short side)
    return max(72, min(600, round(min(img.width, img.height) / (210 / 25.4))))

