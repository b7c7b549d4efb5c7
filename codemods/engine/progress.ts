/** A one-line progress bar on stderr, only on a TTY and only for runs long enough to need one. */
export function makeProgress(label: string, enabled: boolean): { update(done: number, total: number): void; end(): void } {
  const on = enabled && process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!on || total < 200) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    end() {
      if (shown) process.stderr.write('\n');
    },
  };
}
