export const NORMAL = 1000;
