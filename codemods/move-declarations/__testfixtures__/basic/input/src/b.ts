import type { AgentRegistry as Registry } from "./legacy";

export type R = Registry;
