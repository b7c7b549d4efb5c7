// Run as a child: makes one legacy call, says "called", then waits to be stopped by a signal.
//   argv: none | handler | once | idle  how the app itself handles the signal (idle: none, and
//                                       it loads the facade but never calls it)
//   SSOT_TEST_NO_SHIM=1                 the baseline: the same app without the shim loaded
const how = process.argv[2] ?? 'none';
const signal = process.argv[3] ?? 'SIGTERM';
if (how === 'handler') {
  process.on(signal, () => {
    process.stdout.write('app handler\n');
    setTimeout(() => process.exit(7), 50);
  });
} else if (how === 'once') {
  // The app survives the first signal and ends on its own a little later.
  process.once(signal, () => {
    process.stdout.write('app handler\n');
    setTimeout(() => clearInterval(keepAlive), 100);
  });
}
const keepAlive = setInterval(() => {}, 1000);
if (process.env.SSOT_TEST_NO_SHIM !== '1') {
  const { legacyCall } = await import('./legacy.mjs');
  if (how !== 'idle') legacyCall(1); // SIGNAL_SITE
}
process.stdout.write('called\n');
