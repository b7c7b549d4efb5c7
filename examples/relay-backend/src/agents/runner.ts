/**
 * Runs one agent turn: think, call one tool, answer — telling the browser about each step.
 */
import type { RunEventPusher } from '../realtime/pusher.js';
import { defaultTools, type ToolRegistry } from './tools.js';

export interface RunInput {
  agent: string;
  prompt: string;
  /** Which tool to call; the agent's default otherwise. */
  tool?: string | undefined;
  /** Earlier messages of the thread, oldest first. */
  history?: readonly string[];
}

export interface RunOutcome {
  answer: string;
  tool: string;
  ok: boolean;
}

const DEFAULT_TOOL: Record<string, string> = { summarizer: 'word_count', digest: 'word_count' };

export function plan(input: RunInput, toolName: string): string {
  const context = input.history && input.history.length > 0 ? ` (thread has ${input.history.length} earlier message(s))` : '';
  return `Looking at "${input.prompt}"${context}; I will use ${toolName}.`;
}

export function answerFrom(toolName: string, result: unknown): string {
  if (Array.isArray(result)) return `${toolName} found ${result.length} result(s)`;
  if (result && typeof result === 'object' && 'words' in result) return `${(result as { words: number }).words} word(s)`;
  return `${toolName} returned ${JSON.stringify(result)}`;
}

export async function runAgent(pusher: RunEventPusher, input: RunInput, tools: ToolRegistry = defaultTools): Promise<RunOutcome> {
  const toolName = input.tool ?? DEFAULT_TOOL[input.agent] ?? 'search';
  pusher.pushStarted(input.agent);
  pusher.pushThinking(plan(input, toolName));

  const tool = tools.get(toolName);
  const args = tool.argsFor(input.prompt);
  pusher.pushToolStart(tool.name, args);
  const started = performance.now();
  let result: unknown;
  try {
    result = await tool.run(args);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    pusher.pushToolDone(tool.name, { error: message }, Math.round(performance.now() - started));
    pusher.pushFinished(`Sorry, ${tool.name} failed: ${message}`, false);
    return { answer: message, tool: tool.name, ok: false };
  }
  pusher.pushToolDone(tool.name, result, Math.round(performance.now() - started));

  const answer = answerFrom(tool.name, result);
  pusher.pushFinished(answer);
  return { answer, tool: tool.name, ok: true };
}
