/**
 * Entry points: a value in scope whose type a manifest `contextSources` rule names builds the
 * context (`$value.ctx` for an HTTP request), so the chain ends there without a new parameter.
 */
import { Node, type Type } from 'ts-morph';
import type { ContextSourceSpec } from '../../manifest/types.js';
import { normalizeId, withoutIndex } from '../engine/module-id.js';
import { inRepo, moduleOf } from './where.js';

/**
 * Whether `type` is the one `rule` names (by name, and by declaring module when given), or
 * extends it (`interface DigestPayload extends JobPayload`: it carries what the rule reads).
 */
function matches(root: string, type: Type, rule: ContextSourceSpec, depth = 0): boolean {
  const t = type.getNonNullableType();
  if (depth < 8 && t.getBaseTypes().some((b) => matches(root, b, rule, depth + 1))) return true;
  const sym = t.getAliasSymbol() ?? t.getSymbol();
  if (!sym || sym.getName() !== rule.type) return false;
  if (rule.module === undefined) return true;
  const want = withoutIndex(normalizeId(rule.module));
  return sym.getDeclarations().some((d) => {
    const sf = d.getSourceFile();
    if (inRepo(root, sf)) return moduleOf(root, sf) === want;
    // a package: its declarations live under node_modules/<module>/
    return sf.getFilePath().includes(`/node_modules/${want}/`) || sf.getFilePath().includes(`/node_modules/@types/${want}/`);
  });
}

/**
 * The context built from a value in scope at `n` (the innermost scope first: earlier locals of
 * each block, then the parameters of each function), or undefined.
 */
export function sourceAt(root: string, n: Node, rules: readonly ContextSourceSpec[]): { text: string; rule: ContextSourceSpec; value: string } | undefined {
  if (rules.length === 0) return undefined;
  const at = n.getStart();
  const candidates: Array<{ name: string; type: Type }> = [];
  const pick = (): { text: string; rule: ContextSourceSpec; value: string } | undefined => {
    for (const c of candidates) {
      const rule = rules.find((r) => matches(root, c.type, r));
      if (rule) return { text: rule.expression.replace(/\$value\b/g, c.name), rule, value: c.name };
    }
    return undefined;
  };
  for (const anc of n.getAncestors()) {
    candidates.length = 0;
    if (Node.isBlock(anc) || Node.isSourceFile(anc)) {
      for (const st of anc.getStatements()) {
        if (st.getStart() >= at || !Node.isVariableStatement(st)) continue;
        for (const d of st.getDeclarations()) if (Node.isIdentifier(d.getNameNode())) candidates.push({ name: d.getName(), type: d.getType() });
      }
    }
    if (Node.isFunctionLikeDeclaration(anc) || Node.isArrowFunction(anc) || Node.isFunctionExpression(anc)) {
      for (const p of anc.getParameters()) if (Node.isIdentifier(p.getNameNode())) candidates.push({ name: p.getName(), type: p.getType() });
    }
    const found = pick();
    if (found) return found;
  }
  return undefined;
}
