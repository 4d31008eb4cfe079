/**
 * Temporal beyond localhost: the connection is configured the way every Temporal SDK is (@temporalio/envconfig:
 * temporal.toml profiles + TEMPORAL_* variables). The dev server speaks plain gRPC, so the test puts a real
 * mTLS terminator in front of it (Node's tls, client certificates required, ALPN h2) with certificates made
 * by openssl: a client and a worker configured by profile connect through it; one without a client
 * certificate, or not trusting the server's CA, cannot.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {
  connectClient,
  connectWorker,
  describeTarget,
  serverTarget,
  sharedServerConfigured,
} from '../../src/temporal/connection';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

const dir = mkdtempSync(path.join(os.tmpdir(), 'aa-tls-'));
const f = (name: string): string => path.join(dir, name);
let dev: DevServer;
let proxy: tls.Server;
let proxyAddress: string;

function makeCertificates(): void {
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=autoagent-test-ca',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  );
  // v3 certificates with their usages: rustls (the worker's connection) refuses v1 ones.
  writeFileSync(f('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
  );
  ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('server.ext'),
    '-out',
    f('server.pem'),
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=autoagent-worker',
    '-keyout',
    f('client.key'),
    '-out',
    f('client.csr'),
  );
  ssl(
    'x509',
    '-req',
    '-in',
    f('client.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('client.ext'),
    '-out',
    f('client.pem'),
  );
  // A second CA the server does not trust, for the negative case.
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=stranger',
    '-keyout',
    f('stranger.key'),
    '-out',
    f('stranger.pem'),
  );
}

beforeAll(async () => {
  makeCertificates();
  dev = await startDevServer({ dbFile: f('temporal.sqlite') });
  const [host, port] = dev.address.split(':') as [string, string];
  proxy = tls.createServer(
    {
      key: readFileSync(f('server.key')),
      cert: readFileSync(f('server.pem')),
      ca: readFileSync(f('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      const upstream = net.connect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      const end = (): void => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', end);
      upstream.on('error', end);
    },
  );
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyAddress = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  writeFileSync(
    f('temporal.toml'),
    [
      '[profile.secure]',
      `address = "${proxyAddress}"`,
      'namespace = "default"',
      '[profile.secure.tls]',
      `client_cert_path = "${f('client.pem')}"`,
      `client_key_path = "${f('client.key')}"`,
      `server_ca_cert_path = "${f('ca.pem')}"`,
      'server_name = "localhost"',
      '[profile.nocert]',
      `address = "${proxyAddress}"`,
      '[profile.nocert.tls]',
      `server_ca_cert_path = "${f('ca.pem')}"`,
      'server_name = "localhost"',
      '',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await dev?.stop();
});

const env = (extra: Record<string, string>): Record<string, string> => ({
  TEMPORAL_CONFIG_FILE: f('temporal.toml'),
  ...extra,
});

test('no TEMPORAL_* variable: embedded mode, as before', () => {
  expect(sharedServerConfigured({})).toBe(false);
  expect(serverTarget({}, {})).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
  expect(sharedServerConfigured({ TEMPORAL_PROFILE: 'secure' })).toBe(true);
});

test('a profile with mTLS reaches the server through the TLS terminator: client and worker', async () => {
  const target = serverTarget({}, env({ TEMPORAL_PROFILE: 'secure' }));
  expect(target.address).toBe(proxyAddress);
  expect(describeTarget(target)).toContain('TLS');
  const client = await connectClient(target);
  try {
    const info = await client.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBeTruthy();
  } finally {
    await client.connection.close();
  }
  const worker = await connectWorker(target);
  await worker.close();
}, 60_000);

test('the standard variables override the profile (namespace, API key), and the key is never printed', () => {
  const target = serverTarget(
    {},
    env({ TEMPORAL_PROFILE: 'secure', TEMPORAL_NAMESPACE: 'prod', TEMPORAL_API_KEY: 'sk-temporal-secret-123' }),
  );
  expect(target).toMatchObject({ address: proxyAddress, namespace: 'prod', apiKey: 'sk-temporal-secret-123' });
  expect(describeTarget(target)).not.toContain('sk-temporal');
  const byVars = serverTarget(
    {},
    {
      TEMPORAL_ADDRESS: proxyAddress,
      TEMPORAL_TLS_CLIENT_CERT_PATH: f('client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: f('client.key'),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: f('ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
      TEMPORAL_CONFIG_FILE: f('none.toml'),
    },
  );
  expect(byVars.tls).toBeTruthy();
});

test('without a client certificate, or trusting another CA, the connection is refused', async () => {
  await expect(connectClient(serverTarget({}, env({ TEMPORAL_PROFILE: 'nocert' })))).rejects.toThrow();
  const stranger = serverTarget(
    {},
    env({ TEMPORAL_PROFILE: 'secure', TEMPORAL_TLS_SERVER_CA_CERT_PATH: f('stranger.pem') }),
  );
  await expect(connectClient(stranger)).rejects.toThrow();
}, 120_000);

test('a broken config file is an error naming it', () => {
  writeFileSync(f('bad.toml'), '[profile.x\naddress = 1\n');
  expect(() => serverTarget({}, { TEMPORAL_CONFIG_FILE: f('bad.toml') })).toThrow(/bad\.toml/);
});
