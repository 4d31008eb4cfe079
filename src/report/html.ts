/**
 * Assembles the single self-contained page: inline CSS, the data blob as a JSON script, optionally one
 * gzip+base64 payload per trial (offline report), then the vendor and client scripts. Text that lands
 * inside <script>/<style> is escaped so no `</script>` in data or code can end the element early.
 */
import { redactString } from '../agent/atif/redact';
import { pageAssets } from './assets';
import type { ReportData } from './types';

export interface PageOptions {
  data: ReportData;
  /** 'report': offline file with inline trajectories; 'live': served by `autoagent ui`, fetches on demand. */
  mode: 'report' | 'live';
  /** trial id → base64 gzip payload (report mode). */
  trajectories?: Record<string, string>;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside <script type="application/json">: `<` as \u003c keeps `</script>` and `<!--` inert. */
export const scriptJson = (value: unknown): string => redactString(JSON.stringify(value)).replace(/</g, '\\u003c');
const inertScript = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1');
const inertStyle = (css: string): string => css.replace(/<\/(style)/gi, '<\\/$1');

function trajectoryBlocks(data: ReportData, packed: Record<string, string> | undefined): string {
  if (!packed) return '';
  const parts = data.trials.map((t, i) => {
    const b64 = packed[t.id];
    return b64 === undefined ? '' : `<script type="application/gzip-base64" id="tj-${i}">${b64}</script>`;
  });
  return `<div hidden id="aa-trajectories">${parts.join('\n')}</div>`;
}

const SKELETON = `
<header class="top"><h1 id="aa-title">Campaign</h1><span id="aa-generated" class="muted"></span><span id="aa-live" class="live" hidden>live</span></header>
<section id="aa-cards"></section>
<h2>Scores and spend</h2>
<div class="charts"><div id="aa-score-chart"></div><div id="aa-time-chart"></div></div>
<h2>Score vs cost <span class="muted">(per task, train; filled ● and the dashed line: non-dominated)</span></h2><div id="aa-pareto"></div>
<h2>Lineage</h2><div id="aa-tree"></div>
<h2>Tasks × candidates <span class="muted">(mean reward; ▲ fixed vs parent, ▼ broke vs parent)</span></h2><div class="heatwrap" id="aa-heatmap"></div>
<h2>Candidate</h2><section id="aa-candidate"></section>
<section id="aa-trajectory" hidden><div class="bar"><strong>Trajectory</strong><button id="aa-close" type="button">close (Esc)</button></div><div class="content"></div></section>`;

export function renderPage(opts: PageOptions): string {
  const assets = pageAssets();
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>AutoAgent · ${escapeHtml(opts.data.campaign)}</title>`,
    '<link rel="icon" href="data:,">',
    ...assets.css.map((c) => `<style>${inertStyle(c)}</style>`),
    `</head><body data-mode="${opts.mode}">`,
    SKELETON,
    `<script type="application/json" id="aa-data">${scriptJson(opts.data)}</script>`,
    trajectoryBlocks(opts.data, opts.trajectories),
    ...assets.scripts.map((s) => `<script>${inertScript(s)}</script>`),
    '</body></html>',
  ].join('\n');
}
