/**
 * Trajectory files: write ATIF v1.8 as pretty JSON (validated and redacted again on the way out, so a bad
 * in-memory trajectory fails loudly here rather than later in a reader); load any version v1.0–v1.8,
 * normalised to v1.8, with zod validation.
 * Errors name the file and the JSON path of the offending field (e.g. `steps.2.tool_calls.0.arguments`).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ZodError } from 'zod';
import { firstIssue } from '../../util/zod-issue';
import { TrajectoryFileError } from './errors';
import { normaliseTrajectory } from './read';
import { redactDeep } from './redact';
import { TrajectorySchema, type Trajectory } from './trajectory';

export async function writeTrajectory(path: string, t: Trajectory): Promise<void> {
  const parsed = TrajectorySchema.safeParse(redactDeep(t));
  if (!parsed.success) throw fromZod(path, parsed.error);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(parsed.data, null, 2) + '\n', 'utf8');
  await rename(tmp, path);
}

export async function loadTrajectory(path: string): Promise<Trajectory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TrajectoryFileError(path, '', `cannot read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TrajectoryFileError(path, '', `invalid JSON: ${(err as Error).message}`);
  }
  return parseTrajectory(json, path);
}

/**
 * Validates a value as an ATIF trajectory of any version v1.0–v1.8, normalised to the v1.8 shape
 * (read.ts); `source` names it in errors.
 */
export function parseTrajectory(value: unknown, source = '<trajectory>'): Trajectory {
  const parsed = TrajectorySchema.safeParse(normaliseTrajectory(value));
  if (!parsed.success) throw fromZod(source, parsed.error);
  return parsed.data;
}

function fromZod(file: string, err: ZodError): TrajectoryFileError {
  const { field, message, more } = firstIssue(err);
  return new TrajectoryFileError(file, field, more > 0 ? `${message} (+${more} more)` : message);
}
