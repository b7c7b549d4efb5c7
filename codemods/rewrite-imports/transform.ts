import type { SyntaxTransform } from '../engine/transform.js';
import { ImportRewriter } from './rewriter.js';

/**
 * Phase 3: every import form that reaches a legacy module is pointed at the canonical module
 * and name (see codemods/README.md for each form's rule). The transform only emits splices on
 * the original text; the engine applies them and checks the result still parses. One file's
 * rewrite: rewriter.ts, by form: imports.ts, exports.ts, module-values.ts.
 */
export const rewriteImportsTransform: SyntaxTransform = {
  name: 'rewrite-imports',
  prefilterTokens: (rt) => rt.ctx.prefilterTokens,
  // a TypeScript file's JSDoc is documentation (a `{@link Legacy}` is text to this phase), so it is not parsed;
  // a JavaScript file's is, since its JSDoc types are references checkJs resolves (engine/scope.ts)
  jsDoc: false,
  transform(input, rt) {
    return new ImportRewriter(input, rt).run();
  },
};
