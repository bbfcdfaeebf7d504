#!/bin/sh
# System packages anjuan uses. Installs them with apt-get when running as root on Debian/Ubuntu;
# otherwise prints what is missing and the command to install it. Never fails silently.
#   sh .ci/sysdeps.sh python   - what `python3 -m venv` needs
#   sh .ci/sysdeps.sh fonts    - a CJK font (charts and rendered documents show real glyphs)
#   sh .ci/sysdeps.sh office   - LibreOffice (reads legacy .doc/.wps; renders documents for checks)
#   sh .ci/sysdeps.sh browser  - Chromium and ChromeDriver (the workbench's end-to-end test)
#   sh .ci/sysdeps.sh all      - everything
what=${1:-all}
missing=""

need_python() {
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    ver=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
    missing="$missing python${ver}-venv"
  fi
}
need_fonts() {
  if ! (command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .); then
    missing="$missing fonts-noto-cjk fontconfig"
  fi
}
need_office() {
  command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer libreoffice-calc"
  command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
}
need_browser() {
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"
}

for part in $(echo "$what" | tr ',' ' '); do
  case "$part" in
    python) need_python ;;
    fonts) need_fonts ;;
    office) need_office ;;
    browser) need_browser ;;
    all) need_python; need_fonts; need_office; need_browser ;;
  esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统组件 / installing system packages:$missing"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) || {
    echo "[E000] 系统组件安装失败：$missing 。请手动运行： sudo apt-get install -y$missing" >&2
    [ "$what" = "python" ] && exit 1
    exit 0
  }
else
  echo "缺少系统组件 / missing system packages:$missing" >&2
  echo "请运行 / please run:  sudo apt-get install -y$missing" >&2
  [ "$what" = "python" ] && exit 1
fi
exit 0
