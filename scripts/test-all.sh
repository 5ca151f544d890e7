#!/usr/bin/env bash
# The whole test suite: types, unit and integration tests (PostgreSQL and
# PGlite), the production build, Playwright in Chromium, and the canary scan.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the suite needs that a fresh machine may lack: Debian's chromium (Playwright),
# pg_dump (canary scan), coturn (TURN relay test), poppler-utils (invoice PDFs read
# back), python3-pydicom (its real DICOM sample files), dcmtk (test studies made from
# them with dcmodify), a running PostgreSQL, and the
# node modules. Installed here when missing.
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pg_dump >/dev/null || need+=(postgresql-client)
command -v turnserver >/dev/null || need+=(coturn)
command -v pdftotext >/dev/null || need+=(poppler-utils)
[[ -d /usr/lib/python3/dist-packages/pydicom/data/test_files ]] || need+=(python3-pydicom)
command -v dcmodify >/dev/null || need+=(dcmtk)
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" fonts-dejavu-core >/dev/null
  else
    echo "The test suite needs: ${need[*]} (Debian packages). Install them (as root: apt-get install ${need[*]}) and run again." >&2
    exit 1
  fi
fi

if [[ -z "${KONSIL_TEST_PG:-}" ]] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
    echo "== starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  else
    echo "The test suite needs PostgreSQL on 127.0.0.1:5432 (trust auth for user postgres), or KONSIL_TEST_PG set to a local server." >&2
    exit 1
  fi
fi

[[ -d node_modules ]] || npm ci --no-audit --no-fund

PGBASE="${KONSIL_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
if [[ -z "${DATABASE_URL:-}" ]]; then
  DB="konsil_test_$(date +%s)_$$"
  psql "$PGBASE/postgres" -qc "create database $DB" >/dev/null
  export DATABASE_URL="$PGBASE/$DB"
  echo "test database: $DB"
fi
case "$DATABASE_URL" in
  *@127.0.0.1[:/]*|*@localhost[:/]*|*@\[::1\][:/]*) ;;
  *) echo "refusing to test against a non-local database: $DATABASE_URL" >&2; exit 2 ;;
esac

export AUTH_SECRET="${AUTH_SECRET:-test-secret-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}"
export KONSIL_DATA_DIR="$PWD/artifacts/data"
rm -rf artifacts
mkdir -p artifacts/screenshots artifacts/data

echo "== typecheck"
npx tsc --noEmit

echo "== lint"
npx eslint .

echo "== unit and integration tests"
npx vitest run

echo "== production build"
npx next build --webpack > artifacts/build.log 2>&1 || { tail -50 artifacts/build.log; exit 1; }

echo "== end-to-end tests (Chromium)"
npx playwright test

echo "== server logs: no unhandled errors"
# Next marks unhandled errors (a 500, a failed server render) with ⨯; our route
# wrapper logs "[route] internal error". Neither may happen in the suite.
if grep -hE "⨯|\[route\] internal error" artifacts/server*.log; then
  echo "the server logged errors during the end-to-end tests (see above)" >&2
  exit 1
fi

echo "== canary scan"
npx tsx scripts/canary-scan.ts
