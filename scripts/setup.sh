#!/usr/bin/env bash
# Installs what the workbench needs on Debian/Ubuntu and is missing: libgraphviz (with headers,
# for the in-process renderer), libxlsxwriter (with headers, for XLSX workbooks), pkg-config,
# a CJK font for Chinese labels, poppler-utils (pdffonts: the tests check that PDF figures embed
# their fonts) and the Python tools the tests check outputs with (openpyxl). Idempotent: does
# nothing when everything is there. chromium (headless) is for the tests that open the HTML
# reports and the index in a real browser. Swift itself (6.1 or later) must be on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

# cmark-gfm (GitHub's Markdown renderer) is for the tests: they render every report to check that
# no data becomes HTML or a link. chromium: the `linkage serve` test walks the explorer and the
# report tests open every HTML report in a real headless browser (Tests/Tools/browser_walk.py,
# browser_check.py). wrk and hey: scripts/serve-benchmark.sh's load generators (wrk at full
# speed; hey at a fixed rate, and for a fixed number of requests).
# libpcre2-dev: id patterns of the manifests are matched by PCRE2 with a step limit.
# nettle-dev: SHA-256 (GNU Nettle) for the keys of `linkage render`'s view cache.
packages=(libgraphviz-dev libxlsxwriter-dev libpcre2-dev nettle-dev pkg-config fonts-noto-cjk fontconfig cmark-gfm poppler-utils chromium wrk hey)
missing=()
for package in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$package")
  fi
done
# The external analyses in analyses/ (and their tests) are Python 3, standard library only; any
# python3 on the PATH will do.
if ! command -v python3 >/dev/null; then missing+=(python3); fi

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

scripts/python-test-tools.sh

if ! command -v swift >/dev/null; then
  echo "setup: swift is not on the PATH (Swift 6.1 or later is needed)" >&2
  exit 1
fi
echo "setup: ok (graphviz $(pkg-config --modversion libgvc), libxlsxwriter $(dpkg-query -W -f='${Version}' libxlsxwriter-dev), $(swift --version 2>/dev/null | head -1))"
