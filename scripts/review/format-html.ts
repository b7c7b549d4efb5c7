/**
 * One self-contained HTML file per review: diff2html's CSS inlined, every diff pre-rendered,
 * no script or style fetched from anywhere, so it opens offline from a mail attachment or CI
 * artifact. A small inline script keeps per-group approvals in localStorage.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { html as diffHtml } from 'diff2html';
import type { DiffFile } from 'diff2html/lib/types.js';
import type { ReviewReport, ReviewResult } from './report.js';

const require = createRequire(import.meta.url);
let diff2htmlCss: string | undefined;
function inlineCss(): string {
  diff2htmlCss ??= readFileSync(require.resolve('diff2html/bundles/css/diff2html.min.css'), 'utf8');
  return diff2htmlCss;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface HtmlOptions {
  /** Files rendered in the full diff; the rest are listed only (a 700-file diff stays openable). */
  maxFullDiffFiles?: number;
}

const PAGE_CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1200px;margin:0 auto;padding:20px}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
code,pre{font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin:8px 0}
.figures{display:flex;flex-wrap:wrap;gap:8px 24px} .figures div b{display:block;font-size:18px}
.warn{color:#9a6700} .muted{color:#59636e}
#attention{border-color:#d4a72c;background:#fff8c5}
#attention li{margin:2px 0} .loc{font-family:ui-monospace,monospace;color:#0550ae}
.group header{display:flex;align-items:center;gap:12px}
.group .count{font-size:18px;font-weight:600}
.group.approved{border-color:#1a7f37;background:#f0fff4}
pre.shape{background:#f6f8fa;border-radius:4px;padding:8px;overflow:auto;margin:8px 0}
pre.shape .add{color:#1a7f37} pre.shape .del{color:#cf222e}
table{border-collapse:collapse;width:100%} td,th{text-align:left;padding:3px 8px;border-bottom:1px solid #eaeef2}
.st-added{color:#1a7f37} .st-deleted{color:#cf222e} .st-renamed{color:#8250df}
#progress{position:sticky;top:0;background:#fff;border-bottom:1px solid #d0d7de;padding:6px 20px;z-index:5}
`;

const APPROVE_JS = `
(function(){
  var key = 'ssot-review:' + document.body.dataset.commit;
  var saved = {}; try { saved = JSON.parse(localStorage.getItem(key) || '{}'); } catch (e) {}
  var groups = Array.prototype.slice.call(document.querySelectorAll('.group'));
  function update(){
    var n = 0, hunks = 0, total = 0;
    groups.forEach(function(g){ var c = +g.dataset.count; total += c; if (g.classList.contains('approved')) { n++; hunks += c; } });
    document.getElementById('progress-text').textContent = n + ' of ' + groups.length + ' group(s) approved, covering ' + hunks + ' of ' + total + ' hunk(s)';
  }
  groups.forEach(function(g){
    var box = g.querySelector('input.approve');
    box.checked = !!saved[g.dataset.group]; g.classList.toggle('approved', box.checked);
    box.addEventListener('change', function(){
      saved[g.dataset.group] = box.checked; g.classList.toggle('approved', box.checked);
      try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) {}
      update();
    });
  });
  update();
})();
`;

function shapeHtml(lines: string[]): string {
  if (lines.length === 0) return '<span class="muted">(whitespace-only change)</span>';
  return lines.map((l) => `<span class="${l.startsWith('+') ? 'add' : 'del'}">${escapeHtml(`${l[0]} ${l.slice(1)}`)}</span>`).join('\n');
}

function figuresHtml(r: ReviewReport): string {
  const f = r.figures;
  const cells: Array<[string, string]> = [];
  if (f.files !== undefined) cells.push(['files', String(f.files)]);
  if (f.edits !== undefined) cells.push(['edits', String(f.edits)]);
  if (f.compliance) cells.push(['compliance', `${f.compliance.before.toFixed(1)}% → ${f.compliance.after.toFixed(1)}%`]);
  if (f.needsReview !== undefined) cells.push(['needs review', String(f.needsReview)]);
  cells.push(['hunks / groups', `${r.totals.hunks} / ${r.totals.groups}`]);
  cells.push(['lines', `+${r.totals.added} −${r.totals.removed}`]);
  return (
    `<div class="figures" id="figures">${cells.map(([k, v]) => `<div data-figure="${escapeHtml(k)}"><span class="muted">${escapeHtml(k)}</span><b>${escapeHtml(v)}</b></div>`).join('')}</div>` +
    (f.verified ? `<p id="verified">Verified: ${escapeHtml(f.verified)}</p>` : '<p class="muted">No SSOT trailers: not a phase commit.</p>') +
    telemetryHtml(f.telemetry)
  );
}

/** The telemetry verdict a gated deletion opened on, as the commit recorded it. */
function telemetryHtml(t: ReviewReport['figures']['telemetry']): string {
  if (!t) return '';
  const parts: string[] = [];
  if (t.withoutTelemetry) parts.push(`<p data-telemetry="without"><b>Without telemetry (reason given):</b> ${escapeHtml(t.withoutTelemetry)}</p>`);
  if (t.evidence) parts.push(`<p data-telemetry="evidence"><b>Telemetry:</b> ${escapeHtml(t.evidence)}</p>`);
  if (t.verdicts?.length) parts.push(`<ul>${t.verdicts.map((v) => `<li data-telemetry="verdict">${escapeHtml(v)}</li>`).join('')}</ul>`);
  return `<div id="telemetry">${parts.join('')}</div>`;
}

function attentionHtml(r: ReviewReport): string {
  const { todos, needsReview, leftUntouched } = r.attention;
  const total = todos.length + needsReview.length + leftUntouched.length;
  const list = (id: string, title: string, items: Array<{ file: string; line: number; text: string }>) =>
    items.length
      ? `<h3>${escapeHtml(title)} (${items.length})</h3><ul id="${id}">${items
          .map((i) => `<li><span class="loc">${escapeHtml(`${i.file}:${i.line}`)}</span> ${escapeHtml(i.text)}</li>`)
          .join('')}</ul>`
      : '';
  return `<section class="card" id="attention"><h2>Needs attention first (${total})</h2>${
    total === 0
      ? '<p class="muted">Nothing flagged.</p>'
      : list('todos', 'TODO(ssot) markers', todos) +
        list('needs-review', 'Needs review', needsReview.map((i) => ({ file: i.file, line: i.line, text: i.message }))) +
        list('left-untouched', 'Left untouched', leftUntouched.map((i) => ({ file: i.file, line: i.line, text: i.message })))
  }</section>`;
}

export function renderReviewHtml(result: ReviewResult, options: HtmlOptions = {}): string {
  const r = result.report;
  const maxFiles = options.maxFullDiffFiles ?? 300;
  const d2hConfig = { drawFileList: false, matching: 'lines' as const, outputFormat: 'line-by-line' as const };
  const groups = r.groups
    .map((g, i) => {
      const example = result.examples.get(g.id);
      const exampleHtml = example ? diffHtml([{ ...example.file, blocks: [example.block] } as DiffFile], d2hConfig) : '';
      return `<section class="card group" id="g-${g.id}" data-group="${g.id}" data-count="${g.count}">
<header><label><input type="checkbox" class="approve"> approve</label><span class="count">×${g.count}</span><span>group ${i + 1}</span><code class="muted">${g.id}</code><span class="muted">${escapeHtml(g.transform)}</span></header>
<pre class="shape">${shapeHtml(g.shape)}</pre>
<details><summary>${g.count} location(s)</summary><ul>${g.members
        .map((m) => `<li class="loc">${escapeHtml(`${m.file}:${m.newStart || m.oldStart}`)} <span class="muted">+${m.added} −${m.removed}</span></li>`)
        .join('')}</ul></details>
<details><summary>example: ${escapeHtml(example ? `${example.file.newName === '/dev/null' ? example.file.oldName : example.file.newName}` : '')}</summary>${exampleHtml}</details>
</section>`;
    })
    .join('\n');
  const files = r.files
    .map(
      (f) =>
        `<tr data-file="${escapeHtml(f.path)}"><td class="st-${f.status}">${f.status}</td><td>${escapeHtml(f.oldPath ? `${f.oldPath} → ${f.path}` : f.path)}</td><td class="st-added">+${f.added}</td><td class="st-deleted">−${f.removed}</td><td>${f.hunks}</td></tr>`,
    )
    .join('');
  const shownFiles = result.diffFiles.slice(0, maxFiles);
  const fullDiff = diffHtml(shownFiles, d2hConfig);
  const more = result.diffFiles.length - shownFiles.length;
  const title = `review: ${r.phase ?? 'commit'} ${r.commit.slice(0, 10)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${inlineCss()}</style>
<style>${PAGE_CSS}</style>
</head>
<body data-commit="${r.commit}">
<div id="progress"><span id="progress-text"></span></div>
<main>
<h1>${escapeHtml(title)}</h1>
<p><code>${escapeHtml(r.subject)}</code> <span class="muted">in ${escapeHtml(r.repo)}</span></p>
${r.warnings.map((w) => `<p class="warn">warning: ${escapeHtml(w)}</p>`).join('')}
<section class="card">${figuresHtml(r)}</section>
${attentionHtml(r)}
<h2 id="groups-title">Hunk groups: ${r.totals.groups} group(s) over ${r.totals.hunks} hunk(s) — one approval covers a group</h2>
<div id="groups">${groups}</div>
<h2>Files (${r.totals.files})</h2>
<section class="card"><table id="files"><thead><tr><th>status</th><th>file</th><th>added</th><th>removed</th><th>hunks</th></tr></thead><tbody>${files}</tbody></table></section>
<h2>Full diff</h2>
<details id="full-diff"><summary>show ${shownFiles.length} file(s)${more > 0 ? ` (${more} more not rendered; see the files table)` : ''}</summary>${fullDiff}</details>
</main>
<script>${APPROVE_JS}</script>
</body></html>
`;
}
