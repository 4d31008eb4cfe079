/**
 * Where the Temporal server is and how to reach it, the way every Temporal SDK is configured now
 * (@temporalio/envconfig): a profile from temporal.toml (TEMPORAL_CONFIG_FILE, else
 * ~/.config/temporalio/temporal.toml; TEMPORAL_PROFILE, else "default") with the standard variables on top —
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CLIENT_CERT_PATH /
 * _KEY_PATH / SERVER_CA_CERT_PATH / SERVER_NAME … — giving TLS, mTLS and API keys (Temporal Cloud).
 * Without any of TEMPORAL_ADDRESS, TEMPORAL_PROFILE or TEMPORAL_CONFIG_FILE the CLI stays embedded (its own
 * dev server), exactly as before; a stray temporal.toml alone never sends a campaign elsewhere.
 */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';

/** A server plus what the connection needs (TLS, API key, gRPC metadata); the embedded server has only the first two. */
export interface ServerTarget {
  address: string;
  namespace: string;
  tls?: NativeConnectionOptions['tls'];
  apiKey?: string;
  metadata?: Record<string, string>;
}

const DEFAULT_ADDRESS = '127.0.0.1:7233';

type Env = Record<string, string | undefined>;

/** Whether the user pointed us at a shared server (else `run` embeds one). */
export const sharedServerConfigured = (env: Env = process.env): boolean =>
  Boolean(env.TEMPORAL_ADDRESS || env.TEMPORAL_PROFILE || env.TEMPORAL_CONFIG_FILE);

/** The configured server (profile + variables); `overrides` win over both. Bad config files throw, naming the file. */
export function serverTarget(overrides: Partial<ServerTarget> = {}, env: Env = process.env): ServerTarget {
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  let loaded: ReturnType<typeof loadClientConnectConfig>;
  try {
    loaded = loadClientConnectConfig({
      ...(env.TEMPORAL_PROFILE ? { profile: env.TEMPORAL_PROFILE } : {}),
      overrideEnvVars: vars,
    });
  } catch (err) {
    const file = env.TEMPORAL_CONFIG_FILE ?? '~/.config/temporalio/temporal.toml';
    throw new Error(
      `Temporal client config (${file}${env.TEMPORAL_PROFILE ? `, profile "${env.TEMPORAL_PROFILE}"` : ''}): ${(err as Error).message}`,
    );
  }
  const c = loaded.connectionOptions;
  return {
    address: overrides.address ?? c.address ?? DEFAULT_ADDRESS,
    namespace: overrides.namespace ?? loaded.namespace ?? 'default',
    ...(c.tls !== undefined && c.tls !== null ? { tls: c.tls } : {}),
    ...(typeof c.apiKey === 'string' ? { apiKey: c.apiKey } : {}),
    ...(c.metadata ? { metadata: c.metadata as Record<string, string> } : {}),
  };
}

const connectionOptions = (t: ServerTarget): NativeConnectionOptions => ({
  address: t.address,
  ...(t.tls !== undefined ? { tls: t.tls } : {}),
  ...(t.apiKey ? { apiKey: t.apiKey } : {}),
  ...(t.metadata ? { metadata: t.metadata } : {}),
});

export async function connectClient(target: ServerTarget): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(target) as Parameters<typeof Connection.connect>[0]);
  return new Client({ connection, namespace: target.namespace });
}

export const connectWorker = (target: ServerTarget): Promise<NativeConnection> =>
  NativeConnection.connect(connectionOptions(target));

/** For logs: where, never the key. */
export const describeTarget = (t: ServerTarget): string =>
  `${t.address} (${t.namespace}${t.tls ? ', TLS' : ''}${t.apiKey ? ', API key' : ''})`;
