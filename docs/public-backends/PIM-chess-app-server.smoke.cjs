// Loopback smoke of the chess server: two users, room create/join/start, leave on close.
// Run from the server dir: node /tmp/chess-smoke.cjs  (starts `ts-node src/app.ts` on a free port)
const { spawn } = require('node:child_process');
const net = require('node:net');
const WebSocket = require(require.resolve('ws', { paths: [process.cwd()] }));
const port = 40000 + Math.floor(Math.random() * 20000);
const app = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js', { paths: [process.cwd()] }), '--transpile-only', 'src/app.ts'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
const fail = (m) => { console.error('SMOKE FAIL:', m); app.kill(); process.exit(1); };
const timer = setTimeout(() => fail('timeout'), 20000);
function client(name) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/${name}`);
  const inbox = []; const waiters = [];
  ws.on('message', (d) => { const m = JSON.parse(String(d)); inbox.push(m); for (const w of [...waiters]) w(); });
  const next = (type) => new Promise((res) => { const check = () => { const i = inbox.findIndex((m) => m.type === type); if (i >= 0) { const [m] = inbox.splice(i, 1); waiters.splice(waiters.indexOf(check), 1); res(m); } }; waiters.push(check); check(); });
  return { ws, next, send: (type, data) => ws.send(JSON.stringify({ type, data })), open: new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }) };
}
app.stdout.on('data', async (d) => {
  if (!String(d).includes('listening')) return;
  try {
    const a = client('alice'); await a.open; await a.next('USER_CREATED'); await a.next('LIST_ROOMS');
    a.send('CREATE_ROOM', { roomName: 'r1' });
    const room = (await a.next('ROOM_CREATED')).data; await a.next('LIST_ROOMS');
    const b = client('bob'); await b.open; await b.next('USER_CREATED'); await b.next('LIST_ROOMS');
    b.send('JOIN_ROOM', { roomId: room.roomId });
    await b.next('JOINED_ROOM');
    const joined = await a.next('PARTICIPANT_JOINED_ROOM');      // getConnectionById
    await a.next('LIST_ROOMS'); await b.next('LIST_ROOMS');       // getAllConnections (broadcast)
    a.send('START', { roomId: room.roomId });
    await a.next('GAME_STARTED'); await b.next('GAME_STARTED');   // getConnections (sendToRoommates)
    b.ws.close();
    await a.next('PARTICIPANT_ABANDONED_ROOM');                   // deleteConnection + leaveAllRooms
    console.log('SMOKE OK', joined.type, 'room', room.roomId);
    clearTimeout(timer); a.ws.close(); app.kill(); process.exit(0);
  } catch (e) { fail(e && e.stack || e); }
});
