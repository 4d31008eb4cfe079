/**
 * Environment images: a task either names a prebuilt image ([environment].docker_image) or we build its
 * `environment/` folder, tagged `autoagent-env/<task>:<first 16 hex of sha256(environment/)>` so an
 * unchanged environment is built once and reused across trials, workers and runs (the tag is the cache key).
 * Concurrent requests for one tag share one build (in-process promise map).
 *
 * Builds go through BuildKit, as Harbor's (`docker compose build`) do, so a Dockerfile only BuildKit reads
 * (heredocs, `RUN --mount=type=cache`) builds here as there. AUTOAGENT_BUILDER=classic picks the legacy
 * builder (an engine without BuildKit). An engine whose built-in Dockerfile frontend is older than the
 * Dockerfiles (Engine 20.10 reads no heredocs) is given a newer one as BuildKit's `BUILDKIT_SYNTAX` build
 * argument: AUTOAGENT_DOCKERFILE_FRONTEND names its image (empty: the built-in one), and by default the
 * image scripts/setup-dockerfile-frontend.sh makes on such engines is used when it is there.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { Task } from '../tasks/types';
import { slug } from '../util/slug';
import { BuildkitProgress } from './buildkit-progress';
import { ImageBuildError, asSystemic, statusOf } from './errors';
import { dirEntries, listDir, packEntries } from './tar';

export interface EnsureImageOptions {
  /** Rebuild even when the tag exists. */
  noCache?: boolean;
  /** Overrides [environment].build_timeout_sec. */
  buildTimeoutSec?: number;
  onProgress?: (line: string) => void;
}

/** The frontend scripts/setup-dockerfile-frontend.sh imports on engines whose built-in one is too old. */
export const LOCAL_DOCKERFILE_FRONTEND = 'autoagent/dockerfile-frontend:1.4';

/** How environment images are built on this machine (read once, from the environment). */
export interface BuilderOptions {
  builder: 'buildkit' | 'classic';
  /**
   * A Dockerfile frontend image (BUILDKIT_SYNTAX); null: the engine's built-in one; 'auto':
   * LOCAL_DOCKERFILE_FRONTEND when the engine has it, else the built-in one.
   */
  dockerfileFrontend: string | null | 'auto';
}

export function builderFromEnv(env: Record<string, string | undefined> = process.env): BuilderOptions {
  const builder = env.AUTOAGENT_BUILDER || 'buildkit';
  if (builder !== 'buildkit' && builder !== 'classic')
    throw new Error(`AUTOAGENT_BUILDER: expected "buildkit" or "classic", got ${JSON.stringify(builder)}`);
  const frontend = env.AUTOAGENT_DOCKERFILE_FRONTEND;
  return { builder, dockerfileFrontend: frontend === undefined ? 'auto' : frontend || null };
}

export interface EnsuredImage {
  image: string;
  built: boolean;
  buildMs: number;
  buildLog: string;
}

/** Docker repository component: lowercase alphanumerics separated by single dashes. */
export const sanitizeName = (name: string): string => slug(name, 100, 'task');

/** sha256 over every entry under `dir` (relative path, type, mode bits that matter, bytes). */
async function hashDir(dir: string): Promise<string> {
  const h = createHash('sha256');
  for (const it of await listDir(dir)) {
    h.update(`${it.type}\0${it.rel}\0${it.mode & 0o111 ? 'x' : '-'}\0`);
    if (it.type === 'file') h.update(await fs.readFile(it.abs));
    if (it.type === 'symlink') h.update(await fs.readlink(it.abs));
    h.update('\0');
  }
  return h.digest('hex');
}

export async function envImageTag(task: Task): Promise<string> {
  return `autoagent-env/${sanitizeName(task.name)}:${(await hashDir(task.paths.environmentDir)).slice(0, 16)}`;
}

export async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw asSystemic(err);
  }
}

interface ProgressEvent {
  id?: string;
  aux?: unknown;
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Follows a build/pull stream, collecting its log; rejects with the daemon's error message. */
export function follow(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  log: string[],
  onLine?: (l: string) => void,
): Promise<void> {
  const buildkit = new BuildkitProgress();
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (ev: ProgressEvent) => {
        const lines =
          ev.id === 'moby.buildkit.trace' && typeof ev.aux === 'string'
            ? buildkit.lines(ev.aux)
            : [ev.stream ?? (ev.status ? `${ev.status}\n` : '')];
        for (const line of lines.filter(Boolean)) {
          log.push(line);
          onLine?.(line);
        }
        if (ev.error) {
          log.push(`ERROR: ${ev.error}\n`);
          reject(new Error(ev.errorDetail?.message ?? ev.error));
        }
      },
    );
  });
}

export class ImageCache {
  private readonly inflight = new Map<string, Promise<EnsuredImage>>();
  private frontend: Promise<string | null> | null = null;
  constructor(
    private readonly docker: Docker,
    private readonly builder: BuilderOptions = builderFromEnv(),
  ) {}

  async ensure(task: Task, opts: EnsureImageOptions = {}): Promise<EnsuredImage> {
    const prebuilt = task.config.environment.dockerImage;
    const tag = prebuilt ?? (await envImageTag(task));
    const existing = this.inflight.get(tag);
    if (existing) return existing.then((r) => ({ ...r, built: false, buildMs: 0 }));
    const p = (prebuilt ? this.pullIfMissing(prebuilt) : this.buildIfMissing(task, tag, opts)).finally(() =>
      this.inflight.delete(tag),
    );
    this.inflight.set(tag, p);
    return p;
  }

  private async pullIfMissing(image: string): Promise<EnsuredImage> {
    if (await imageExists(this.docker, image)) return { image, built: false, buildMs: 0, buildLog: '' };
    const t0 = Date.now();
    const log: string[] = [];
    try {
      await follow(this.docker, await this.docker.pull(image), log);
    } catch (err) {
      const sys = asSystemic(err);
      if (sys !== err) throw sys;
      throw new ImageBuildError({
        image,
        contextDir: null,
        problem: `pull failed: ${(err as Error).message}`,
        log: log.join(''),
      });
    }
    return { image, built: true, buildMs: Date.now() - t0, buildLog: log.join('') };
  }

  private async buildIfMissing(task: Task, tag: string, opts: EnsureImageOptions): Promise<EnsuredImage> {
    if (!opts.noCache && (await imageExists(this.docker, tag)))
      return { image: tag, built: false, buildMs: 0, buildLog: '' };
    const contextDir = task.paths.environmentDir;
    const timeoutSec = opts.buildTimeoutSec ?? task.config.environment.buildTimeoutSec;
    const log: string[] = [];
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutSec * 1000);
    const t0 = Date.now();
    try {
      const frontend = this.builder.builder === 'buildkit' ? await this.dockerfileFrontend() : null;
      const context = await packEntries(await dirEntries(contextDir, ''));
      const stream = await this.docker.buildImage(Readable.from([context]), {
        t: tag,
        labels: { autoagent: '1', 'autoagent.task': task.name },
        rm: true,
        forcerm: true,
        abortSignal: abort.signal,
        ...(this.builder.builder === 'buildkit' ? { version: '2' } : {}),
        ...(frontend ? { buildargs: { BUILDKIT_SYNTAX: frontend } } : {}),
      } as Docker.ImageBuildOptions);
      await follow(this.docker, stream, log, opts.onProgress);
      if (!(await imageExists(this.docker, tag))) throw new Error('build finished but the image is missing');
    } catch (err) {
      const sys = asSystemic(err);
      if (sys !== err) throw sys;
      const problem = abort.signal.aborted
        ? `build timed out after ${timeoutSec}s`
        : `build failed: ${(err as Error).message}`;
      throw new ImageBuildError({ image: tag, contextDir, problem, log: log.join('') });
    } finally {
      clearTimeout(timer);
    }
    return { image: tag, built: true, buildMs: Date.now() - t0, buildLog: log.join('') };
  }

  /** Asked of the engine once per process ('auto'); a named frontend that is missing fails its builds loudly. */
  private dockerfileFrontend(): Promise<string | null> {
    const chosen = this.builder.dockerfileFrontend;
    if (chosen !== 'auto') return Promise.resolve(chosen);
    this.frontend ??= imageExists(this.docker, LOCAL_DOCKERFILE_FRONTEND).then(
      (here) => (here ? LOCAL_DOCKERFILE_FRONTEND : null),
      (err: unknown) => {
        this.frontend = null; // an engine hiccup is asked again next build
        throw err;
      },
    );
    return this.frontend;
  }
}
