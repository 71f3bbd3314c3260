#!/usr/bin/env bash
# What scripts/ratio-python-dot.sh needs and the workbench does not: the Graphviz programs
# (`neato`, Debian's graphviz package; the workbench links libgraphviz and runs no program)
# and PyYAML with its C loader plus NetworkX (PyPI, when the system's Python lacks them).
# Idempotent: installs only what is missing. Not called by setup.sh: the tests do not need it.
set -euo pipefail

python=${PYTHON:-python3}
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
apt_install() {
  $sudo apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v neato >/dev/null; then
  echo "ratio-tools: installing graphviz (the dot and neato programs)"
  apt_install graphviz
fi
if ! command -v "$python" >/dev/null; then
  echo "ratio-tools: installing python3"
  apt_install python3
fi
if "$python" -c "import yaml, networkx, sys; sys.exit(0 if yaml.__with_libyaml__ else 1)" 2>/dev/null; then exit 0; fi
if ! "$python" -m pip --version >/dev/null 2>&1; then apt_install python3-pip; fi
echo "ratio-tools: installing PyYAML and networkx"
# PyYAML's wheels bundle libyaml (the C loader); Debian's Python is externally managed (PEP 668).
packages=("PyYAML>=6,<7" "networkx>=3,<4")
if ! "$python" -m pip install --quiet --disable-pip-version-check "${packages[@]}" 2>/dev/null; then
  "$python" -m pip install --quiet --disable-pip-version-check --break-system-packages "${packages[@]}"
fi
"$python" -c "import yaml, networkx, sys; sys.exit(0 if yaml.__with_libyaml__ else 'PyYAML has no C loader')"
