export { RpcServer, rpc } from './ws/server.js';
export type { Client, Handler } from './ws/server.js';
export const VERSION = 1;
