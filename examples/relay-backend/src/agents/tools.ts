/** The tools an agent can call. Deterministic stand-ins for the real integrations. */

export interface Tool {
  name: string;
  /** Builds the tool's arguments from the user's prompt. */
  argsFor(prompt: string): Record<string, unknown>;
  run(args: Record<string, unknown>): Promise<unknown>;
}

function later<T>(value: () => T): Promise<T> {
  // Real tools do I/O; resolve on a later turn so concurrent runs interleave like they would.
  return new Promise((resolve, reject) => setImmediate(() => {
    try {
      resolve(value());
    } catch (error) {
      reject(error);
    }
  }));
}

const search: Tool = {
  name: 'search',
  argsFor: (prompt) => ({ query: prompt, limit: 3 }),
  run: (args) =>
    later(() => {
      const words = String(args.query).toLowerCase().split(/\s+/).filter(Boolean);
      return words.slice(0, Number(args.limit)).map((word, i) => ({ title: `doc:${word}`, score: Number((1 - i * 0.1).toFixed(1)) }));
    }),
};

const wordCount: Tool = {
  name: 'word_count',
  argsFor: (prompt) => ({ text: prompt }),
  run: (args) => later(() => ({ words: String(args.text).split(/\s+/).filter(Boolean).length })),
};

export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();

  constructor(tools: Tool[] = []) {
    for (const tool of tools) this.add(tool);
  }

  add(tool: Tool): this {
    this.tools.set(tool.name, tool);
    return this;
  }

  get(name: string): Tool {
    const tool = this.tools.get(name);
    if (!tool) throw new Error(`unknown tool "${name}"`);
    return tool;
  }

  names(): string[] {
    return [...this.tools.keys()];
  }
}

export const defaultTools = new ToolRegistry([search, wordCount]);
