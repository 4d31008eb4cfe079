/**
 * Attack: DNS rebinding against the live view (`autoagent ui`). A page on evil.example re-points its own
 * name at 127.0.0.1 and reads the campaign (trajectories, diffs) from the user's browser as same-origin.
 * The server listened on 127.0.0.1 only, but answered any Host. Now only Host 127.0.0.1:<port>,
 * localhost:<port> or [::1]:<port> is served; anything else is 403.
 */
import http from 'node:http';
import { rmSync } from 'node:fs';
import { startReportServer, type ReportServer } from '../../src/report/server';
import { writeDemoCampaign } from '../browser/campaign-fixture';

let dir = '';
let server: ReportServer;

beforeAll(async () => {
  dir = await writeDemoCampaign();
  server = await startReportServer({ dir, port: 0 });
});
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A GET to the server's real address with a chosen Host header (what a rebound browser sends). */
function get(pathname: string, host: string | null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = host === null ? {} : { host };
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathname, method: 'GET', headers, setHost: host !== null },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('live view Host check', () => {
  it.each([['evil.example:PORT'], ['evil.example'], ['127.0.0.1.evil.example:PORT'], ['127.0.0.1:1'], ['localhost']])(
    'refuses Host %s with 403 and no data',
    async (host) => {
      for (const p of ['/', '/data.json']) {
        const r = await get(p, host.replace('PORT', String(server.port)));
        expect(r.status).toBe(403);
        expect(r.body).not.toContain('"campaign"');
      }
    },
  );

  it('refuses a request without a Host header', async () => {
    // Node's HTTP/1.1 parser answers 400 before our handler runs; either way, no data.
    const r = await get('/data.json', null);
    expect([400, 403]).toContain(r.status);
    expect(r.body).not.toContain('"campaign"');
  });

  it.each([['127.0.0.1:PORT'], ['localhost:PORT'], ['LOCALHOST:PORT'], ['[::1]:PORT']])(
    'serves Host %s',
    async (host) => {
      const r = await get('/data.json', host.replace('PORT', String(server.port)));
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toHaveProperty('campaign');
    },
  );
});
