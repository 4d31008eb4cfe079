#!/usr/bin/env node
/**
 * Workflow code must be deterministic, and eslint only sees a workflow file's own imports. This walks the
 * VALUE import graph from the workflow bundle's entry (default src/workflows/index.ts) through every module
 * it reaches, with the TypeScript compiler's own parser and resolver, and fails on any Node builtin or any
 * package but the pure ones below — naming the chain that reaches it. Type-only imports are erased by the
 * compiler and never load, so they are not followed.
 *
 *   node scripts/check-workflow-imports.mjs [ENTRY] [--root DIR]
 */
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Packages workflow code may load: Temporal's workflow-side SDK, and zod (pure; llm/usage.ts's schemas). */
const ALLOWED_PACKAGES = new Set(['@temporalio/workflow', '@temporalio/common', 'zod']);
const BUILTINS = new Set(builtinModules);

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = path.resolve(rootAt >= 0 ? args[rootAt + 1] : '.');
const positional = args.filter((a, i) => a !== '--root' && i !== rootAt + 1);
const entry = path.resolve(root, positional[0] ?? 'src/workflows/index.ts');

const configFile = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
const options = configFile
  ? ts.parseJsonConfigFileContent(
      ts.readConfigFile(configFile, ts.sys.readFile).config,
      ts.sys,
      path.dirname(configFile),
    ).options
  : { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };

const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/** Module specifiers a file loads at run time: value imports/exports, require() and import() calls. */
function valueImports(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const specs = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) specs.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) specs.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs;
}

const rel = (f) => path.relative(root, f);
const seen = new Map([[entry, null]]); // module -> the module that first reached it
const queue = [entry];
const violations = [];
const chainTo = (file) => {
  const chain = [];
  for (let f = file; f; f = seen.get(f)) chain.unshift(rel(f));
  return chain.join(' -> ');
};

if (!existsSync(entry)) {
  console.error(`check-workflow-imports: ${rel(entry)}: no such file`);
  process.exit(2);
}
while (queue.length > 0) {
  const file = queue.shift();
  for (const spec of valueImports(file)) {
    const bare = !spec.startsWith('.') && !path.isAbsolute(spec);
    if (bare && (spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(packageOf(spec)))) {
      violations.push(`${chainTo(file)} imports ${spec} (a Node builtin)`);
      continue;
    }
    if (bare) {
      if (!ALLOWED_PACKAGES.has(packageOf(spec)))
        violations.push(`${chainTo(file)} imports ${spec} (not a workflow-safe package)`);
      continue;
    }
    const resolved = ts.resolveModuleName(spec, file, options, ts.sys).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) {
      violations.push(`${chainTo(file)} imports ${spec} (does not resolve to a source file)`);
      continue;
    }
    const target = path.resolve(resolved.resolvedFileName);
    if (resolved.extension === '.d.ts' || seen.has(target)) continue;
    seen.set(target, file);
    queue.push(target);
  }
}

if (violations.length > 0) {
  console.error(`workflow code reaches I/O or unvetted packages (${violations.length}):`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log(`workflow code: ${seen.size} modules from ${rel(entry)}, no I/O reachable`);
