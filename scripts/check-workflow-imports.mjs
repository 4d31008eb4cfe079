#!/usr/bin/env node
/**
 * Workflow code must be deterministic, and eslint only sees a workflow file's own imports. This walks the
 * VALUE import graph from the workflow bundle's entry (default src/workflows/index.ts) through every module
 * it reaches, with the TypeScript compiler's own parser and resolver, and fails on any Node builtin or any
 * package but the pure ones below — naming the chain that reaches it. Type-only imports are erased by the
 * compiler and never load, so they are not followed; require(), import x = require() and import() are. A
 * relative import must resolve to a .ts (or .json) file in the source tree; a computed specifier, a
 * declaration file (its JavaScript goes unchecked) or a file outside the tree is a violation too.
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
const COMPUTED = Symbol('computed specifier');

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = path.resolve(rootAt >= 0 ? args[rootAt + 1] : '.');
const positional = args.filter((a, i) => a !== '--root' && i !== rootAt + 1);
const entry = path.resolve(root, positional[0] ?? 'src/workflows/index.ts');
const isInside = (file, dir) =>
  !path.relative(dir, file).startsWith('..') && !path.isAbsolute(path.relative(dir, file));
/** Relative imports must stay in the source tree: ROOT/src when the entry is in it (the real graph), else ROOT. */
const srcDir = isInside(entry, path.join(root, 'src')) ? path.join(root, 'src') : root;

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
      ts.isImportEqualsDeclaration(node) &&
      !node.isTypeOnly &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      specs.push(node.moduleReference.expression.text); // import x = require('...')
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      const [arg] = node.arguments;
      // A computed specifier cannot be checked, so it is reported as one (COMPUTED is never allowed).
      specs.push(arg && ts.isStringLiteralLike(arg) ? arg.text : COMPUTED);
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
    if (spec === COMPUTED) {
      violations.push(`${chainTo(file)} imports a computed specifier (cannot be checked)`);
      continue;
    }
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
    if (!isInside(target, srcDir) || target.split(path.sep).includes('node_modules')) {
      violations.push(`${chainTo(file)} imports ${spec} (${rel(target)} is outside ${rel(srcDir) || '.'}/)`);
      continue;
    }
    if (resolved.extension === '.d.ts') {
      // Declarations only: the JavaScript that loads at run time next to them is not checked here.
      violations.push(`${chainTo(file)} imports ${spec} (a declaration file; its JavaScript is unchecked)`);
      continue;
    }
    if (seen.has(target)) continue;
    seen.set(target, file);
    if (resolved.extension !== '.json') queue.push(target); // JSON is data: it imports nothing
  }
}

if (violations.length > 0) {
  console.error(`workflow code reaches I/O or unvetted packages (${violations.length}):`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log(`workflow code: ${seen.size} modules from ${rel(entry)}, no I/O reachable`);
