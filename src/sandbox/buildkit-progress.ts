/**
 * BuildKit's build progress, as a plain log. A BuildKit build (`POST /build?version=2`) streams its progress
 * as `moby.buildkit.trace` events whose `aux` is a base64 protobuf `StatusResponse` (moby/buildkit
 * api/services/control/control.proto); only the fields a log needs are declared here. The log reads like
 * `docker build --progress=plain`: each step once when it starts, its output, and how it ended.
 */
import protobuf from 'protobufjs';

const Timestamp = new protobuf.Type('Timestamp').add(new protobuf.Field('seconds', 1, 'int64'));
const Vertex = new protobuf.Type('Vertex')
  .add(new protobuf.Field('digest', 1, 'string'))
  .add(new protobuf.Field('name', 3, 'string'))
  .add(new protobuf.Field('cached', 4, 'bool'))
  .add(new protobuf.Field('started', 5, 'Timestamp'))
  .add(new protobuf.Field('completed', 6, 'Timestamp'))
  .add(new protobuf.Field('error', 7, 'string'));
const VertexLog = new protobuf.Type('VertexLog')
  .add(new protobuf.Field('vertex', 1, 'string'))
  .add(new protobuf.Field('msg', 4, 'bytes'));
const StatusResponse = new protobuf.Type('StatusResponse')
  .add(new protobuf.Field('vertexes', 1, 'Vertex', 'repeated'))
  .add(new protobuf.Field('logs', 3, 'VertexLog', 'repeated'));
new protobuf.Root().add(Timestamp).add(Vertex).add(VertexLog).add(StatusResponse);

interface DecodedVertex {
  digest: string;
  name: string;
  cached: boolean;
  started?: unknown;
  completed?: unknown;
  error: string;
}
interface DecodedStatus {
  vertexes: DecodedVertex[];
  logs: { vertex: string; msg: Uint8Array }[];
}

/** Turns one build's trace events into log lines; one instance per build (it numbers the steps). */
export class BuildkitProgress {
  private readonly numbers = new Map<string, number>();
  private readonly announced = new Set<string>();
  private readonly finished = new Set<string>();

  /** The log lines one `aux` payload adds (none for an undecodable one: progress is never worth a failure). */
  lines(aux: string): string[] {
    let status: DecodedStatus;
    try {
      status = StatusResponse.toObject(StatusResponse.decode(Buffer.from(aux, 'base64')), {
        defaults: true,
        arrays: true,
      }) as DecodedStatus;
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const v of status.vertexes) {
      const n = this.number(v.digest);
      if (!this.announced.has(v.digest) && (v.started || v.cached || v.completed)) {
        this.announced.add(v.digest);
        out.push(`#${n} ${v.name}\n`);
      }
      if (this.finished.has(v.digest)) continue;
      if (v.error) out.push(`#${n} ERROR: ${v.error}\n`);
      else if (v.cached) out.push(`#${n} CACHED\n`);
      else if (v.completed) out.push(`#${n} DONE\n`);
      else continue;
      this.finished.add(v.digest);
    }
    for (const l of status.logs) {
      const text = Buffer.from(l.msg).toString('utf8');
      for (const line of text.split('\n').filter((s) => s.length > 0)) out.push(`#${this.number(l.vertex)} ${line}\n`);
    }
    return out;
  }

  private number(digest: string): number {
    let n = this.numbers.get(digest);
    if (n === undefined) this.numbers.set(digest, (n = this.numbers.size + 1));
    return n;
  }
}
