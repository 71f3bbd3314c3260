#!/usr/bin/env bash
# Checks the Debian package that scripts/build-deb.sh builds:
#   1. its control data (name, version, Depends on libgraphviz, libxlsxwriter, PCRE2 for
#      id_pattern, Nettle for the view cache and a CJK font) and
#      its contents (binary, datasets, man pages, completions), read with dpkg-deb;
#   2. that apt can resolve its dependencies here (apt-get --simulate install ./package.deb);
#   3. the installed program, run from a tree extracted with dpkg-deb -x, from a folder outside
#      any repository and without --datasets: it finds its bundled datasets, validates them,
#      runs every analysis, imports the example plan; no Swift library is loaded from outside;
#   4. with --install (root, changes this machine): a real `apt install ./package.deb`, a run of
#      /usr/bin/linkage, and `apt remove` again.
# A clean-root install (debootstrap) needs a Debian mirror, which this machine cannot reach.
#
# Usage: scripts/check-deb.sh [dist/linkage_<version>_<arch>.deb] [--install]
set -euo pipefail
cd "$(dirname "$0")/.."

package=""
install=false
for argument in "$@"; do
  case "$argument" in
    --install) install=true ;;
    *) package=$argument ;;
  esac
done
if [ -z "$package" ]; then package=$(ls -t dist/linkage_*.deb 2>/dev/null | head -1 || true); fi
[ -f "$package" ] || { echo "check-deb: no package (build one with scripts/build-deb.sh)" >&2; exit 1; }
package=$(realpath "$package")

failures=0
check() {  # check "what" command...
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then echo "ok    $what"; else echo "FAIL  $what"; failures=$((failures + 1)); fi
}

# 1. Control data and contents.
field() { dpkg-deb --field "$package" "$1"; }
depends=$(field Depends)
echo "check-deb: $(basename "$package"): $(field Package) $(field Version) $(field Architecture)"
echo "check-deb: Depends: $depends"
check "package name is linkage" test "$(field Package)" = linkage
for dependency in libgvc6 libcgraph6 libxlsxwriter4 libpcre2-8-0 libnettle8 fonts-noto-cjk; do
  check "Depends names $dependency" grep -q "\b$dependency\b" <<<"$depends"
done
check "Depends names no Swift runtime" bash -c "! grep -qi swift <<<'$depends'"
contents=$(dpkg-deb --contents "$package" | awk '{print $6}')
for path in ./usr/bin/linkage ./usr/share/linkage/datasets/vocabulary.yaml ./usr/share/linkage/datasets/sdg/manifest.yaml \
            ./usr/share/linkage/datasets/baap-2018-2021/outputs.yaml ./usr/share/linkage/examples/plans/national-broadband-plan.xlsx \
            ./usr/share/man/man1/linkage.1.gz ./usr/share/man/man1/linkage.import.1.gz \
            ./usr/share/bash-completion/completions/linkage ./usr/share/zsh/vendor-completions/_linkage \
            ./usr/share/fish/vendor_completions.d/linkage.fish ./usr/share/doc/linkage/copyright; do
  check "contains $path" grep -qx "$path" <<<"$contents"
done

# 2. Dependencies resolvable from the archive.
check "apt can resolve the dependencies (apt-get --simulate install)" \
  bash -c "apt-get -o DPkg::Lock::Timeout=900 --simulate install '$package' | grep -q '^Inst linkage'"

# 3. The program from an extracted tree.
work=$(mktemp -d "${TMPDIR:-/tmp}/linkage-check-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$package" "$work/root"
linkage="$work/root/usr/bin/linkage"
mkdir -p "$work/elsewhere"
cd "$work/elsewhere"
unset LINKAGE_DATASETS
check "linkage --version prints $(field Version)" test "$("$linkage" --version)" = "$(field Version)"
check "no Swift library is loaded from outside the binary (static stdlib)" bash -c "! ldd '$linkage' | grep -qiE 'swift|libFoundation|libdispatch'"
check "every shared library the binary needs is found" bash -c "! ldd '$linkage' | grep -q 'not found'"
check "finds its bundled datasets and validates them" bash -c "'$linkage' validate --errors-only 2>&1 | grep -q '7 datasets, .* 0 errors'"
check "search works on the bundled datasets" bash -c "'$linkage' search 应急通信 --limit 1 | grep -q OP23-TH-P1-EMTEL"
check "linkage all writes every analysis into ./graphs" bash -c "'$linkage' all --quiet >/dev/null && test -f graphs/sdg-mapping/plan-sdg-baap.zh.svg && test -f graphs/index.md"
check "Chinese labels are drawn (the CJK font is found)" grep -q "布宜诺斯艾利斯" graphs/sdg-mapping/plan-sdg-baap.zh.svg
check "render draws a PNG" bash -c "'$linkage' render BAAP-OBJ-2 --format png -o objective-2.png 2>/dev/null && head -c 8 objective-2.png | grep -q PNG"
check "import refuses to write into the read-only bundled datasets" bash -c "! '$linkage' import '$work/root/usr/share/linkage/examples/plans/national-broadband-plan.xlsx' --dataset nbp 2>/dev/null"
cp -R "$work/root/usr/share/linkage/datasets" "$work/datasets"
check "imports the example plan into a copy of the datasets" \
  "$linkage" import "$work/root/usr/share/linkage/examples/plans/national-broadband-plan.xlsx" --dataset nbp --datasets "$work/datasets"
check "the imported plan runs through an analysis" "$linkage" run sdg-mapping --set plan=nbp --datasets "$work/datasets" -o "$work/out" --quiet
check "the man page renders" bash -c "zcat '$work/root/usr/share/man/man1/linkage.import.1.gz' | grep -q 'linkage import'"
check "the bash completion script defines a completion" grep -qE "^complete .*-F _linkage linkage" "$work/root/usr/share/bash-completion/completions/linkage"
cd - >/dev/null

# 4. A real installation (optional).
if $install; then
  [ "$(id -u)" -eq 0 ] || { echo "check-deb: --install needs root" >&2; exit 1; }
  if dpkg-query -W linkage >/dev/null 2>&1; then
    echo "check-deb: a linkage package is installed already; --install leaves it alone" >&2; exit 1
  fi
  check "apt install ./$(basename "$package")" bash -c "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq '$package' >/dev/null 2>&1"
  check "linkage is on the PATH at /usr/bin/linkage" test "$(command -v linkage)" = /usr/bin/linkage
  check "installed linkage finds /usr/share/linkage/datasets" bash -c "cd / && linkage datasets | grep -q 'kap-2023-2027'"
  check "man linkage finds the page" bash -c "! command -v man >/dev/null || man -w linkage | grep -q /usr/share/man/man1/linkage.1.gz"
  check "apt remove linkage" bash -c "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 remove -y -qq linkage >/dev/null 2>&1"
fi

if ((failures)); then echo "check-deb: $failures check(s) failed"; exit 1; fi
echo "check-deb: all checks passed"
