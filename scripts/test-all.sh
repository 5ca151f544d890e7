#!/usr/bin/env bash
# The whole test suite: types, unit and integration tests (PostgreSQL and
# PGlite), the production build, Playwright in Chromium, and the canary scan.
set -euo pipefail
cd "$(dirname "$0")/.."

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

echo "== unit and integration tests"
npx vitest run

echo "== production build"
npx next build > artifacts/build.log 2>&1 || { tail -50 artifacts/build.log; exit 1; }

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
