/**
 * ATIF schema versions. ATIF is Harbor's Agent Trajectory Interchange Format (harbor docs/rfcs/0001 and the
 * pydantic models in `harbor.models.trajectories`). We write v1.8, the version PyPI `harbor` 0.26 writes,
 * and read every version from v1.0 (src/agent/atif/read.ts normalises older files to the v1.8 shape).
 */
import { z } from 'zod';

export const ATIF_SCHEMA_VERSION = 'ATIF-v1.8' as const;
export const ATIF_VERSIONS = [
  'ATIF-v1.0',
  'ATIF-v1.1',
  'ATIF-v1.2',
  'ATIF-v1.3',
  'ATIF-v1.4',
  'ATIF-v1.5',
  'ATIF-v1.6',
  'ATIF-v1.7',
  'ATIF-v1.8',
] as const;

/** What we write (and what the in-memory shape is). */
export const SchemaVersionSchema = z.literal(ATIF_SCHEMA_VERSION);
/** Name and version of our task agent as recorded in `agent.name` / `agent.version`. */
export const AUTOAGENT_AGENT_VERSION = '0.1.0';
