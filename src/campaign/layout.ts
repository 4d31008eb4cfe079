/**
 * A campaign folder's layout: the one place its names are spelled (pure path joins, no I/O). Campaigns live
 * in `<campaign.yaml's folder>/.autoagent/<name>/`:
 *   store.sqlite                       the campaign store (records)
 *   artifacts/<sha256[0:2]>/<sha256>   content-addressed blobs (the local artifact store)
 *   harnesses/<id>/                    every candidate harness, by content id
 *   proposals/<attempt>/slot-<k>-meta/ a proposal's meta-agent files (its trajectory, transient workspace)
 *   trials/<trialId>/                  each trial's folder (its inside: trial/artifacts.ts)
 *   temporal.sqlite                    the embedded Temporal dev server's database
 *   server.json, run.lock              the dev server `autoagent run` started, and its start lock
 *   report.html                        `autoagent report`'s default output
 */
import path from 'node:path';

export const CAMPAIGNS_FOLDER = '.autoagent';
export const STORE_FILE = 'store.sqlite';

/** The folder holding every campaign of a campaign.yaml. */
export const campaignsRootFor = (configFile: string): string => path.join(path.dirname(configFile), CAMPAIGNS_FOLDER);
export const campaignDirFor = (configFile: string, name: string): string =>
  path.join(campaignsRootFor(configFile), name);

export const storeFile = (campaignDir: string): string => path.join(campaignDir, STORE_FILE);
export const artifactsDir = (root: string): string => path.join(root, 'artifacts');
export const artifactFile = (root: string, hash: string): string =>
  path.join(artifactsDir(root), hash.slice(0, 2), hash);
export const harnessesDir = (campaignDir: string): string => path.join(campaignDir, 'harnesses');
export const harnessDir = (campaignDir: string, id: string): string => path.join(harnessesDir(campaignDir), id);
export const proposalMetaDir = (campaignDir: string, attemptLabel: string, slot: number): string =>
  path.join(campaignDir, 'proposals', attemptLabel, `slot-${slot}-meta`);
export const trialsDir = (campaignDir: string): string => path.join(campaignDir, 'trials');
export const temporalDbFile = (campaignDir: string): string => path.join(campaignDir, 'temporal.sqlite');
export const serverFile = (campaignDir: string): string => path.join(campaignDir, 'server.json');
export const startLockFile = (campaignDir: string): string => path.join(campaignDir, 'run.lock');
export const reportFile = (campaignDir: string): string => path.join(campaignDir, 'report.html');
