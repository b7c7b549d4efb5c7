export type ManagerId = string;

export const ids: ManagerId[] = [];
