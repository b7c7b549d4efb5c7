export const EventTypes = { STARTED: 'started', DONE: 'done' } as const;
