#!/usr/bin/env bash
# Builds the Debian package: dist/linkage_<version>_<arch>.deb, installable without Swift with
#   sudo apt install ./dist/linkage_<version>_amd64.deb
#
# What it holds:
#   /usr/bin/linkage                          release build, Swift standard library and Foundation
#                                             linked in statically (--static-swift-stdlib)
#   /usr/share/linkage/datasets/              the bundled datasets, found without --datasets
#   /usr/share/linkage/examples/plans/        the example plan spreadsheets
#   /usr/share/man/man1/linkage*.1.gz         man pages (argument-parser's generate-manual)
#   bash, zsh and fish completions            (argument-parser's --generate-completion-script)
#   /usr/share/doc/linkage/                   README, copyright
# Depends: the shared libraries the binary links (computed by dpkg-shlibdeps: libgvc6, libcgraph6,
# libcdt5, libxlsxwriter4, libpcre2-8-0, libxml2 …) and a CJK font (fonts-noto-cjk) for Chinese labels.
#
# Usage: scripts/build-deb.sh [--skip-build]      (--skip-build reuses .build/release/linkage)
# Takes a few minutes (a release build); scripts/check-deb.sh then checks the package.
set -euo pipefail
cd "$(dirname "$0")/.."

skip_build=false
if [ "${1:-}" = "--skip-build" ]; then skip_build=true; fi

scripts/setup.sh >/dev/null
for tool in dpkg-deb dpkg-shlibdeps fakeroot; do
  if ! command -v "$tool" >/dev/null; then
    echo "build-deb: installing dpkg-dev and fakeroot (for $tool)"
    sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get -o DPkg::Lock::Timeout=900 update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends dpkg-dev fakeroot >/dev/null
    break
  fi
done

if ! $skip_build; then
  echo "build-deb: release build with the Swift standard library linked statically (takes minutes)"
  swift build -c release --product linkage --static-swift-stdlib
  swift build -c release --product generate-manual
fi
binary=.build/release/linkage
[ -x "$binary" ] || { echo "build-deb: $binary is missing (run without --skip-build)" >&2; exit 1; }

version=$("$binary" --version)
arch=$(dpkg --print-architecture)
# Reproducible timestamps inside the package: the last commit's time.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 946684800)}
release_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)

work=$(mktemp -d "${TMPDIR:-/tmp}/linkage-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/linkage" "$root/usr/share/doc/linkage" \
  "$root/usr/share/man/man1" "$root/usr/share/bash-completion/completions" \
  "$root/usr/share/zsh/vendor-completions" "$root/usr/share/fish/vendor_completions.d"

install -m 0755 "$binary" "$root/usr/bin/linkage"
strip --strip-unneeded "$root/usr/bin/linkage"
cp -R datasets "$root/usr/share/linkage/datasets"
mkdir -p "$root/usr/share/linkage/examples"
cp -R examples/plans "$root/usr/share/linkage/examples/plans"
install -m 0644 README.md "$root/usr/share/doc/linkage/README.md"
gzip -9n "$root/usr/share/doc/linkage/README.md"
for doc in docs/*.md; do install -m 0644 "$doc" "$root/usr/share/doc/linkage/"; done
cat > "$root/usr/share/doc/linkage/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: linkage
Comment: The datasets under /usr/share/linkage/datasets name their sources in each manifest.
EOF

# Man pages, one per command, from the commands' own help.
.build/release/generate-manual "$binary" --multi-page --date "$release_date" -o "$root/usr/share/man/man1"
gzip -9n "$root"/usr/share/man/man1/*.1

# Shell completions.
"$binary" --generate-completion-script bash > "$root/usr/share/bash-completion/completions/linkage"
"$binary" --generate-completion-script zsh > "$root/usr/share/zsh/vendor-completions/_linkage"
"$binary" --generate-completion-script fish > "$root/usr/share/fish/vendor_completions.d/linkage.fish"

# Depends: the packages of the shared libraries the binary needs, with their minimum versions.
mkdir -p "$work/src/debian"
printf 'Source: linkage\n\nPackage: linkage\nArchitecture: any\n' > "$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O "$root/usr/bin/linkage" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
depends="$shlibs, fonts-noto-cjk"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)

cat > "$root/DEBIAN/control" <<EOF
Package: linkage
Version: $version
Architecture: $arch
Maintainer: linkage maintainers <linkage@localhost>
Installed-Size: $installed_size
Depends: $depends
Section: science
Priority: optional
Homepage: https://github.com/linkage-workbench/linkage
Description: linkage analysis workbench for ITU-D plans
 Loads curated, cited datasets of ITU-D planning documents (action plans, operational and
 strategic plans, SDG goals and targets, WSIS action lines, ITU resolutions) into one typed
 graph, runs analyses against it and draws linkage diagrams with Graphviz, with reports in
 Markdown, CSV and JSON. Plans kept in a spreadsheet (CSV, XLSX) import with "linkage import".
EOF

find "$root" -type d -exec chmod 0755 {} +
find "$root/usr/share" -type f -exec chmod 0644 {} +
mkdir -p dist
package="dist/linkage_${version}_${arch}.deb"
fakeroot dpkg-deb -Zxz --build "$root" "$package" >/dev/null
echo "build-deb: wrote $package ($(du -h "$package" | cut -f1)); Depends: $depends"
echo "build-deb: check it with scripts/check-deb.sh $package"
