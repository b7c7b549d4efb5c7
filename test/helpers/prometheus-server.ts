/**
 * A real Prometheus (Debian's `prometheus`) for tests: loopback only, port chosen by the server
 * (`:0`, read back from its log), a temp TSDB, a static scrape config, always stopped (also on
 * process exit).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrometheusHandle {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  dispose(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function prometheusBinary(): string {
  return process.env.PROMETHEUS_BIN ?? 'prometheus';
}

export async function startPrometheus(options: { job: string; targets: string[]; scrapeIntervalMs: number }): Promise<PrometheusHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'ssot-prometheus-'));
  const interval = `${options.scrapeIntervalMs}ms`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      'scrape_configs:',
      `  - job_name: ${JSON.stringify(options.job)}`,
      '    static_configs:',
      `      - targets: [${options.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const proc = spawn(
    prometheusBinary(),
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0', '--log.level=info'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  let log = '';
  const dispose = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prometheus did not start within 60 s: ${log.slice(-2000)}`)), 20_000);
    const onData = (d: Buffer): void => {
      log = (log + d.toString()).slice(-20_000);
      const m = /msg="Listening on" address=(127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${prometheusBinary()} (${e.message}); scripts/ensure-system-deps.sh prometheus installs it`));
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prometheus exited (${code}): ${log.slice(-2000)}`));
    });
  }).catch(async (e: unknown) => {
    await dispose();
    throw e;
  });
  return { url, dispose };
}
