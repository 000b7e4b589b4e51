#!/usr/bin/env bash
# Installs everything deskhand needs on Debian 12 (run as root, or it uses sudo):
# system packages (a virtual desktop, the accessibility bus, real apps, Chromium), a venv in .venv, the package.
#   bash scripts/install.sh          # the app
#   bash scripts/install.sh --dev    # the app plus test and lint tools
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(
  # the virtual desktop: X server, session bus, accessibility bus
  xvfb xauth dbus dbus-x11 at-spi2-core x11-utils
  # real apps deskhand drives in the demo, the examples and the tests
  zenity mousepad gedit gnome-calculator chromium fonts-liberation fonts-dejavu-core
  # Qt's xcb platform plugin (PySide6 from PyPI) needs these
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libgl1 libegl1 libfontconfig1 libdbus-1-3
  # Python; libpq5: psycopg's client library, for a fleet's run store on PostgreSQL
  python3 python3-venv python3-dev libpq5
)
if [ -n "$extras" ]; then
  packages+=(
    # apps only the tests and benchmarks drive: office suites, mail, a second browser, widget galleries,
    # toolkits with little or no accessibility, the peers the benchmarks compare against, services
    libreoffice-calc libreoffice-writer libreoffice-gtk3 gnumeric thunderbird claws-mail firefox-esr
    gtk-3-examples gtk-4-examples python3-tk xterm xdotool python3-pyatspi python3-dogtail python3-gi gir1.2-gtk-3.0 gir1.2-gtk-4.0
    tesseract-ocr tesseract-ocr-eng redis-server weston
    # the PostgreSQL run store's tests start a throwaway server (initdb + pg_ctl on loopback)
    postgresql
    # sway: the second headless Wayland compositor of tests/integration/test_wayland*.py (run as nobody;
    # deskhand gives it keys and a pointer itself, so no wtype)
    sway
  )
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "deskhand: installing ${#missing[@]} system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "deskhand: creating .venv"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
echo "deskhand: installing the package${extras:+ with $extras}"
.venv/bin/python -m pip install -q -e ".${extras}"
echo "deskhand: ready ($(.venv/bin/deskhand --version))"
