/**
 * The page's static parts, read from disk at generation time so the report works offline: uPlot and
 * diff2html (JS + CSS from node_modules) and our client (plain browser JS + CSS in ./client, concatenated
 * in dependency order). Read once per process and cached.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ReportError } from './errors';

/** Client scripts in load order: helpers first, the entry point last. */
const CLIENT_SCRIPTS = [
  'util.js',
  'header.js',
  'charts.js',
  'tree.js',
  'heatmap.js',
  'pareto.js',
  'candidate.js',
  'trajectory.js',
  'app.js',
];

export interface PageAssets {
  css: string[];
  scripts: string[];
}

let cached: PageAssets | null = null;

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ReportError(`cannot read report asset: ${(err as Error).message}`, file, 'asset');
  }
}

/** The client folder: next to this file in src/, or back in src/ when running compiled from dist/src/. */
function clientDir(): string {
  const here = path.join(__dirname, 'client');
  if (fs.existsSync(path.join(here, 'app.js'))) return here;
  return path.resolve(__dirname, '../../../src/report/client');
}

export function pageAssets(): PageAssets {
  if (cached) return cached;
  const dir = clientDir();
  cached = {
    css: [
      require.resolve('uplot/dist/uPlot.min.css'),
      require.resolve('diff2html/bundles/css/diff2html.min.css'),
      path.join(dir, 'style.css'),
    ].map(read),
    scripts: [
      read(require.resolve('uplot/dist/uPlot.iife.min.js')),
      read(require.resolve('diff2html/bundles/js/diff2html.min.js')),
      CLIENT_SCRIPTS.map((f) => read(path.join(dir, f))).join('\n'),
    ],
  };
  return cached;
}
