import { z } from 'zod';
import { dottedPath, firstIssue, indexedPath, issueLines, tablePath } from '../../src/util/zod-issue';

const err = (schema: z.ZodTypeAny, v: unknown): z.ZodError => {
  const r = schema.safeParse(v);
  if (r.success) throw new Error('expected a failure');
  return r.error;
};

test('each file format draws a path its own way', () => {
  const p = ['train', 2, 'name'];
  expect(dottedPath(p)).toBe('train.2.name');
  expect(dottedPath([], '(body)')).toBe('(body)');
  expect(indexedPath(p)).toBe('train[2].name');
  expect(tablePath(p)).toBe('[train][2].name');
  expect(tablePath(['agent', 'timeout_sec'])).toBe('[agent].timeout_sec');
  expect(tablePath(['name'])).toBe('name');
  expect(tablePath([])).toBe('(file)');
});

test('all issues as lines, or the first one with a count of the rest', () => {
  const e = err(z.object({ a: z.string(), b: z.number() }), { a: 1, b: 'x' });
  expect(issueLines(e.issues, '; ')).toBe('a: Expected string, received number; b: Expected number, received string');
  expect(firstIssue(e, ['top'])).toEqual({ field: 'top.a', message: 'Expected string, received number', more: 1 });
  expect(firstIssue(err(z.string(), 1)).field).toBe('(root)');
});
