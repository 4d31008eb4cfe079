/** Host tools (runHarnessAgent's `hostTools`): input checked against their schema, results passed through. */
import { hostTool } from '../../src/agent/tools/host';
import type { SandboxSession } from '../../src/agent/session';

const session = {} as SandboxSession; // host tools never touch the sandbox session
const call = { id: 'c1', name: 'echo_n' };

describe('hostTool', () => {
  const seen: unknown[] = [];
  const tool = hostTool({
    name: 'echo_n',
    description: 'echo',
    inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
    async run(input) {
      seen.push(input);
      return (input as { n: number }).n < 0
        ? { content: 'negative', isError: true }
        : { content: `n=${(input as { n: number }).n}` };
    },
  });

  it('runs with valid input; isError defaults to false', async () => {
    await expect(tool.invoke({ n: 3 }, session, call)).resolves.toEqual({ content: 'n=3', isError: false });
    await expect(tool.invoke({ n: -1 }, session, call)).resolves.toEqual({ content: 'negative', isError: true });
    expect(seen).toEqual([{ n: 3 }, { n: -1 }]);
  });

  it('rejects input that does not match the schema without running', async () => {
    const r = await tool.invoke({ n: 'x' }, session, call);
    expect(r.isError).toBe(true);
    expect(r.content).toContain('Invalid input for tool "echo_n"');
    const missing = await tool.invoke({}, session, call);
    expect(missing.isError).toBe(true);
    expect(seen).toHaveLength(2);
  });
});
