/**
 * A task written the way Terminal-Bench 2 tasks are (task.toml with [metadata] keys and memory = "2G",
 * FROM python:3.13-slim-bookworm, WORKDIR /app, tests/test.sh writing /logs/verifier/reward.txt from the
 * working directory, solution/solve.sh) runs unchanged through the real loader and the real runTrial:
 * the oracle scores 1 and the no-op 0. The base image comes from scripts/standin-images.sh (no registry here);
 * the task text is our own, modelled on the format. Needs Docker: fails, never skips, without it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadTask } from '../../../src/tasks/load';
import type { Task } from '../../../src/tasks/types';
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import { runTrial } from '../../../src/trial/run-trial';
import { containersForTrial, requireDocker, requireStandin, tmpDir } from './support';

const BASE_IMAGE = 'python:3.13-slim-bookworm';

const FILES: Record<string, string> = {
  'task.toml': `version = "1.0"

[metadata]
author_name = "AutoAgent tests"
author_email = "tests@autoagent.invalid"
difficulty = "easy"
category = "data-processing"
tags = ["csv", "python"]
expert_time_estimate_min = 3.0
junior_time_estimate_min = 10.0

[verifier]
timeout_sec = 180.0

[agent]
timeout_sec = 120.0

[environment]
build_timeout_sec = 600.0
cpus = 1
memory = "2G"
storage = "10G"
`,
  'instruction.md':
    'The file /app/stock.csv lists warehouse items and their quantities. Write the total quantity of items\n' +
    'whose location is "north" to /app/north_total.txt, as a bare integer.\n',
  'environment/Dockerfile': `FROM ${BASE_IMAGE}

WORKDIR /app

COPY stock.csv /app/stock.csv
`,
  'environment/stock.csv':
    'item,location,quantity\nbolts,north,120\nnuts,south,75\nwashers,north,33\nscrews,east,12\nrivets,north,7\n',
  // Like TB2 verifiers: refuses to run from /, checks through Python, writes the reward itself. No network.
  'tests/test.sh': `#!/bin/bash
if [ "$PWD" = "/" ]; then
  echo "Error: no working directory set; the Dockerfile needs a WORKDIR"
  exit 1
fi
echo "verifier cwd: $PWD"
python3 --version
python3 /tests/test_outputs.py
if [ $? -eq 0 ]; then
  echo 1 > /logs/verifier/reward.txt
else
  echo 0 > /logs/verifier/reward.txt
fi
`,
  'tests/test_outputs.py': `import csv
from pathlib import Path

expected = sum(int(r["quantity"]) for r in csv.DictReader(open("/app/stock.csv")) if r["location"] == "north")
out = Path("/app/north_total.txt")
assert out.exists(), "north_total.txt is missing"
assert out.read_text().strip() == str(expected), f"expected {expected}, got {out.read_text()!r}"
print("north total ok")
`,
  'solution/solve.sh': `#!/bin/bash
python - <<'PY' > north_total.txt
import csv
print(sum(int(r["quantity"]) for r in csv.DictReader(open("stock.csv")) if r["location"] == "north"))
PY
`,
};

const provider = new DockerSandboxProvider();
let task: Task;
let outDir: string;

beforeAll(async () => {
  await requireDocker();
  requireStandin(BASE_IMAGE);
  const root = await tmpDir('aa-h1-foreign-');
  const dir = path.join(root, 'north-stock-total');
  for (const [rel, text] of Object.entries(FILES)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text, { mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
  }
  task = await loadTask(dir);
  outDir = await tmpDir('aa-h1-foreign-trials-');
}, 900_000);

test('the TB2-style task.toml loads with Harbor units and metadata intact', () => {
  expect(task.name).toBe('north-stock-total');
  expect(task.config.environment).toMatchObject({ memoryMb: 2048, storageMb: 10240, cpus: 1, buildTimeoutSec: 600 });
  expect(task.config.verifier.timeoutSec).toBe(180);
  expect(task.config.agent.timeoutSec).toBe(120);
  expect(task.config.metadata).toMatchObject({
    difficulty: 'easy',
    category: 'data-processing',
    tags: ['csv', 'python'],
  });
});

test('the oracle solves it through runTrial: reward 1, verifier ran in the WORKDIR with Python 3.13', async () => {
  const r = await runTrial({ task, agent: 'oracle', repeat: 0, outDir, provider });
  expect(r).toMatchObject({ reward: 1, error: null, stopReason: 'oracle' });
  expect(r.verifier.output).toContain('verifier cwd: /app');
  expect(r.verifier.output).toMatch(/Python 3\.13\./);
  expect(r.verifier.output).toContain('north total ok');
  expect(await containersForTrial(r.trialId)).toHaveLength(0);
}, 600_000);

test('the no-op does not: reward 0 with the assertion in the verifier output', async () => {
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider });
  expect(r).toMatchObject({ reward: 0, error: null, stopReason: 'noop', verifier: { reward: 0, reason: null } });
  expect(r.verifier.output).toContain('north_total.txt is missing');
  expect(await containersForTrial(r.trialId)).toHaveLength(0);
}, 600_000);
