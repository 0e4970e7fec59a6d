#!/usr/bin/env bash
# Debian packages the project needs, installed only when missing.
#   run:  python3-venv (Debian's python3 has no ensurepip without it)
#   test: also a PostgreSQL server and Chromium for the Playwright tests
set -euo pipefail
mode=${1:-test}

missing=()
"${PYTHON:-python3}" -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
if [ "$mode" = test ]; then
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1 || missing+=(chromium)
fi

[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Mancano: ${missing[*]}. Installarli con il gestore di pacchetti del sistema." >&2
  exit 1
fi
echo "Installazione pacchetti di sistema mancanti: ${missing[*]}"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Servono i permessi di root per installare: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
