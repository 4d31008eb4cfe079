/**
 * `network_mode = "allowlist"` against real Docker: the agent's container reaches an allowed host through the
 * egress proxy (plain HTTP by absolute URI, and a CONNECT tunnel), gets 403 for a host not on the list, and
 * reaches nothing directly; the proxy container and the trial's network go with the trial. The "internet"
 * here is two web servers on Docker's default bridge (no registry or outside network on this machine).
 */
import type Docker from 'dockerode';
import { DockerSandboxProvider, LABEL } from '../../../src/sandbox/provider';
import { runTrial } from '../../../src/trial/run-trial';
import { scriptAgent } from '../../security/support';
import { docker, makeTask, requireDocker, requireStandin, tmpDir } from './support';

const provider = new DockerSandboxProvider();
const WEB_IMAGE = 'python:3.13-slim-bookworm'; // a local stand-in (set-up builds it): has python3 for a web server
let outDir: string;
const webs: Docker.Container[] = [];

async function web(body: string): Promise<string> {
  const c = await docker.createContainer({
    Image: WEB_IMAGE,
    Cmd: ['sh', '-c', `mkdir -p /srv && echo ${body} > /srv/index.html && cd /srv && exec python3 -m http.server 8000`],
    Labels: { 'autoagent.test': 'allowlist' },
    HostConfig: { NetworkMode: 'bridge' },
  });
  webs.push(c);
  await c.start();
  return (await c.inspect()).NetworkSettings.IPAddress;
}

beforeAll(async () => {
  await requireDocker();
  requireStandin(WEB_IMAGE);
  outDir = await tmpDir('aa-allowlist-');
}, 900_000);

afterAll(async () => {
  await Promise.all(webs.map((c) => c.remove({ force: true }).catch(() => undefined)));
});

// bash's /dev/tcp (the agent's image has no curl): one request through the proxy, the reply printed.
const viaProxy = (request: string): string =>
  `(exec 3<>/dev/tcp/egress-proxy/3128 && printf '${request}\\r\\n\\r\\n' >&3 && timeout 10 cat <&3)`;

test('an allowed host is reached through the proxy, any other gets 403, nothing goes out directly', async () => {
  const [allowed, denied] = await Promise.all([web('allowed-body'), web('denied-body')]);
  const task = await makeTask({
    name: 'allowlist',
    toml: `version = "1.0"\n[environment]\nmemory_mb = 256\nnetwork_mode = "allowlist"\nallowed_hosts = ["${allowed}"]\n[agent]\ntimeout_sec = 120\n`,
  });
  await provider.ensureImage(task);
  const script = [
    'echo "proxy=$HTTP_PROXY"',
    `for i in 1 2 3 4 5 6 7 8 9 10; do ${viaProxy(`GET http://${allowed}:8000/ HTTP/1.0`)} > /tmp/get.txt 2>&1 && grep -q allowed-body /tmp/get.txt && break; sleep 1; done; echo "get: $(tail -n 1 /tmp/get.txt)"`,
    `echo "tunnel: $(${viaProxy(`CONNECT ${allowed}:8000 HTTP/1.1`)} | head -n 1)"`,
    `echo "denied: $(${viaProxy(`GET http://${denied}:8000/ HTTP/1.0`)} | tail -n 1)"`,
    `echo "denied-tunnel: $(${viaProxy(`CONNECT ${denied}:8000 HTTP/1.1`)} | head -n 1)"`,
    `if timeout 5 bash -c 'exec 3<>/dev/tcp/${allowed}/8000' 2>/dev/null; then echo direct: open; else echo direct: closed; fi`,
    'echo hello > /app/out.txt',
  ].join('\n');
  const agent = scriptAgent(script);
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(r).toMatchObject({ reward: 1, error: null });
  const out = agent.runs[0]?.stdout ?? '';
  expect(out).toContain('proxy=http://egress-proxy:3128');
  expect(out).toContain('get: allowed-body');
  expect(out).toMatch(/tunnel: HTTP\/1\.1 200 Connection Established/);
  expect(out).toContain(`denied: autoagent egress allowlist: ${denied} is not in the task's allowed_hosts`);
  expect(out).toMatch(/denied-tunnel: HTTP\/1\.1 403 Forbidden/);
  expect(out).toContain('direct: closed');
  const left = {
    containers: (await docker.listContainers({ all: true, filters: { label: [`${LABEL.trial}=${r.trialId}`] } }))
      .length,
    networks: (await docker.listNetworks({ filters: { label: [`${LABEL.trial}=${r.trialId}`] } })).length,
  };
  expect(left).toEqual({ containers: 0, networks: 0 });
}, 600_000);
