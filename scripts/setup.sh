#!/usr/bin/env bash
# Installs what the workbench needs on Debian/Ubuntu and is missing: libgraphviz (with headers,
# for the in-process renderer), pkg-config, a CJK font for Chinese labels, and poppler-utils
# (pdffonts: the tests check that PDF figures embed their fonts). Idempotent: does nothing when
# everything is there. Swift itself (6.1 or later) must be on the PATH.
set -euo pipefail

packages=(libgraphviz-dev pkg-config fonts-noto-cjk fontconfig poppler-utils)
missing=()
for package in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Graphviz finds its plugins (layouts, SVG, cairo for PNG/PDF) through a config file that the
# package's install step writes; rebuild it if it is missing.
if ! ls /usr/lib/*/graphviz/config* >/dev/null 2>&1 && command -v dot >/dev/null; then
  dot -c || true
fi

# (grep reads the whole list: with -q it could stop early, and pipefail would then report the
# SIGPIPE of fc-list as a missing font.)
if ! fc-list : family | grep "Noto Sans CJK SC" >/dev/null; then
  echo "setup: the font 'Noto Sans CJK SC' is not visible to fontconfig; run fc-cache -f" >&2
  exit 1
fi

if ! command -v swift >/dev/null; then
  echo "setup: swift is not on the PATH (Swift 6.1 or later is needed)" >&2
  exit 1
fi
echo "setup: ok (graphviz $(pkg-config --modversion libgvc), $(swift --version 2>/dev/null | head -1))"
