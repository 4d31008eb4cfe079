/**
 * DockerSandboxProvider: images (build/cache, see image.ts), sandbox containers, and orphan reaping.
 * A sandbox is an idle keep-alive container under limits (cpus, memory without swap, pids, no network
 * unless the task allows it); every command runs via exec. Containers carry labels so a crashed worker's
 * leftovers can be found and removed (`reapOrphans`). No host environment ever enters a container.
 */
import Docker from 'dockerode';
import { agentNetwork, networkPolicy } from '../tasks/supported';
import { startEgress, type Egress } from './egress/egress';
import { MAIN_SERVICE, startServices, type ComposeServices } from './compose';
import type { Task } from '../tasks/types';
import { DockerSandbox } from './docker-sandbox';
import { SandboxError, asSystemic } from './errors';
import { ImageCache, type EnsureImageOptions, type EnsuredImage } from './image';
import { StorageQuota, isLimitBelowUsage, isStorageOptRefusal } from './storage-quota';
import { OWNER_LABEL, ownerGone, ownerLabels } from './owner';
import type { TrialSandbox } from './types';

export interface StartOptions {
  image: string;
  trialId: string;
  /**
   * Start the task's compose services beside it (default true). A separate verifier's container says false:
   * it is given the artifacts, not the agent's services (whose project and network the agent's container owns).
   */
  withServices?: boolean;
}

export interface SandboxProvider {
  ensureImage(task: Task, opts?: EnsureImageOptions): Promise<EnsuredImage>;
  start(task: Task, opts: StartOptions): Promise<TrialSandbox>;
  /** Removes leftover sandboxes; returns how many were removed. */
  reapOrphans(opts?: { all?: boolean }): Promise<number>;
}

export const LABEL = { root: 'autoagent', trial: 'autoagent.trial', ...OWNER_LABEL } as const;
const DEFAULT_PIDS_LIMIT = 512;

/** PID 1 idles forever; `sleep infinity` is GNU, so fall back to a loop for busybox-style images. */
const KEEP_ALIVE = 'sleep infinity 2>/dev/null || while :; do sleep 3600; done';

export class DockerSandboxProvider implements SandboxProvider {
  readonly docker: Docker;
  private readonly images: ImageCache;
  private readonly pidsLimit: number;
  private readonly quota: StorageQuota;

  constructor(opts: { docker?: Docker; pidsLimit?: number } = {}) {
    this.docker = opts.docker ?? new Docker();
    this.images = new ImageCache(this.docker);
    this.pidsLimit = opts.pidsLimit ?? DEFAULT_PIDS_LIMIT;
    this.quota = new StorageQuota(this.docker, () => this.labelsFor('storage-quota-probe'));
  }

  /** Whether storage_mb is held by a kernel quota on this daemon (else by the watchdog alone). */
  async storageQuota(): Promise<boolean> {
    try {
      return (await this.quota.kindOf()) !== 'none';
    } catch (err) {
      throw asSystemic(err);
    }
  }

  /** The most the kernel lets a sandbox of `image` write under storage_mb (bytes), or null where no quota holds. */
  async storageQuotaBytes(image: string, storageMb: number): Promise<number | null> {
    try {
      return await this.quota.boundBytes(image, storageMb);
    } catch (err) {
      throw asSystemic(err);
    }
  }

  ensureImage(task: Task, opts?: EnsureImageOptions): Promise<EnsuredImage> {
    return this.images.ensure(task, opts);
  }

  async start(task: Task, opts: StartOptions): Promise<TrialSandbox> {
    const env = task.config.environment;
    let container: Docker.Container | null = null;
    let services: ComposeServices | null = null;
    let egress: Egress | null = null;
    try {
      const publicNet = agentNetwork(task.config) === 'public';
      // Multi-container tasks: the services first, on their own network, which this container then joins as `main`.
      services =
        opts.withServices === false
          ? null
          : await startServices(task, {
              trialId: opts.trialId,
              labels: this.labelsFor(opts.trialId),
              mainImage: opts.image,
              internal: !publicNet,
              docker: this.docker,
            });
      // network_mode = "allowlist": an internal network whose one way out is the allowlist proxy (egress.ts).
      const policy = networkPolicy(task.config);
      egress =
        policy.mode === 'allowlist'
          ? await startEgress(this.docker, {
              trialId: opts.trialId,
              labels: this.labelsFor(opts.trialId),
              allowedHosts: policy.allowedHosts,
            })
          : null;
      const network = egress?.network || services?.network || (publicNet ? 'bridge' : 'none');
      const create = (storageOpt: string | null): Promise<Docker.Container> =>
        this.docker.createContainer({
          Image: opts.image,
          // The image's own ENTRYPOINT still runs, with the keep-alive as its command, as under Harbor (whose
          // compose file sets only `command`): an entrypoint that prepares the container and then `exec "$@"`.
          Cmd: ['sh', '-c', KEEP_ALIVE],
          // The task's own variables only: no host environment ever enters a container.
          Env: Object.entries({ ...services?.mainEnv, ...egress?.env, ...env.env }).map(([k, v]) => `${k}=${v}`),
          ...(env.workdir ? { WorkingDir: env.workdir } : {}),
          Labels: this.labelsFor(opts.trialId),
          ...(services?.network
            ? { NetworkingConfig: { EndpointsConfig: { [services.network]: { Aliases: [MAIN_SERVICE] } } } }
            : {}),
          HostConfig: {
            Init: true, // reaps killed commands' zombies, which would otherwise count against the pids limit
            NanoCpus: Math.round(env.cpus * 1e9),
            Memory: env.memoryMb * 1024 * 1024,
            MemorySwap: env.memoryMb * 1024 * 1024,
            PidsLimit: this.pidsLimit,
            // No single file may outgrow storage_mb (the kernel refuses the write); the total is held by storage-watchdog.ts.
            Ulimits: [{ Name: 'fsize', Soft: env.storageMb * 1024 * 1024, Hard: env.storageMb * 1024 * 1024 }],
            // The total, where the storage driver can hold it, in the kernel (storage-quota.ts).
            ...(storageOpt ? { StorageOpt: { size: storageOpt } } : {}),
            NetworkMode: network,
            ...(env.gpus > 0 ? { DeviceRequests: [{ Count: env.gpus, Capabilities: [['gpu']] }] } : {}),
          },
        });
      const created = await this.createUnderQuota(opts.image, env.storageMb, create);
      container = created.container;
      await container.start();
      const down = async (): Promise<void> => {
        await services?.down();
        await egress?.remove();
      };
      const box = new DockerSandbox(
        this.docker,
        container,
        down,
        created.quota,
        services?.network ? services.project : null,
      );
      await box.settle(); // the image's entrypoint has done its start-up; what it started is the container's own
      return box;
    } catch (err) {
      if (container) await container.remove({ force: true }).catch(() => undefined);
      if (services) await services.down().catch(() => undefined);
      if (egress) await egress.remove().catch(() => undefined);
      const sys = asSystemic(err);
      if (sys !== err) throw sys;
      throw new SandboxError({
        operation: 'start',
        containerId: container?.id ?? null,
        message: `${opts.image}: ${(err as Error).message}`,
        cause: err,
      });
    }
  }

  /** Creates the container with the storage quota the daemon can hold: none if it refuses the option, more btrfs slack if the image needs it. */
  private async createUnderQuota(
    image: string,
    storageMb: number,
    create: (storageOpt: string | null) => Promise<Docker.Container>,
  ): Promise<{ container: Docker.Container; quota: boolean }> {
    for (;;) {
      const size = await this.quota.sizeFor(image, storageMb);
      try {
        return { container: await create(size), quota: size !== null };
      } catch (err) {
        if (size && isStorageOptRefusal(err)) {
          this.quota.refuse();
          return { container: await create(null), quota: false };
        }
        if (!(size && isLimitBelowUsage(err) && (await this.quota.widen(image)))) throw err;
      }
    }
  }

  /** The labels every container and network of a trial carries (owner: this process). */
  protected labelsFor(trialId: string): Record<string, string> {
    return { [LABEL.root]: '1', [LABEL.trial]: trialId, ...ownerLabels() };
  }

  async reapOrphans(opts: { all?: boolean } = {}): Promise<number> {
    let list: Docker.ContainerInfo[];
    try {
      list = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL.root}=1`] } });
    } catch (err) {
      throw asSystemic(err);
    }
    const orphans = list.filter((c) => opts.all || ownerGone(c.Labels));
    let removed = 0;
    for (const c of orphans) {
      try {
        await this.docker.getContainer(c.Id).remove({ force: true, v: true });
        removed++;
      } catch {
        /* already gone or being removed by someone else */
      }
    }
    // Then the networks of multi-container tasks (compose.ts) whose owner is gone: empty once their containers are.
    const networks = await this.docker.listNetworks({ filters: { label: [`${LABEL.root}=1`] } }).catch(() => []);
    for (const n of networks.filter((x) => opts.all || ownerGone(x.Labels ?? {}))) {
      await this.docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
    }
    return removed;
  }
}
