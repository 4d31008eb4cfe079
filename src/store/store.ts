/**
 * The campaign store: records (trials, candidates, proposals, events) in the record store and their
 * contents (trajectories, logs, harness versions, diffs) in the artifact store, written once each.
 * `AUTOAGENT_STORE` (`sqlite:<path>` or `postgres://…`) and `AUTOAGENT_ARTIFACTS` (`file:<dir>` or
 * `s3://bucket/prefix`) choose them; unset, both live in the campaign folder (`store.sqlite`,
 * `artifacts/`) exactly as they always have. Trials are recorded exactly once (the deterministic trial id),
 * so a retried activity or a second worker can never double-count or double-pay.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { artifactStoreFromEnv } from '../artifacts/from-url';
import type { ArtifactStore } from '../artifacts/port';
import type { CandidateRecord } from '../search/types';
import type { TrialResult } from '../trial/types';
import { StoreError } from './errors';
import { RecordStore } from './records/record-store';
import { storeLocationFromEnv } from './records/url';
import type { ProposalInput, StoredCandidate, StoredEvent, StoredProposal, StoredTrial } from './rows';
import { storeFile } from '../campaign/layout';

export interface RecordTrialOptions {
  campaign: string;
  candidateId: string | null;
  /** Task content hash: with the task name, harness id, model and repeat it is the cache key. */
  taskHash: string;
  /** ATIF trajectory (text or object), stored as an artifact. */
  trajectoryJson?: string | object;
  verifierLog?: string;
  /** The trial folder's other files, already stored as one bundle. */
  filesHash?: string | null;
}

/**
 * What makes two trials the same experiment. The task's name is part of it, not only its bytes: a holdout
 * task that is a byte copy of a train task must run its own trials, never be served the train trial.
 */
export interface CacheKey {
  harnessId: string | null;
  /** Task name (the `task` column): its identity within the benchmark. */
  task: string;
  taskHash: string;
  model: string | null;
  repeat: number;
}

export interface RecordCandidateOptions {
  campaign: string;
  /** The harness files ({relPath: content}); stored as one artifact. */
  harnessFiles?: Record<string, string>;
  /** Unified diff against the parent, stored as an artifact. */
  diff?: string;
  /** Or the artifact of that diff, already stored (a proposal stores its diff once). */
  diffHash?: string | null;
}

const toText = (x: string | object): string => (typeof x === 'string' ? x : JSON.stringify(x));
const HarnessFiles = z.record(z.string(), z.string());
type Env = Record<string, string | undefined>;

export class CampaignStore {
  private constructor(
    /** The campaign folder (local files: trial folders, harness copies, the embedded server). */
    readonly dir: string,
    readonly records: RecordStore,
    readonly artifacts: ArtifactStore,
  ) {}

  /** Opens (creating and migrating if needed) the campaign's record and artifact stores. */
  static async open(dir: string, opts: { now?: () => Date; env?: Env } = {}): Promise<CampaignStore> {
    const root = path.resolve(dir);
    const env = opts.env ?? process.env;
    const artifacts = artifactStoreFromEnv(root, env);
    const records = await RecordStore.open(storeLocationFromEnv(storeFile(root), env), { now: opts.now });
    return new CampaignStore(root, records, artifacts);
  }

  /** Where the records are, for messages (a file, or a Postgres URL without its password). */
  get file(): string {
    return this.records.where;
  }

  close(): Promise<void> {
    return this.records.close();
  }

  putArtifact = (data: Buffer | string): Promise<string> => this.artifacts.put(data);
  getArtifact = (hash: string): Promise<Buffer> => this.artifacts.get(hash);
  getArtifactText = async (hash: string): Promise<string> => (await this.artifacts.get(hash)).toString('utf8');

  /**
   * Stores a harness as one JSON blob {relPath: content} with keys sorted, so equal harnesses get equal
   * hashes whatever order their files were read in.
   */
  putHarness(files: Record<string, string>): Promise<string> {
    const sorted = Object.fromEntries(
      Object.keys(files)
        .sort()
        .map((k) => [k, files[k] as string]),
    );
    return this.putArtifact(JSON.stringify(sorted));
  }

  async getHarness(hash: string): Promise<Record<string, string>> {
    const parsed = HarnessFiles.safeParse(JSON.parse(await this.getArtifactText(hash)));
    if (!parsed.success)
      throw new StoreError(`harness artifact ${hash} is not a {path: content} object`, this.artifacts.url);
    return parsed.data;
  }

  /** Records a trial once; a second call with the same trial id changes nothing and returns inserted: false. */
  async recordTrial(result: TrialResult, opts: RecordTrialOptions): Promise<{ inserted: boolean; trialId: string }> {
    const trajectoryHash =
      opts.trajectoryJson === undefined ? null : await this.putArtifact(toText(opts.trajectoryJson));
    const verifierLogHash = opts.verifierLog === undefined ? null : await this.putArtifact(opts.verifierLog);
    return this.records.recordTrial(result, {
      campaign: opts.campaign,
      candidateId: opts.candidateId,
      taskHash: opts.taskHash,
      trajectoryHash,
      verifierLogHash,
      filesHash: opts.filesHash ?? null,
    });
  }

  getTrial = (trialId: string): Promise<StoredTrial | null> => this.records.getTrial(trialId);

  /** A trial already paid for with the same harness × task (name and content) × model × repeat, whatever campaign ran it. */
  findCachedTrial = (key: CacheKey): Promise<StoredTrial | null> => this.records.findCachedTrial(key);

  listTrials = (campaign: string, filter: { candidateId?: string; task?: string } = {}): Promise<StoredTrial[]> =>
    this.records.listTrials(campaign, filter);

  /** Inserts or updates a candidate (a proposal is recorded first, its scores later); artifacts are kept if not given. */
  async recordCandidate(rec: CandidateRecord, opts: RecordCandidateOptions): Promise<StoredCandidate> {
    const harnessHash = opts.harnessFiles ? await this.putHarness(opts.harnessFiles) : null;
    const diffHash = opts.diffHash ?? (opts.diff === undefined ? null : await this.putArtifact(opts.diff));
    return this.records.recordCandidate(rec, { campaign: opts.campaign, harnessHash, diffHash });
  }

  getCandidate = (id: string): Promise<StoredCandidate | null> => this.records.getCandidate(id);
  listCandidates = (campaign: string): Promise<StoredCandidate[]> => this.records.listCandidates(campaign);

  /** Records a meta-agent proposal once (keyed by proposal id). */
  async recordProposal(
    p: ProposalInput,
    opts: { trajectoryJson?: string | object } = {},
  ): Promise<{ inserted: boolean }> {
    const trajectoryHash =
      opts.trajectoryJson === undefined ? null : await this.putArtifact(toText(opts.trajectoryJson));
    return this.records.recordProposal(p, { trajectoryHash });
  }

  listProposals = (campaign: string): Promise<StoredProposal[]> => this.records.listProposals(campaign);

  /** Campaign names with any record in this store (a campaign folder's own store normally holds exactly one). */
  listCampaigns = (): Promise<string[]> => this.records.listCampaigns();

  /**
   * A cheap fingerprint of a campaign's records: it changes whenever a trial, proposal, event or candidate
   * update is written, so a reader (the live report) can skip rebuilding when nothing changed.
   */
  campaignStamp = (campaign: string): Promise<string> => this.records.campaignStamp(campaign);

  /** Appends to the campaign's event log; returns the event id (monotonic). */
  appendEvent = (campaign: string, kind: string, data: unknown = {}): Promise<number> =>
    this.records.appendEvent(campaign, kind, data);

  listEvents = (campaign: string, filter: { kind?: string; afterId?: number } = {}): Promise<StoredEvent[]> =>
    this.records.listEvents(campaign, filter);
}

/** Opens (creating and migrating if needed) the store of a campaign folder (AUTOAGENT_STORE / _ARTIFACTS apply). */
export function openStore(dir: string, opts: { now?: () => Date; env?: Env } = {}): Promise<CampaignStore> {
  return CampaignStore.open(dir, opts);
}

/**
 * Whether a campaign folder may have records: a shared store (AUTOAGENT_STORE) might; the embedded one
 * only once its store.sqlite exists (readers never create one).
 */
export const campaignStoreExists = (dir: string, env: Env = process.env): boolean =>
  Boolean(env.AUTOAGENT_STORE) || existsSync(storeFile(path.resolve(dir)));

/** One store per campaign folder per process (one connection pool; SQLite WAL is safe across processes). */
export function storeCache(): (dir: string) => Promise<CampaignStore> {
  const stores = new Map<string, Promise<CampaignStore>>();
  return (dir) => {
    let s = stores.get(dir);
    if (!s) {
      s = openStore(dir);
      // A failed open is not cached: the next call tries again (the database may be back).
      s.catch(() => stores.delete(dir));
      stores.set(dir, s);
    }
    return s;
  };
}
