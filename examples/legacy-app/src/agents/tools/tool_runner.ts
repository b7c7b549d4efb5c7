/** A deterministic stand-in for the tool layer (no network): returns canned hits for a query. */
export interface ToolHit {
  title: string;
  score: number;
}

export async function runTool(toolName: string, parameters: { query: string; limit: number }): Promise<ToolHit[]> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const words = parameters.query.split(/\s+/).filter(Boolean);
  return words.slice(0, parameters.limit).map((word, i) => ({ title: `${toolName}:${word}`, score: 1 - i / 10 }));
}
