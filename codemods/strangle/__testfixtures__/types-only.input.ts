/** A second, incompatible protocol: types only, plus an unrelated constant. */
export interface Protocol {
  sendMessage(userId: string): Promise<boolean>;
}

export const EVENT_TYPES = { STARTED: 'agent_started' } as const;
