/**
 * CPU time of a first touch of fresh anonymous memory, per 4 KiB page, in the calling process: what
 * each minor page fault costs on this machine at this moment. On this VM it moved between ~2 and
 * ~16 µs per page from one day to another (README Performance notes), and canonical's replay window
 * takes such faults as it fills during the bench (~0.02 per event for its chunks since it stores each
 * event's data part only, ~0.065 before; ~0.05 in all for the canonical server; raw and Socket.IO keep nothing),
 * so the canonical rows' notes print it beside the servers' faults per event.
 */
const PAGE = 4096;
const PIECE = 1024 * 1024;

export function freshPageMicros(mib = 16): number {
  const held: Buffer[] = [];
  const start = process.cpuUsage();
  for (let i = 0; i < mib; i++) {
    // Buffer.allocUnsafeSlow: memory of its own, not yet touched (not Node's pool, not zero-filled).
    const b = Buffer.allocUnsafeSlow(PIECE);
    for (let p = 0; p < PIECE; p += PAGE) b[p] = 1;
    held.push(b);
  }
  const used = process.cpuUsage(start);
  // Held until measured: a piece freed earlier could be handed out again, already touched.
  held.length = 0;
  return (used.user + used.system) / ((mib * PIECE) / PAGE);
}
