import type { AgentRegistry as Registry } from "./lib/registry";

export type R = Registry;
