import { onlineThere } from './unused-parameter.js';

export function caller(userId: string): boolean {
  return onlineThere(userId, undefined);
}
