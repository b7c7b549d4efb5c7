// the app package's barrel: a legacy module of app names only (no symbol maps to a canonical one)
export { sendToUser, removeClient } from '../legacy/conns.js';
export const version = 1;
