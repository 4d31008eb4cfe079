/**
 * harness.yaml schema (camelCase keys) and the harness domain types. Defaults live here so every
 * consumer sees the same effective configuration. Cross-field rules that need other files (sub-agent
 * names, tool names) are checked in load.ts.
 */
import { z } from 'zod';

/** Built-in tools a harness may enable; `finish` is always available and never listed. */
export const BUILTIN_TOOLS = ['bash', 'read_file', 'write_file', 'edit_file'] as const;
export const FINISH_TOOL = 'finish';
/** Sub-agent `<name>` is exposed to the model as the tool `agent_<name>`. */
export const SUBAGENT_TOOL_PREFIX = 'agent_';
/** Where the runtime copies the harness tools/ folder inside the sandbox. */
export const HARNESS_TOOLS_MOUNT = '/opt/autoagent/harness/tools';
/** Names of custom tools and sub-agents (also their file basenames). */
export const NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;

const VerifySchema = z.object({
  /** Name of the sub-agent (agents/<name>.md) that checks the work before finish is accepted. */
  agent: z.string().min(1),
  maxRounds: z.number().int().min(1).max(10).default(1),
});

export const HarnessConfigSchema = z
  .object({
    model: z.string().min(1),
    maxTurns: z.number().int().min(1).max(1000).default(30),
    /** Per model response. */
    maxTokens: z.number().int().min(1).max(128000).default(8192),
    /** Extended thinking budget; 0 = off. The API needs >= 1024 and < maxTokens. */
    thinkingBudget: z.number().int().min(0).default(0),
    system: z.string().min(1).default('system.md'),
    tools: z
      .array(z.enum(BUILTIN_TOOLS))
      .default([...BUILTIN_TOOLS])
      .refine((t) => new Set(t).size === t.length, 'duplicate tool names'),
    bash: z
      .object({
        timeoutSec: z.number().int().min(1).max(3600).default(120),
        maxOutputBytes: z.number().int().min(256).max(10_000_000).default(16384),
      })
      .default({}),
    orchestration: z
      .object({
        planFirst: z.boolean().default(false),
        verify: VerifySchema.nullable().default(null),
      })
      .default({}),
  })
  .superRefine((c, ctx) => {
    if (c.thinkingBudget > 0 && c.thinkingBudget < 1024) {
      ctx.addIssue({ code: 'custom', path: ['thinkingBudget'], message: 'must be 0 (off) or >= 1024' });
    }
    if (c.thinkingBudget > 0 && c.thinkingBudget >= c.maxTokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['thinkingBudget'],
        message: `must be less than maxTokens (${c.maxTokens})`,
      });
    }
  });
export type HarnessConfig = z.infer<typeof HarnessConfigSchema>;

/** tools/<name>.yaml (snake_case on disk, like Harbor files). */
export const ToolFileSchema = z.object({
  description: z.string().min(1),
  input_schema: z
    .object({ type: z.literal('object') })
    .passthrough()
    .describe('a JSON Schema object with type "object"'),
  /** Run with `bash -c` in the sandbox; input in $TOOL_INPUT and $TOOL_ARG_<FIELD>. */
  command: z.string().min(1),
  timeout_sec: z.number().int().min(1).max(3600).default(120),
});

export interface CustomTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  command: string;
  timeoutSec: number;
}

/** Front-matter of agents/<name>.md. */
export const AgentFrontMatterSchema = z.object({
  description: z.string().min(1),
  model: z.string().min(1).nullable().default(null),
  tools: z.array(z.string()).optional(),
  maxTurns: z.number().int().min(1).max(1000).default(15),
});

export interface SubAgent {
  name: string;
  description: string;
  /** null = the harness model. */
  model: string | null;
  /** Built-ins + custom tool names (never `finish`, which is always available). */
  tools: string[];
  maxTurns: number;
  /** Its system prompt (the file body). */
  prompt: string;
}

export interface Harness {
  dir: string;
  /** 'h-' + 16 hex of sha256 over all files: content-addressed. */
  id: string;
  config: HarnessConfig;
  /** The system prompt file with includes resolved; placeholders {{instruction}}, {{task_name}}. */
  systemTemplate: string;
  tools: CustomTool[];
  agents: SubAgent[];
  /** Relative path -> text, every file of the harness. */
  files: Record<string, string>;
  warnings: string[];
}
