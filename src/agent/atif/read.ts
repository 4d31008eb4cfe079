/**
 * Reading ATIF v1.0–v1.8: a file of any version is normalised to the v1.8 shape we hold in memory, then
 * validated strictly. What changes between versions is additive (Harbor's models accept every older file as
 * it is), except for what our own earlier files did before v1.7 had a place for it:
 * - sub-agent runs embedded in `extra.subagent_trajectories` (and referenced by a JSON pointer
 *   `#/extra/subagent_trajectories/N` or by session id) move to the root's `subagent_trajectories` with a
 *   `trajectory_id`, and their refs name that id;
 * - a step's `extra.error_results` (indices of failed tool results) become `extra.is_error` on each result;
 * - an older trajectory with no step (our v1.4 files of a no-op agent; Harbor requires a step) gets one
 *   system step saying so. A v1.8 file without a step is refused, as Harbor does.
 * The input is never mutated.
 */
import { ATIF_SCHEMA_VERSION, ATIF_VERSIONS } from './version';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const POINTER = /^#\/extra\/subagent_trajectories\/(\d+)$/;

/** Normalises a parsed JSON value of any ATIF version to the v1.8 shape; leaves anything else as it is. */
export function normaliseTrajectory(value: unknown): unknown {
  if (!isObj(value) || !(ATIF_VERSIONS as readonly unknown[]).includes(value.schema_version)) return value;
  return normaliseOne(structuredClone(value));
}

/** A v1.8 file is taken as it is (and validated strictly); an older one is brought to the v1.8 shape. */
function normaliseOne(t: Json): Json {
  if (t.schema_version === ATIF_SCHEMA_VERSION) {
    // Harbor lets an embedded run be of any version: bring older ones to v1.8 too.
    if (Array.isArray(t.subagent_trajectories))
      t.subagent_trajectories = t.subagent_trajectories.map((sub: unknown) => normaliseTrajectory(sub));
    return t;
  }
  t.schema_version = ATIF_SCHEMA_VERSION;
  const subs = liftSubagents(t);
  const steps: unknown = t.steps;
  if (Array.isArray(steps)) {
    if (steps.length === 0)
      t.steps = [{ step_id: 1, source: 'system', message: 'No agent step was recorded.', extra: { no_steps: true } }];
    for (const step of t.steps as unknown[]) if (isObj(step)) normaliseStep(step, subs);
  }
  return t;
}

/** Moves `extra.subagent_trajectories` to the root, giving each a unique trajectory_id; returns the list. */
function liftSubagents(t: Json): Json[] {
  const extra = isObj(t.extra) ? t.extra : null;
  const legacy = extra && Array.isArray(extra.subagent_trajectories) ? extra.subagent_trajectories : null;
  if (legacy && extra) {
    if (t.subagent_trajectories === undefined) t.subagent_trajectories = legacy;
    delete extra.subagent_trajectories;
    if (Object.keys(extra).length === 0) delete t.extra;
  }
  const list: unknown = t.subagent_trajectories;
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const out = list.map((sub: unknown, i: number) => {
    if (!isObj(sub)) return sub;
    const n = normaliseTrajectory(sub) as Json;
    if (typeof n.trajectory_id !== 'string') {
      const base = typeof n.session_id === 'string' && n.session_id ? n.session_id : `subagent-${i}`;
      n.trajectory_id = seen.has(base) ? `${base}#${i}` : base;
    }
    seen.add(n.trajectory_id as string);
    return n;
  });
  t.subagent_trajectories = out;
  return out.filter(isObj);
}

function normaliseStep(step: Json, subs: Json[]): void {
  const results = isObj(step.observation) && Array.isArray(step.observation.results) ? step.observation.results : [];
  const extra = isObj(step.extra) ? step.extra : null;
  if (extra && Array.isArray(extra.error_results)) {
    for (const i of extra.error_results) {
      const r: unknown = typeof i === 'number' ? results[i] : undefined;
      if (isObj(r)) r.extra = { ...(isObj(r.extra) ? r.extra : {}), is_error: true };
    }
    delete extra.error_results;
    if (Object.keys(extra).length === 0) delete step.extra;
  }
  for (const r of results) {
    if (!isObj(r) || !Array.isArray(r.subagent_trajectory_ref)) continue;
    for (const ref of r.subagent_trajectory_ref) if (isObj(ref)) resolveRef(ref, subs);
  }
}

/** Gives a pre-v1.7 ref the trajectory_id of the embedded run it pointed at (by JSON pointer or session id). */
function resolveRef(ref: Json, subs: Json[]): void {
  if (typeof ref.trajectory_id === 'string') return;
  const m = typeof ref.trajectory_path === 'string' ? POINTER.exec(ref.trajectory_path) : null;
  const byPointer = m ? subs[Number(m[1])] : undefined;
  const bySession = ref.trajectory_path === undefined ? subs.find((s) => s.session_id === ref.session_id) : undefined;
  const target = byPointer ?? bySession;
  if (target) {
    ref.trajectory_id = target.trajectory_id;
    if (m) delete ref.trajectory_path; // the pointer is stale once the run moved to the root
  } else if (ref.trajectory_path === undefined && typeof ref.session_id === 'string') {
    ref.trajectory_id = ref.session_id; // v1.0–v1.6 resolved by session id: keep it as the id it meant
  }
}
