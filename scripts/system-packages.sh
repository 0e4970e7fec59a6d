#!/usr/bin/env bash
# Debian packages the project needs, installed only when missing.
#   run:  python3-venv (Debian's python3 has no ensurepip without it)
#   test: also a PostgreSQL server and Chromium for the Playwright tests, and poppler
#   bench: poppler (the benchmarks read the PDFs back); loadtest: a PostgreSQL server
set -euo pipefail
mode=${1:-test}

missing=()
"${PYTHON:-python3}" -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
# WeasyPrint (the PDF schede) needs Pango and at least one font.
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || missing+=(libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# pdftotext / pdftoppm: the tests and the benchmarks read the PDFs and turn pages into PNG.
if [ "$mode" = test ] || [ "$mode" = bench ]; then
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fi
if [ "$mode" = test ] || [ "$mode" = loadtest ]; then
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
fi
if [ "$mode" = test ]; then
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
