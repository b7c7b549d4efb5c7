import { command as dashboard } from './dashboard.js';
import { command as discover } from './discover.js';
import { command as review } from './review.js';
import { command as run } from './run.js';
import { command as telemetry } from './telemetry.js';
import { command as toggle } from './toggle.js';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** Every CLI command, in the order `--help` lists them. Add a command with one line here. */
export const COMMANDS: readonly Command[] = [dashboard, discover, run, review, telemetry, toggle];
