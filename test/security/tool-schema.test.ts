/**
 * Attack (or accident): a custom tool whose input_schema is not a JSON Schema (`properties: 5`) was
 * accepted and sent to the model API, where every real call fails; a tool input the schema forbids
 * (minimum, pattern) reached the tool's command. Now input_schema is checked by a real JSON Schema validator
 * (ajv, against its meta-schema) when the harness is loaded — so `eval`, `run`'s seed check, every trial and
 * the meta-agent's validate_harness refuse it, naming the file and field — and tool inputs are checked
 * against every keyword of the schema.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { firstInputProblem } from '../../src/util/json-schema';
import { HarnessError } from '../../src/harness/errors';
import { loadHarness } from '../../src/harness/load';
import { validateHarness } from '../../src/harness/load';

const FULL = path.join(__dirname, '../fixtures/harnesses/full');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The full fixture harness with tools/count_lines.yaml's input_schema replaced. */
function harnessWithSchema(schemaYaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aa-tool-schema-'));
  dirs.push(dir);
  cpSync(FULL, dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'tools/count_lines.yaml'),
    [
      'description: Count the lines of a text file.',
      'input_schema:',
      schemaYaml,
      'command: bash /opt/autoagent/harness/tools/count_lines.sh',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('custom tool input_schema', () => {
  it('`properties: 5` is refused at harness validation, naming the file and field', async () => {
    const dir = harnessWithSchema('  type: object\n  properties: 5');
    const err = await loadHarness(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect(err).toMatchObject({ file: 'tools/count_lines.yaml', field: 'input_schema.properties' });
    expect((err as Error).message).toMatch(
      /^tools\/count_lines\.yaml: input_schema\.properties: not a valid JSON Schema: must be object/,
    );
    // What the meta-agent's validate_harness and a candidate's validation see.
    const v = await validateHarness(dir);
    expect(v).toEqual({ ok: false, error: (err as Error).message });
  });

  it.each([
    [
      'a type that does not exist',
      '  type: object\n  properties:\n    path: { type: strin }',
      'input_schema.properties.path.type',
    ],
    ['required that is not a list', '  type: object\n  required: path', 'input_schema.required'],
    [
      'a pattern that is not a regex',
      '  type: object\n  properties:\n    path: { type: string, pattern: "(" }',
      'input_schema',
    ],
    ['a $ref to nowhere', '  type: object\n  properties:\n    path: { $ref: "#/$defs/nope" }', 'input_schema'],
  ])('%s is refused', async (_what, yaml, field) => {
    await expect(loadHarness(harnessWithSchema(yaml))).rejects.toMatchObject({
      name: 'HarnessError',
      file: 'tools/count_lines.yaml',
      field,
    });
  });

  it('a valid schema (draft 2020-12 or a declared draft-07) loads', async () => {
    await expect(
      loadHarness(
        harnessWithSchema(
          '  type: object\n  properties:\n    path: { type: string, minLength: 1 }\n  required: [path]',
        ),
      ),
    ).resolves.toBeDefined();
    await expect(
      loadHarness(
        harnessWithSchema(
          '  $schema: "http://json-schema.org/draft-07/schema#"\n  type: object\n  properties:\n    path: { type: string }',
        ),
      ),
    ).resolves.toBeDefined();
  });

  it('tool inputs are checked against every keyword, not only type and required', () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer', minimum: 1 }, id: { type: 'string', pattern: '^[a-z]+$' } },
    };
    expect(firstInputProblem(schema, { n: 0 })).toBe('input.n: must be >= 1');
    expect(firstInputProblem(schema, { id: 'A; rm -rf /' })).toBe('input.id: must match pattern "^[a-z]+$"');
    expect(firstInputProblem(schema, { n: 2, id: 'ok' })).toBeNull();
  });
});
