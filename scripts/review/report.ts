/**
 * A phase's diff as a review: what needs a human first (TODO(ssot) markers, needs-review and
 * left-untouched items), the runner's figures, the hunks grouped by shape, and per-file status.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseDiff } from 'diff2html';
import type { DiffBlock, DiffFile } from 'diff2html/lib/types.js';
import { MANIFEST_FILE, loadManifest } from '../../manifest/index.js';
import type { SsotManifest } from '../../manifest/types.js';
import { commitDiff, resolveTarget } from './git.js';
import { TODO_MARKER, type ReviewItem } from '../../codemods/index.js';
import { phaseCommitReport, type PhaseFigures } from '../git/index.js';
import { hunkShape, type ShapeLine } from './shape.js';

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface FileChange {
  path: string;
  oldPath?: string;
  status: FileStatus;
  added: number;
  removed: number;
  hunks: number;
  binary: boolean;
}

export interface TodoMarker {
  file: string;
  line: number;
  text: string;
}

export interface GroupMember {
  file: string;
  header: string;
  oldStart: number;
  newStart: number;
  added: number;
  removed: number;
}

export interface HunkGroup {
  /** The shape key: stable for the same edit across commits. */
  id: string;
  /** The phase (transform) that made the edit. */
  transform: string;
  shape: string[];
  placeholders: number;
  count: number;
  members: GroupMember[];
}

export interface ReviewReport {
  repo: string;
  commit: string;
  subject: string;
  phase?: string;
  rolledBackBy?: string;
  figures: PhaseFigures;
  attention: { todos: TodoMarker[]; needsReview: ReviewItem[]; leftUntouched: ReviewItem[] };
  groups: HunkGroup[];
  files: FileChange[];
  totals: { files: number; hunks: number; groups: number; added: number; removed: number };
  warnings: string[];
}

export interface ReviewResult {
  report: ReviewReport;
  /** The parsed diff, for renderers (diff2html). */
  diffFiles: DiffFile[];
  /** The group's first hunk, per group id, for renderers. */
  examples: Map<string, { file: DiffFile; block: DiffBlock }>;
}

/** Names the migration itself is about: never replaced by a placeholder in a shape. */
export function manifestVocabulary(m: SsotManifest): Set<string> {
  const words = new Set<string>();
  const addIdents = (text: string) => {
    for (const w of text.match(/[A-Za-z_$][\w$]*/g) ?? []) words.add(w);
  };
  addIdents(m.canonical.exports.join(' '));
  addIdents(`${m.canonical.contextType ?? ''} ${m.canonical.factory ?? ''}`);
  for (const l of m.legacy) for (const [from, to] of Object.entries(l.symbols)) addIdents(`${from} ${to}`);
  for (const a of m.adapters) {
    addIdents(a.class);
    for (const [method, template] of Object.entries(a.methods)) addIdents(`${method} ${template}`);
  }
  if (m.factory) {
    addIdents(m.factory.replacement);
    for (const e of m.factory.entries) addIdents(e.call);
  }
  for (const d of m.duplicateTypes) addIdents(d.name);
  return words;
}

function fileStatus(f: DiffFile): FileStatus {
  if (f.isNew) return 'added';
  if (f.isDeleted) return 'deleted';
  if (f.isRename || (f.oldName !== f.newName && f.oldName !== '/dev/null' && f.newName !== '/dev/null')) return 'renamed';
  return 'modified';
}

function filePath(f: DiffFile): string {
  return f.isDeleted || f.newName === '/dev/null' ? f.oldName : f.newName;
}

function blockLines(block: DiffBlock): ShapeLine[] {
  return block.lines.map((l) => ({
    sign: l.type === 'insert' ? '+' : l.type === 'delete' ? '-' : ' ',
    // diff2html keeps the +/-/space prefix in content.
    text: l.content.slice(1),
  }));
}


export async function buildReview(repoDir: string, ref: string): Promise<ReviewResult> {
  const repo = resolve(repoDir);
  const target = await resolveTarget(repo, ref);
  const { commit } = target;
  // a revert of a revert: the figures and lists are the phase commit's whose change it brings back
  const parsed = target.reapplies ?? commit;
  // The lists in full: from the commit's report note (the message holds only the first items).
  const full = await phaseCommitReport(repo, parsed, target.phase ?? commit.phase);
  const warnings = [...parsed.warnings, ...full.warnings];
  if (target.reapplies) warnings.push(`${commit.sha.slice(0, 10)} re-applies ${target.reapplies.sha.slice(0, 10)} (it reverts the commit that took the phase back): its figures and lists are those of ${target.reapplies.sha.slice(0, 10)}, the diff is ${commit.sha.slice(0, 10)}'s`);
  let vocabulary = new Set<string>();
  // Without the table, shapes still group; they just may treat a legacy name as local.
  if (existsSync(join(repo, MANIFEST_FILE))) {
    try {
      vocabulary = manifestVocabulary(await loadManifest(repo));
    } catch (error) {
      warnings.push(`${MANIFEST_FILE} not used for shapes: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (target.rolledBackBy) warnings.push(`this phase was rolled back by ${target.rolledBackBy.slice(0, 10)}`);
  // the diff below is what the commit did; the tree may no longer hold all of it (status says the same)
  if (target.evidence) warnings.push(`the tree since: ${target.evidence.text}${target.evidence.verdict === 'partly-undone' ? ` — \`ssot-migrate run ${target.phase}\` re-applies it` : ''}`);

  const diffFiles = parseDiff(await commitDiff(repo, commit.sha));
  const transform = target.phase ?? parsed.figures.rollbackOf ?? commit.sha.slice(0, 10);
  const groups = new Map<string, HunkGroup>();
  const examples = new Map<string, { file: DiffFile; block: DiffBlock }>();
  const todos: TodoMarker[] = [];
  const files: FileChange[] = [];
  let hunks = 0;
  for (const f of diffFiles) {
    const path = filePath(f);
    const change: FileChange = { path, status: fileStatus(f), added: f.addedLines, removed: f.deletedLines, hunks: f.blocks.length, binary: f.isBinary === true };
    if (change.status === 'renamed') change.oldPath = f.oldName;
    files.push(change);
    for (const block of f.blocks) {
      hunks++;
      for (const l of block.lines) {
        if (l.type === 'insert' && l.content.includes(TODO_MARKER)) todos.push({ file: path, line: l.newNumber, text: l.content.slice(1).trim() });
      }
      const shape = hunkShape(blockLines(block), vocabulary);
      let group = groups.get(shape.key);
      if (!group) {
        group = { id: shape.key, transform, shape: shape.lines, placeholders: shape.placeholders, count: 0, members: [] };
        groups.set(shape.key, group);
        examples.set(shape.key, { file: f, block });
      }
      group.count++;
      group.members.push({
        file: path,
        header: block.header,
        oldStart: block.oldStartLine,
        newStart: block.newStartLine,
        added: block.lines.filter((l) => l.type === 'insert').length,
        removed: block.lines.filter((l) => l.type === 'delete').length,
      });
    }
  }
  const sortedGroups = [...groups.values()].sort((a, b) => b.count - a.count || a.members[0]!.file.localeCompare(b.members[0]!.file));
  const report: ReviewReport = {
    repo,
    commit: commit.sha,
    subject: commit.subject,
    figures: parsed.figures,
    attention: { todos, needsReview: full.needsReview, leftUntouched: full.leftUntouched },
    groups: sortedGroups,
    files,
    totals: {
      files: files.length,
      hunks,
      groups: sortedGroups.length,
      added: files.reduce((n, f) => n + f.added, 0),
      removed: files.reduce((n, f) => n + f.removed, 0),
    },
    warnings,
  };
  if (target.phase) report.phase = target.phase;
  if (target.rolledBackBy) report.rolledBackBy = target.rolledBackBy;
  if (parsed.figures.files !== undefined && parsed.figures.files !== files.length) {
    warnings.push(`SSOT-Files says ${parsed.figures.files} but the commit changes ${files.length} file(s)`);
  }
  return { report, diffFiles, examples };
}
