/**
 * `network_mode = "allowlist"`: an egress filter beside the agent's container. Per trial, an internal
 * network (no route out) holds the agent's container and one proxy container (proxy.js, under this
 * process's own node binary), which alone is also on Docker's default bridge. The agent's container gets
 * HTTP_PROXY / HTTPS_PROXY (and their lower-case twins) pointing at it, so proxy-aware clients — curl, pip,
 * npm, git over HTTPS, Node, Python — reach the allowed hosts; nothing else leaves the network at all. That
 * is stricter than Harbor's transparent sidecar (a client that ignores the proxy variables reaches nothing,
 * not the allowed hosts), never looser. Both containers and the network carry the trial's labels, so a dead
 * owner's are reaped like any sandbox.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { packageRoot } from '../../util/package-root';
import { SandboxError, asSystemic } from '../errors';
import { follow, imageExists } from '../image';
import { packEntries } from '../tar';

export const EGRESS_PROXY_ALIAS = 'egress-proxy';
const PORT = 3128;
/** The image every task image here builds from (set-up imports it); the proxy needs only its libc. */
const BASE_IMAGE = 'debian:bookworm-slim';
const READY_TIMEOUT_MS = 20_000;

export interface Egress {
  /** The internal network the agent's container joins. */
  network: string;
  /** Variables the agent's container gets. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

const proxySource = (): Promise<Buffer> =>
  fs.readFile(path.join(packageRoot(), 'src', 'sandbox', 'egress', 'proxy.js'));

let imageTag: Promise<string> | null = null;

/** Builds the proxy image once per content (proxy.js and this node binary). */
export function ensureProxyImage(docker: Docker): Promise<string> {
  imageTag ??= (async () => {
    const [source, node] = await Promise.all([proxySource(), fs.readFile(process.execPath)]);
    const hash = createHash('sha256').update(source).update(process.version).update(process.execPath).digest('hex');
    const tag = `autoagent-egress-proxy:${hash.slice(0, 16)}`;
    if (await imageExists(docker, tag)) return tag;
    const dockerfile = [
      `FROM ${BASE_IMAGE}`,
      'COPY node /usr/local/bin/node',
      'COPY proxy.js /opt/autoagent/proxy.js',
      'USER nobody',
      `ENTRYPOINT ["/usr/local/bin/node", "/opt/autoagent/proxy.js"]`,
      '',
    ].join('\n');
    const context = await packEntries([
      { name: 'Dockerfile', type: 'file', mode: 0o644, content: Buffer.from(dockerfile) },
      { name: 'node', type: 'file', mode: 0o755, content: node },
      { name: 'proxy.js', type: 'file', mode: 0o644, content: source },
    ]);
    const log: string[] = [];
    try {
      const stream = await docker.buildImage(Readable.from([context]), {
        t: tag,
        labels: { autoagent: '1' },
        rm: true,
        forcerm: true,
      } as Docker.ImageBuildOptions);
      await follow(docker, stream, log);
    } catch (err) {
      const sys = asSystemic(err);
      if (sys !== err) throw sys;
      throw new SandboxError({
        operation: 'egress',
        message: `building the allowlist proxy image from ${BASE_IMAGE} failed: ${(err as Error).message} (${log.slice(-3).join('').trim()})`,
        cause: err,
      });
    }
    return tag;
  })().catch((err: unknown) => {
    imageTag = null;
    throw err;
  });
  return imageTag;
}

async function waitReady(proxy: Docker.Container): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const exec = await proxy.exec({ Cmd: ['test', '-f', '/tmp/egress-proxy.ready'], User: '0' });
    await new Promise<void>((resolve, reject) =>
      exec.start({ hijack: true, stdin: false }, (err, stream) => {
        if (err) return reject(err);
        stream?.on('end', () => resolve());
        stream?.on('error', reject);
        stream?.resume();
      }),
    );
    if ((await exec.inspect()).ExitCode === 0) return;
    if (Date.now() > deadline) {
      const logs = String(await proxy.logs({ stdout: true, stderr: true, tail: 20 }).catch(() => ''));
      throw new SandboxError({
        operation: 'egress',
        containerId: proxy.id,
        message: `the allowlist proxy did not start in ${READY_TIMEOUT_MS / 1000}s: ${logs.trim().slice(-300)}`,
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startEgress(
  docker: Docker,
  opts: { trialId: string; labels: Record<string, string>; allowedHosts: readonly string[] },
): Promise<Egress> {
  const image = await ensureProxyImage(docker);
  // Readable and unique: a cut trial id plus its hash (two long ids may share a prefix).
  const id = createHash('sha256').update(opts.trialId).digest('hex').slice(0, 10);
  const name = `autoagent-${opts.trialId
    .toLowerCase()
    .replace(/[^a-z0-9_.-]/g, '-')
    .slice(0, 40)}-${id}`;
  let network: Docker.Network | null = null;
  let proxy: Docker.Container | null = null;
  const remove = async (): Promise<void> => {
    if (proxy) await proxy.remove({ force: true }).catch(() => undefined);
    if (network) await network.remove().catch(() => undefined);
  };
  try {
    const created = await docker.createNetwork({
      Name: `${name}-egress`,
      Internal: true,
      Labels: opts.labels,
      CheckDuplicate: true,
    });
    network = docker.getNetwork(created.id);
    proxy = await docker.createContainer({
      Image: image,
      Env: [`ALLOWED_HOSTS=${opts.allowedHosts.join(' ')}`, `PORT=${PORT}`],
      Labels: { ...opts.labels, 'autoagent.role': 'egress-proxy' },
      HostConfig: {
        NetworkMode: 'bridge',
        Memory: 128 * 1024 * 1024,
        PidsLimit: 64,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
      },
    });
    await network.connect({ Container: proxy.id, EndpointConfig: { Aliases: [EGRESS_PROXY_ALIAS] } });
    await proxy.start();
    await waitReady(proxy);
  } catch (err) {
    await remove();
    throw err;
  }
  const url = `http://${EGRESS_PROXY_ALIAS}:${PORT}`;
  const noProxy = 'localhost,127.0.0.1,::1';
  return {
    network: `${name}-egress`,
    env: { HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, NO_PROXY: noProxy, no_proxy: noProxy },
    remove,
  };
}
