#!/usr/bin/env bash
# Installs pgvector into the local PostgreSQL 15 from Debian's own source package.
# bookworm has no pgvector binary package, so we fetch trixie's *source* package through a
# private apt sources file (so the system's package lists are untouched) and build it against
# PostgreSQL 15's pg_config. Idempotent: exits early if the extension is already installed.
set -euo pipefail

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
SHAREDIR=$("$PG_CONFIG" --sharedir 2>/dev/null || echo /usr/share/postgresql/15)
if [ -f "$SHAREDIR/extension/vector.control" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "pgvector already installed: $(grep default_version "$SHAREDIR/extension/vector.control")"
  exit 0
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

need=()
dpkg -s postgresql-server-dev-15 >/dev/null 2>&1 || need+=(postgresql-server-dev-15)
dpkg -s dpkg-dev >/dev/null 2>&1 || need+=(dpkg-dev)
command -v make >/dev/null || need+=(make)
command -v gcc >/dev/null || need+=(gcc)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}"
fi

work=$(mktemp -d); chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/lists/partial" "$work/apt/sources.list.d"
cat > "$work/apt/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
SRC
APT_OPTS=(-o Dir::Etc::sourcelist="$work/apt/sources.list"
          -o Dir::Etc::sourceparts="$work/apt/sources.list.d"
          -o Dir::State::Lists="$work/apt/lists"
          -o APT::Get::List-Cleanup=0)
apt-get "${APT_OPTS[@]}" update -qq
( cd "$work" && apt-get "${APT_OPTS[@]}" source --download-only pgvector )
dsc=$(ls "$work"/pgvector_*.dsc | head -n1)
( cd "$work" && dpkg-source -x "$dsc" src >/dev/null )
make -C "$work/src" PG_CONFIG="$PG_CONFIG" -s -j"$(nproc)"
$SUDO make -C "$work/src" PG_CONFIG="$PG_CONFIG" -s install
echo "pgvector installed: $(grep default_version "$SHAREDIR/extension/vector.control")"
