"""Start the workbench: check the address and password, open the results, serve with waitress.

waitress is a pure-Python WSGI server (Windows too). By default the workbench listens on
127.0.0.1 only; any other address (``--host 0.0.0.0`` for an office LAN) is refused without a
password (E601). ``--password auto`` makes a random one and prints it at start.
"""
from __future__ import annotations

import ipaddress
import secrets
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.core.errors import AnjuanError
from pipeline.serve.app import create_app
from pipeline.serve.workbench import Workbench

DEFAULT_PORT = 8765
LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def lan_password(host: str, password: str | None) -> tuple[str | None, bool]:
    """``(password to require, made here)``; E601 for a LAN address without one. ``"auto"`` gives
    a random password (to be printed)."""
    if password == "auto":
        return secrets.token_urlsafe(9), True
    if password:
        return password, False
    if not is_loopback(host):
        raise AnjuanError("E601", host=host)
    return None, False


def make_server(results: Path, *, db_path: Path | None = None, archive: Path | None = None,
                host: str = "127.0.0.1", port: int = DEFAULT_PORT, password: str | None = None,
                who: str = "评查人员", threads: int = 4) -> tuple[Any, str, str | None, bool]:
    """(waitress server, the URL to open, the password in force, whether it was made here)."""
    from waitress import create_server

    required, made = lan_password(host, password)
    bench = Workbench.open(Path(results), db_path, archive, who=who)
    app = create_app(bench, password=required)
    server = create_server(app, host=host, port=port, threads=threads, ident="anjuan")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    url = f"http://{shown}:{server.effective_port}/"
    return server, url, required, made


def serve(results: Path, *, db_path: Path | None = None, archive: Path | None = None, host: str = "127.0.0.1",
          port: int = DEFAULT_PORT, password: str | None = None, open_browser: bool = True,
          echo: Callable[[str], Any] = print) -> None:
    """Run the workbench until interrupted (Ctrl+C)."""
    server, url, required, made = make_server(results, db_path=db_path, archive=archive, host=host, port=port,
                                              password=password)
    echo(f"评查工作台已启动：{url}  （结果目录 {Path(results).resolve()}；按 Ctrl+C 停止）")
    if not is_loopback(host):
        echo(f"已开放局域网访问（监听 {host}），同事在浏览器中打开本机地址的 {server.effective_port} 端口即可。")
    if made:
        echo(f"本次口令：{required}")
    if open_browser:
        webbrowser.open(url)
    try:
        server.run()
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        echo("评查工作台已停止。")
    finally:
        server.close()


__all__ = ["DEFAULT_PORT", "is_loopback", "lan_password", "make_server", "serve"]
