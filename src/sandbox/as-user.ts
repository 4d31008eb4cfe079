/**
 * A sandbox seen as one user (Harbor's `[agent].user` / `[verifier].user`: a name or a uid). Commands run
 * as that user unless a caller names another. Files move through the user too, so a file tool can do no
 * more than the user's own shell could: a write is staged by root in a private folder and copied into place
 * by the user (`cat >` keeps an existing file's owner and mode; a new one is the user's), a read is refused
 * when the user may not read the file. Folders the runtime itself uploads (the oracle's solution, a
 * harness's tools) go in as root, as Harbor uploads them. Without a user the sandbox is returned as it is
 * (the image's USER).
 */
import { randomBytes } from 'node:crypto';
import { shellQuote } from '../util/shell';
import type { Sandbox } from './types';

const ROOT = '0';
const FILE_OP_TIMEOUT_SEC = 60;

class PermissionDeniedError extends Error {
  override readonly name = 'PermissionDeniedError';
  constructor(user: string, action: string, target: string, detail: string) {
    super(`user ${user} may not ${action} ${target}${detail.trim() ? `: ${detail.trim().slice(-300)}` : ''}`);
  }
}

export function asUser(box: Sandbox, user: string | null | undefined): Sandbox {
  if (user === null || user === undefined || user === '') return box;
  const q = shellQuote;
  const stage = async (put: (staging: string) => Promise<void>, copy: (staging: string) => string, target: string) => {
    const dir = `/tmp/.autoagent-stage-${randomBytes(6).toString('hex')}`;
    await box.exec(`mkdir -m 755 ${q(dir)}`, { user: ROOT, timeoutSec: FILE_OP_TIMEOUT_SEC });
    try {
      const staging = `${dir}/f`;
      await put(staging);
      await box.exec(`chmod -R a+rX ${q(dir)}`, { user: ROOT, timeoutSec: FILE_OP_TIMEOUT_SEC });
      const r = await box.exec(copy(staging), { user, timeoutSec: FILE_OP_TIMEOUT_SEC });
      if (r.exitCode !== 0) throw new PermissionDeniedError(user, 'write', target, r.stderr);
    } finally {
      await box.exec(`rm -rf ${q(dir)}`, { user: ROOT, timeoutSec: FILE_OP_TIMEOUT_SEC });
    }
  };
  return {
    id: box.id,
    exec: (command, opts = {}) => box.exec(command, { ...opts, user: opts.user ?? user }),
    putFile: (containerPath, content, mode) =>
      stage(
        (staging) => box.putFile(staging, content),
        (staging) => {
          const dir = containerPath.replace(/\/[^/]*$/, '') || '/';
          const chmod = mode === undefined ? '' : ` && chmod ${(mode & 0o7777).toString(8)} ${q(containerPath)}`;
          return `mkdir -p ${q(dir)} && cat ${q(staging)} > ${q(containerPath)}${chmod}`;
        },
        containerPath,
      ),
    putDir: (hostDir, containerDir) => box.putDir(hostDir, containerDir),
    getFile: async (containerPath, opts) => {
      const r = await box.exec(`test ! -e ${q(containerPath)} || test -r ${q(containerPath)}`, {
        user,
        timeoutSec: FILE_OP_TIMEOUT_SEC,
      });
      if (r.exitCode !== 0) throw new PermissionDeniedError(user, 'read', containerPath, r.stderr);
      return box.getFile(containerPath, opts);
    },
    remove: () => box.remove(),
  };
}
