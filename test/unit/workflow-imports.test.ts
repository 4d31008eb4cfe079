/**
 * scripts/check-workflow-imports.mjs: the workflow bundle's value imports, followed transitively, reach no
 * Node builtin and no package but the vetted ones — on the real graph, and it catches what it is for in a
 * planted one (eslint's per-file rule cannot see a violation two imports away).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/check-workflow-imports.mjs');
const check = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wf-imports-'));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node', strict: true } }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function plant(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** The checker's violation lines (after its heading line), trimmed. */
const violations = (stderr: string): string[] =>
  stderr
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim());

test('the real workflow bundle reaches no I/O', () => {
  const r = check();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^workflow code: \d+ modules from src\/workflows\/index\.ts, no I\/O reachable/);
});

test('a builtin two imports away fails, with the chain that reaches it', () => {
  plant({
    'workflows/index.ts': "export { run } from './run';\n",
    'workflows/run.ts': "import { size } from '../lib/a';\nexport const run = () => size();\n",
    'lib/a.ts': "import { statSync } from 'node:fs';\nexport const size = () => statSync('.').size;\n",
  });
  const r = check('workflows/index.ts', '--root', dir);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('workflows/index.ts -> workflows/run.ts -> lib/a.ts imports node:fs (a Node builtin)');
});

test('type-only imports are erased, so they are allowed; a require() or an unvetted package is not', () => {
  plant({
    'workflows/index.ts':
      "import type { Stats } from 'node:fs';\nimport { type Dirent } from 'fs';\nexport type { Stats, Dirent };\nexport { go } from '../lib/b';\n",
    'lib/b.ts':
      "import Docker from 'dockerode';\nexport const go = () => { require('child_process'); return Docker; };\n",
  });
  const r = check('workflows/index.ts', '--root', dir);
  expect(r.status).toBe(1);
  expect(violations(r.stderr)).toEqual([
    'workflows/index.ts -> lib/b.ts imports dockerode (not a workflow-safe package)',
    'workflows/index.ts -> lib/b.ts imports child_process (a Node builtin)',
  ]);
});

test('type-only imports of I/O modules alone pass', () => {
  plant({
    'workflows/index.ts':
      "import type { Stats } from 'node:fs';\nimport { type ChildProcess } from 'child_process';\nexport type { Stats, ChildProcess };\nexport type { Docker } from '../lib/types';\n",
    'lib/types.ts': "import type Docker from 'dockerode';\nexport type { Docker };\n",
  });
  const r = check('workflows/index.ts', '--root', dir);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe('workflow code: 1 modules from workflows/index.ts, no I/O reachable');
});

test('import = require, import() and a computed specifier are value imports; src/ is the source tree', () => {
  plant({
    'src/workflows/index.ts':
      "import os = require('os');\nexport const a = () => import('../lib/late');\nexport const b = (m: string) => import(m);\nexport { c } from '../../benchmarks/c';\nexport const d = os;\n",
    'src/lib/late.ts': "export const late = () => import('node:net');\n",
    'benchmarks/c.ts': 'export const c = 1;\n',
  });
  const r = check('--root', dir);
  expect(r.status).toBe(1);
  expect(violations(r.stderr)).toEqual([
    'src/workflows/index.ts imports os (a Node builtin)',
    'src/workflows/index.ts imports a computed specifier (cannot be checked)',
    'src/workflows/index.ts imports ../../benchmarks/c (benchmarks/c.ts is outside src/)',
    'src/workflows/index.ts -> src/lib/late.ts imports node:net (a Node builtin)',
  ]);
});

test('a clean planted graph passes and counts its modules', () => {
  plant({
    'workflows/index.ts': "export { x } from './x';\n",
    'workflows/x.ts': "import { proxyActivities } from '@temporalio/workflow';\nexport const x = proxyActivities;\n",
  });
  const r = check('workflows/index.ts', '--root', dir);
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe('workflow code: 2 modules from workflows/index.ts, no I/O reachable');
});
