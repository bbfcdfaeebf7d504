"""Legacy office files (.doc, .wps, .xls) read through LibreOffice headless, when it is installed.

``convert(data, ext, to)`` writes the bytes into a fresh temporary folder (never next to the
reviewer's original), runs ``soffice --headless --convert-to <to>`` there with a private user
profile (two conversions at once, or a LibreOffice the reviewer has open, do not collide), and
returns the converted bytes. The folder is removed afterwards. Without LibreOffice a legacy Word
file gets E111, naming the install command; a conversion that fails or hangs gets E130.

LibreOffice is found as ``soffice`` on PATH, ``$ANJUAN_SOFFICE``, or in its usual install
folders on Windows and macOS.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.core.errors import ReadError

CONVERT_TIMEOUT_S = 120.0
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_MAC_PLACES = ("/Applications/LibreOffice.app/Contents/MacOS/soffice",)


def find_soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    env = os.environ.get("ANJUAN_SOFFICE")
    if env:
        return env if Path(env).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    places = _WINDOWS_PLACES if sys.platform == "win32" else _MAC_PLACES if sys.platform == "darwin" else ()
    return next((p for p in places if Path(p).is_file()), None)


def convert(data: bytes, ext: str, to: str, path_label: str, *,
            timeout: float = CONVERT_TIMEOUT_S) -> bytes:
    """``data`` (a file with extension ``ext``, e.g. ``.doc``) converted by LibreOffice to ``to``
    (``docx`` or ``xlsx``). Raises ReadError E111 (no LibreOffice) or E130 (conversion failed)."""
    soffice = find_soffice()
    if soffice is None:
        raise ReadError("E111", path_label)
    with tempfile.TemporaryDirectory(prefix="anjuan-lo-") as tmp:
        work = Path(tmp)
        src = work / f"in{ext}"
        src.write_bytes(data)
        outdir = work / "out"
        profile = (work / "profile").as_uri()
        cmd = [soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile}",
               "--convert-to", to, "--outdir", str(outdir), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise ReadError("E130", path_label, detail=f"转换超过 {timeout:.0f} 秒未完成") from exc
        except OSError as exc:
            raise ReadError("E130", path_label, detail=f"无法启动 LibreOffice：{exc}") from exc
        out = outdir / f"in.{to.split(':')[0]}"
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()[-1:]
            raise ReadError("E130", path_label, detail=f"退出码 {proc.returncode}；{' '.join(tail) or '没有生成文件'}")
        return out.read_bytes()


__all__ = ["CONVERT_TIMEOUT_S", "convert", "find_soffice"]
