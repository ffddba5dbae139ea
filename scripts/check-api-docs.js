#!/usr/bin/env node
"use strict";
/**
 * Checks the public API as the package ships it: the declaration output (`dist/index.d.ts` and
 * every declaration of ours that its exports reach). Each exported symbol, each public member of an
 * exported class or interface, and each type of ours they refer to must have a TSDoc comment, and
 * none may contain `any`. `npm run build` runs it; it exits 1 listing every finding.
 *
 *   node scripts/check-api-docs.js dist/index.d.ts
 */
const path = require("node:path");
const ts = require("typescript");

/** The nearest folder named dist/ that holds `file` (else the folder above the file's own). */
function ownFolder(file) {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) if (path.basename(dir) === "dist") return dir;
  return path.dirname(path.dirname(file));
}

/** Every finding for the declarations reachable from `entry` (a .d.ts file). */
function checkApiDocs(entry) {
  const file = path.resolve(entry);
  // Declarations of ours live under the dist/ folder that holds the entry; anything else is a dependency's.
  const ownRoot = ownFolder(file) + path.sep;
  const program = ts.createProgram([file], { noEmit: true, skipLibCheck: true, types: [], moduleResolution: ts.ModuleResolutionKind.Node10 });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) return [`${entry}: not found`];
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return [`${entry}: exports nothing`];

  const findings = [];
  const seen = new Set();
  const queue = [];
  const own = (decl) => path.resolve(decl.getSourceFile().fileName).startsWith(ownRoot);
  const where = (node) => {
    const sf = node.getSourceFile();
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return `${path.relative(process.cwd(), sf.fileName)}:${line + 1}`;
  };
  const resolve = (symbol) => (symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const enqueue = (symbol, name) => {
    const target = resolve(symbol);
    if (!target || !target.declarations) return;
    for (const decl of target.declarations) {
      // A type parameter is documented by its owner (`@typeParam`); a mapped type's key variable cannot be.
      if (ts.isTypeParameterDeclaration(decl)) continue;
      if (own(decl) && !seen.has(decl)) {
        seen.add(decl);
        queue.push({ decl, name });
      }
    }
  };
  const documented = (node) => ts.getJSDocCommentsAndTags(node).length > 0;
  const hidden = (member) =>
    (ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 ||
    (member.name && ts.isPrivateIdentifier(member.name));

  for (const symbol of checker.getExportsOfModule(moduleSymbol)) enqueue(symbol, symbol.getName());

  while (queue.length > 0) {
    const { decl, name } = queue.shift();
    if (!documented(decl)) findings.push(`${where(decl)} ${name}: no TSDoc comment`);
    const members = ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl) ? decl.members : [];
    for (const member of members) {
      if (ts.isConstructorDeclaration(member) || ts.isIndexSignatureDeclaration(member) || hidden(member)) continue;
      const memberName = member.name ? member.name.getText() : "(member)";
      if (!documented(member)) findings.push(`${where(member)} ${name}.${memberName}: no TSDoc comment`);
    }
    const visit = (node) => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) {
        const owner = node.parent && node.parent.parent ? node.parent.parent.getText().split("\n")[0].trim() : node.getText();
        findings.push(`${where(node)} ${name}: \`any\` in the public API: ${owner}`);
      }
      if (ts.isHeritageClause(node)) return; // a base class of a dependency is that dependency's API
      if (ts.isTypeReferenceNode(node)) enqueue(checker.getSymbolAtLocation(node.typeName), node.typeName.getText());
      if (ts.isImportTypeNode(node) && node.qualifier) enqueue(checker.getSymbolAtLocation(node.qualifier), node.qualifier.getText());
      if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) {
        // private members carry no type in declarations; skip them
        for (const m of node.members) if (!hidden(m)) ts.forEachChild(m, visit);
        for (const h of node.heritageClauses ?? []) ts.forEachChild(h, (t) => ts.forEachChild(t, visitTypeArgs));
        return;
      }
      ts.forEachChild(node, visit);
    };
    const visitTypeArgs = (node) => (ts.isTypeNode(node) ? visit(node) : undefined);
    visit(decl);
  }
  return findings;
}

module.exports = { checkApiDocs };

if (require.main === module) {
  const entry = process.argv[2];
  if (!entry) {
    process.stderr.write("usage: check-api-docs.js <dist/index.d.ts>\n");
    process.exit(2);
  }
  const findings = checkApiDocs(entry);
  if (findings.length > 0) {
    process.stderr.write(`check-api-docs: ${findings.length} problem(s) in the public API\n${findings.map((f) => `  - ${f}`).join("\n")}\n`);
    process.exit(1);
  }
  process.stderr.write("check-api-docs: every exported symbol is documented, and no `any`\n");
}
