/**
 * The live view (`autoagent ui`): a read-only HTTP server on 127.0.0.1 that renders the same page in
 * 'live' mode and answers `/data.json` (rebuilt from the store on every request, so it follows a running
 * campaign) and `/trajectory/<trialId>` (one trial's payload, on demand). Only GET/HEAD; nothing writes;
 * only requests whose Host is this server's own loopback address are answered (DNS rebinding).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CampaignStore } from '../store/store';
import { buildReportData, resolveCampaign } from './data';
import type { ReportData } from './types';
import { renderPage, scriptJson } from './html';
import { openCampaignStore } from './generate';
import { payloadJson, trialPayload } from './trajectories';

export interface ServeOptions {
  dir: string;
  /** 0 picks a free port. */
  port: number;
  campaign?: string;
  /** The workflow's status (e.g. a Temporal query); null or a rejection just hides it. */
  status?: () => Promise<unknown>;
}

export interface ReportServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function send(
  res: http.ServerResponse,
  code: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(code, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' || code === 304 ? undefined : body);
}

async function currentStatus(opts: ServeOptions): Promise<unknown> {
  if (!opts.status) return null;
  return opts.status().catch(() => null);
}

/**
 * The current data: rebuilt only when the store's stamp changed (a 10,000-trial rebuild takes seconds and
 * the client polls every few); the ETag covers the stamp and the workflow status, so an unchanged poll
 * is answered 304 without a body.
 */
function liveData(store: CampaignStore, campaign: string, opts: ServeOptions) {
  let cache: { stamp: string; data: ReportData } | null = null;
  let json: { etag: string; body: string } | null = null;
  return async (): Promise<{ data: ReportData; etag: string; body: () => string }> => {
    const stamp = await store.campaignStamp(campaign);
    const status = await currentStatus(opts);
    if (cache?.stamp !== stamp) cache = { stamp, data: await buildReportData(store, { campaign }) };
    const data = { ...cache.data, status };
    const etag = `"${createHash('sha1')
      .update(stamp)
      .update(JSON.stringify(status ?? null))
      .digest('hex')}"`;
    const body = (): string => {
      if (json?.etag !== etag) json = { etag, body: scriptJson(data) };
      return json.body;
    };
    return { data, etag, body };
  };
}

/**
 * DNS rebinding: a web page from evil.example can re-point its own name at 127.0.0.1 and read this server
 * from the user's browser as same-origin. Its requests still carry `Host: evil.example:<port>`, so only the
 * loopback names of this very port are served; anything else (or no Host) is 403.
 */
function allowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}

function route(store: CampaignStore, campaign: string, opts: ServeOptions, port: () => number) {
  const current = liveData(store, campaign, opts);
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!allowedHost(req.headers.host, port()))
      return send(
        res,
        403,
        'text/plain',
        'forbidden: this live view answers only to 127.0.0.1, localhost or [::1] on its port\n',
      );
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'read-only: GET only\n');
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      return send(res, 200, 'text/html', renderPage({ data: (await current()).data, mode: 'live' }));
    }
    if (url.pathname === '/data.json') {
      const { etag, body } = await current();
      const headers = { etag, 'cache-control': 'no-cache' };
      if (req.headers['if-none-match'] === etag) return send(res, 304, 'application/json', '', headers);
      return send(res, 200, 'application/json', body(), headers);
    }
    const m = /^\/trajectory\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const trial = await store.getTrial(decodeURIComponent(m[1] as string));
      if (!trial || trial.campaign !== campaign)
        return send(res, 404, 'application/json', JSON.stringify({ error: 'no such trial' }));
      return send(res, 200, 'application/json', payloadJson(await trialPayload(store, trial)));
    }
    return send(res, 404, 'text/plain', 'not found\n');
  };
}

export async function startReportServer(opts: ServeOptions): Promise<ReportServer> {
  const store = await openCampaignStore(opts.dir);
  const campaign = await resolveCampaign(store, opts.campaign).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  let port = 0;
  const handle = route(store, campaign, opts, () => port);
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `report error: ${err.message}\n`);
      else res.destroy(err);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          void store.close().finally(resolve);
        });
      }),
  };
}
