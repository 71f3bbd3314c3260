#!/usr/bin/env bash
# Python packages the test suite uses to check outputs with other tools (PyPI): openpyxl reads
# back the XLSX workbooks linkage writes, proving that programs other than linkage open them.
# Idempotent: installs only what is missing. Called by scripts/setup.sh.
set -euo pipefail

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  echo "python-test-tools: $python is not on the PATH (the XLSX read-back tests need it)" >&2
  exit 1
fi
if "$python" -c "import openpyxl" 2>/dev/null; then exit 0; fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if ! "$python" -m pip --version >/dev/null 2>&1; then
  $sudo apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends python3-pip >/dev/null
fi
echo "python-test-tools: installing openpyxl"
# Debian's own Python marks itself externally managed (PEP 668); openpyxl is a pure-Python test
# helper (with one pure-Python dependency, et_xmlfile), so it goes in beside the system's packages there.
if ! "$python" -m pip install --quiet --disable-pip-version-check "openpyxl>=3.1,<4" 2>/dev/null; then
  "$python" -m pip install --quiet --disable-pip-version-check --break-system-packages "openpyxl>=3.1,<4"
fi
"$python" -c "import openpyxl"
