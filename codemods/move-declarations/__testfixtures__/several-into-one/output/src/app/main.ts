import { rpc, Client } from './rpc.js';

rpc.on('ping', async (client: Client) => {
  rpc.sendTo(client.id, { type: 'pong' });
});
rpc.start(8080);
