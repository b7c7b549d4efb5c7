import type { ManagerId } from './canonical.js';
export type { ManagerId };

export const ids: ManagerId[] = [];
