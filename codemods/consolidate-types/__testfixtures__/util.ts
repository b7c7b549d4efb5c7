export const join = (...p: string[]): string => p.join('/');
