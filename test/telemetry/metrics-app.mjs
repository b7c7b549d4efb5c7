// Run as a child: an app process with one strangled entry point (WSM901) that serves the shim's
// Prometheus metrics on loopback. stdin commands: "call" starts calling the legacy entry point
// every 100 ms, "quiet" stops. Prints "port N" when listening.
//   argv[2]: the port to listen on (0: any; a restart reuses its port)
// Plain node on the built shim (dist/, as an installed package's app runs it; the tests' global setup
// rebuilds it when a source is newer), not the sources through tsx: ~0.5 CPU-s less a start.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { defineLegacyFunction, getShimRuntime } from '../../dist/shim/index.js';

const legacyCall = defineLegacyFunction({ id: 'WSM901', symbol: 'legacyCall', replacement: 'canonicalCall()' }, (n) => n * 2);

let timer;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'call' && !timer) timer = setInterval(() => legacyCall(1), 100);
  if (line === 'quiet' && timer) {
    clearInterval(timer);
    timer = undefined;
  }
});

const server = createServer((req, res) => {
  if (req.url !== '/metrics') {
    res.writeHead(404).end();
    return;
  }
  const registry = getShimRuntime().telemetry.registry;
  void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
});
