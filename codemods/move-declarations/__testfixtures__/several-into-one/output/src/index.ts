export { RpcServer, rpc } from './app/rpc.js';
export type { Client, Handler } from './app/rpc.js';
export const VERSION = 1;
