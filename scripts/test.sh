#!/usr/bin/env bash
# The README's test command (`npm test`): set up every real part (Docker engine, base image, Temporal CLI),
# then lint, typecheck and run the whole jest suite against them. Nothing is skipped: a missing part fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TEMPORAL_CLI_PATH="$PWD/.tools/bin/temporal"
export AUTOAGENT_REQUIRE_DOCKER=1
# The PostgreSQL + S3 connection settings setup-services.sh wrote (AUTOAGENT_TEST_PG_URL, AWS_*, ...).
set -a; source .tools/services.env; set +a
echo "[test] lint + typecheck" >&2
npx eslint src test benchmarks
# One style, checked (`npm run format` writes it; .prettierrc.json, .prettierignore).
npx prettier --check --log-level warn "src/**/*.{ts,js}" "test/**/*.{ts,js}" "benchmarks/**/*.{ts,js,mjs}" "scripts/*.mjs" eslint.config.mjs
# eslint sees each workflow file's own imports; this follows them all the way down.
node scripts/check-workflow-imports.mjs
npx tsc -p tsconfig.test.json --noEmit
mkdir -p test-artifacts
echo "[test] jest" >&2
status=0
npx jest --ci --json --outputFile=test-artifacts/jest.json "$@" || status=$?
# Jest's own closing lines are not a format CI tools read; print the plain one from its JSON report.
node -e '
  const r = require("./test-artifacts/jest.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (skipped) { console.error("skipped tests are not allowed"); process.exit(1); }
  if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
' || status=1
exit $status
