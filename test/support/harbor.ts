/**
 * Harbor's own validation of what we write: runs scripts/harbor-validate.py with the pinned `harbor` in
 * .tools/harbor (installed by scripts/setup-harbor.sh). A missing venv is an error that says how to install
 * it — never a skip: the conformance checks must run for real.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const HARBOR_PYTHON = join(ROOT, '.tools', 'harbor', 'bin', 'python');
const SCRIPT = join(ROOT, 'scripts', 'harbor-validate.py');

export type HarborModel = 'trajectory' | 'trial-result' | 'trial-config' | 'job-result' | 'job-config';

export interface HarborReport {
  harbor: string;
  checked: [string, string][];
  errors: { path: string; model: string | null; error: string }[];
}

/** Validates files (or Harbor job folders) with Harbor's pydantic models; resolves with the report. */
export function harborValidate(paths: string[], as?: HarborModel): Promise<HarborReport> {
  if (!existsSync(HARBOR_PYTHON)) {
    return Promise.reject(
      new Error(
        `Harbor is not installed at ${HARBOR_PYTHON}: run bash scripts/setup-harbor.sh (or bash scripts/setup.sh)`,
      ),
    );
  }
  const args = [SCRIPT, ...(as ? ['--as', as] : []), ...paths];
  return new Promise((resolve, reject) => {
    execFile(HARBOR_PYTHON, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as HarborReport);
      } catch {
        reject(new Error(`harbor-validate.py failed (${err?.message ?? 'no output'}): ${stderr}`));
      }
    });
  });
}
