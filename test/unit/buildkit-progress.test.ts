/** BuildKit's `moby.buildkit.trace` progress, decoded into a plain build log. */
import protobuf from 'protobufjs';
import { BuildkitProgress } from '../../src/sandbox/buildkit-progress';
import { builderFromEnv } from '../../src/sandbox/image';

/** A StatusResponse as BuildKit encodes it (control.proto field numbers), base64 like the `aux` field. */
function status(opts: {
  vertexes?: {
    digest: string;
    name: string;
    started?: boolean;
    completed?: boolean;
    cached?: boolean;
    error?: string;
  }[];
  logs?: { vertex: string; msg: string }[];
}): string {
  const w = protobuf.Writer.create();
  for (const v of opts.vertexes ?? []) {
    const vw = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .string(v.digest)
      .uint32((3 << 3) | 2)
      .string(v.name);
    if (v.cached) vw.uint32(4 << 3).bool(true);
    if (v.started)
      vw.uint32((5 << 3) | 2)
        .fork()
        .uint32(1 << 3)
        .int64(1)
        .ldelim();
    if (v.completed)
      vw.uint32((6 << 3) | 2)
        .fork()
        .uint32(1 << 3)
        .int64(2)
        .ldelim();
    if (v.error) vw.uint32((7 << 3) | 2).string(v.error);
    w.uint32((1 << 3) | 2).bytes(vw.finish());
  }
  for (const l of opts.logs ?? [])
    w.uint32((3 << 3) | 2).bytes(
      protobuf.Writer.create()
        .uint32((1 << 3) | 2)
        .string(l.vertex)
        .uint32((4 << 3) | 2)
        .bytes(Buffer.from(l.msg))
        .finish(),
    );
  return Buffer.from(w.finish()).toString('base64');
}

test('steps are numbered, announced once, their output and their end logged', () => {
  const p = new BuildkitProgress();
  expect(p.lines(status({ vertexes: [{ digest: 'sha256:a', name: '[1/2] FROM debian' }] }))).toEqual([]);
  expect(p.lines(status({ vertexes: [{ digest: 'sha256:a', name: '[1/2] FROM debian', started: true }] }))).toEqual([
    '#1 [1/2] FROM debian\n',
  ]);
  expect(
    p.lines(
      status({
        vertexes: [
          { digest: 'sha256:a', name: '[1/2] FROM debian', started: true, completed: true },
          { digest: 'sha256:b', name: '[2/2] RUN make', started: true },
        ],
        logs: [{ vertex: 'sha256:b', msg: 'compiling\nlinking\n' }],
      }),
    ),
  ).toEqual(['#1 DONE\n', '#2 [2/2] RUN make\n', '#2 compiling\n', '#2 linking\n']);
  expect(
    p.lines(
      status({
        vertexes: [
          { digest: 'sha256:b', name: '[2/2] RUN make', started: true, completed: true, error: 'exit code: 2' },
        ],
      }),
    ),
  ).toEqual(['#2 ERROR: exit code: 2\n']);
  // A finished step is not reported again when BuildKit resends it.
  expect(
    p.lines(status({ vertexes: [{ digest: 'sha256:a', name: '[1/2] FROM debian', started: true, completed: true }] })),
  ).toEqual([]);
  expect(p.lines(status({ vertexes: [{ digest: 'sha256:c', name: 'COPY x', cached: true }] }))).toEqual([
    '#3 COPY x\n',
    '#3 CACHED\n',
  ]);
});

test('an undecodable payload adds nothing (progress is never worth a failed build)', () => {
  expect(new BuildkitProgress().lines(Buffer.from([0xff, 0xff, 0xff]).toString('base64'))).toEqual([]);
});

test('the builder is chosen by AUTOAGENT_BUILDER and AUTOAGENT_DOCKERFILE_FRONTEND', () => {
  expect(builderFromEnv({})).toEqual({ builder: 'buildkit', dockerfileFrontend: 'auto' });
  expect(builderFromEnv({ AUTOAGENT_BUILDER: 'classic', AUTOAGENT_DOCKERFILE_FRONTEND: '' })).toEqual({
    builder: 'classic',
    dockerfileFrontend: null,
  });
  expect(builderFromEnv({ AUTOAGENT_DOCKERFILE_FRONTEND: 'docker/dockerfile:1.7' }).dockerfileFrontend).toBe(
    'docker/dockerfile:1.7',
  );
  expect(() => builderFromEnv({ AUTOAGENT_BUILDER: 'kaniko' })).toThrow(
    /AUTOAGENT_BUILDER: expected "buildkit" or "classic"/,
  );
});
