/**
 * HTTP plumbing shared by the two local model stand-ins (the Messages API fake and the OpenAI-compatible
 * fake): reading a body, waiting without outliving the client, sending JSON or a verbatim answer, and taking
 * the next scripted reply. Each server keeps only what its API's wire format makes different.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReplySchema, type FakeReply, type FakeScript, type RecordedRequest } from './script';

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: unknown) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c))));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A request's body (parsed JSON, or the raw text when it is not JSON: the caller reports it) and its path. */
export async function readRequest(req: http.IncomingMessage): Promise<{ body: unknown; path: string }> {
  const raw = await readBody(req);
  let body: unknown = raw;
  try {
    body = JSON.parse(raw);
  } catch {
    /* keep raw text: reported by the caller as a bad request */
  }
  return { body, path: (req.url ?? '').split('?')[0] ?? '' };
}

/** Resolves true after ms, or false as soon as the client disconnects. */
export function wait(ms: number, res: http.ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(true), ms);
    res.once('close', () => {
      clearTimeout(t);
      resolve(false);
    });
  });
}

/** A JSON answer with a fresh request id under `requestIdHeader` (the header name differs per API). */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  requestIdHeader: string,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    [requestIdHeader]: `req_fake_${Date.now().toString(36)}`,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** A scripted verbatim answer (a misbehaving endpoint: `{}`, an HTML page from a proxy, a truncated body). */
export function sendRaw(res: http.ServerResponse, r: { raw: string; status?: number; contentType?: string }): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(r.status ?? 200, {
    'content-type': r.contentType ?? 'application/json',
    'request-id': `req_fake_raw_${Date.now().toString(36)}`,
  });
  res.end(r.raw);
}

/** The i-th reply of a script (array or function), validated; past its end, a 400 naming the server. */
export async function nextReply(
  script: FakeScript,
  rec: RecordedRequest,
  i: number,
  server: string,
): Promise<FakeReply> {
  const r = typeof script === 'function' ? await script(rec, i) : script[i];
  if (r === undefined) return { error: 'bad_request', message: `${server}: script exhausted at call ${i}` };
  return ReplySchema.parse(r);
}

/** A listening server's lifecycle: `down()` refuses connections (clients see ECONNREFUSED), `up()` listens again. */
export interface ServerLifecycle {
  port: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:<port> (0: any free port) and returns the server's lifecycle. */
export async function listenLocal(server: http.Server, port = 0): Promise<ServerLifecycle> {
  const listen = (p: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (server.listening) return resolve();
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(port);
  const bound = (server.address() as AddressInfo).port;
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  return { port: bound, down: stop, up: () => listen(bound), close: stop };
}
