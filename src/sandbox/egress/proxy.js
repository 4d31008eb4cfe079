/**
 * The egress proxy of `network_mode = "allowlist"` (plain CommonJS with no dependencies: it runs as-is in
 * its own container, under the node binary that runs AutoAgent). The agent's container sits on an internal
 * network whose only other member is this proxy, so the proxy is the one way out: HTTP requests by absolute
 * URI and CONNECT tunnels (HTTPS and anything else a client tunnels) reach a host only when it is on the
 * list (ALLOWED_HOSTS, space-separated: "example.com", "*.example.com", "192.0.2.1", "192.0.2.0/24"); every
 * other request gets 403 and a line saying why. Required by the sandbox code for `isAllowed` alone.
 */
'use strict';
const http = require('node:http');
const net = require('node:net');

/** IPv4 dotted quad → 32-bit number, or null. */
function ipv4(host) {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** IPv6 text → BigInt, or null (via the WHATWG URL parser's normalisation). */
function ipv6(host) {
  if (!net.isIPv6(host)) return null;
  const full = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  const [head, tail = ''] = full.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = full.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g || '0', 16)), 0n);
}

function inCidr(host, cidr) {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const a4 = ipv4(host);
  const b4 = ipv4(base);
  if (a4 !== null && b4 !== null) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (a4 & mask) >>> 0 === (b4 & mask) >>> 0;
  }
  const a6 = ipv6(host);
  const b6 = ipv6(base);
  if (a6 === null || b6 === null) return false;
  const shift = BigInt(128 - bits);
  return a6 >> shift === b6 >> shift;
}

/** Whether `host` (a name or an IP literal, as the client asked for it) is on the list. */
function isAllowed(host, entries) {
  const h = String(host)
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  return entries.some((raw) => {
    const e = raw.toLowerCase();
    if (e.startsWith('*.')) return h.endsWith(e.slice(1)) && h.length > e.length - 1;
    if (e.includes('/')) return inCidr(h, e);
    if (net.isIPv6(e) && net.isIPv6(h)) return ipv6(e) === ipv6(h);
    return h === e;
  });
}

function deny(res, host) {
  res.writeHead(403, { 'content-type': 'text/plain' });
  res.end(`autoagent egress allowlist: ${host} is not in the task's allowed_hosts\n`);
}

function serve(entries, port) {
  const server = http.createServer((req, res) => {
    let url;
    try {
      url = new URL(req.url);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('autoagent egress proxy: send requests by absolute URI (set HTTP_PROXY), or CONNECT\n');
      return;
    }
    if (url.protocol !== 'http:' || !isAllowed(url.hostname, entries)) return deny(res, url.hostname);
    const upstream = http.request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || 80,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode || 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`autoagent egress proxy: ${err.message}\n`);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url || '');
    const host = m ? m[1] : req.url;
    if (!m || !isAllowed(host, entries)) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nautoagent egress allowlist: ${host} is not in the task's allowed_hosts\n`,
      );
      return;
    }
    const upstream = net.connect(Number(m[2]), host.replace(/^\[|\]$/g, ''), () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head && head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', (err) => {
      if (!socket.destroyed) socket.end(`HTTP/1.1 502 Bad Gateway\r\n\r\nautoagent egress proxy: ${err.message}\n`);
    });
    socket.on('error', close);
  });
  server.listen(port, '0.0.0.0', () => {
    require('node:fs').writeFileSync('/tmp/egress-proxy.ready', String(port));
    process.stdout.write(`egress proxy on :${port}, allowed: ${entries.join(' ') || '(none)'}\n`);
  });
  return server;
}

if (require.main === module) {
  const entries = (process.env.ALLOWED_HOSTS || '').split(/\s+/).filter(Boolean);
  serve(entries, Number(process.env.PORT || 3128));
}

module.exports = { isAllowed };
