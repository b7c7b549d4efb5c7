/**
 * Which parameter a threaded function gets: a parameter the context covers is replaced (every
 * use of `userId: string` reads the context's `userId`, and every caller passes exactly that
 * field of the context it has), else a new one is added before the first optional parameter.
 */
import { Node, type ParameterDeclaration } from 'ts-morph';
import { referencesOf } from '../engine/references.js';
import type { ContextType } from './context-type.js';
import type { FnNode } from './graph.js';

export interface ParamPlan {
  /** The context parameter's name in this function. */
  name: string;
  index: number;
  /** Set when the parameter at `index` is replaced: the context field it stood for. */
  field?: string;
}

const NAMES = ['ctx', 'context', 'userContext', 'executionContext'];

function freeName(n: FnNode): string {
  const text = n.fn.getText();
  return NAMES.find((x) => !new RegExp(`\\b${x}\\b`).test(text)) ?? `ctx${n.fn.getStart()}`;
}

/** A parameter every use of which the context's field of the same name covers. */
function coveredField(p: ParameterDeclaration, ctx: ContextType): string | undefined {
  const nameNode = p.getNameNode();
  if (!Node.isIdentifier(nameNode) || p.isOptional() || p.hasInitializer() || p.isRestParameter() || p.isParameterProperty()) return undefined;
  const field = nameNode.getText();
  const fieldType = ctx.props.get(field);
  if (!fieldType || !fieldType.isAssignableTo(p.getType())) return undefined;
  for (const r of referencesOf(nameNode)) {
    if (r === nameNode) continue;
    const parent = r.getParent();
    const written = (Node.isBinaryExpression(parent) && parent.getLeft() === r && /=$/.test(parent.getOperatorToken().getText()) && parent.getOperatorToken().getText() !== '==' && parent.getOperatorToken().getText() !== '===')
      || Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent);
    if (written) return undefined;
  }
  return field;
}

/** Plans for every changed function; a replacement survives only where every caller passes the context's field. */
export function planParams(changed: readonly FnNode[], ctx: ContextType): Map<FnNode, ParamPlan> {
  const plans = new Map<FnNode, ParamPlan>();
  for (const n of changed) {
    const params = n.fn.getParameters();
    const name = freeName(n);
    const covered = params.map((p, i) => ({ i, field: coveredField(p, ctx) })).find((x) => x.field !== undefined);
    if (covered) plans.set(n, { name, index: covered.i, field: covered.field! });
    else {
      const firstOptional = params.findIndex((p) => p.isOptional() || p.hasInitializer() || p.isRestParameter());
      plans.set(n, { name, index: firstOptional < 0 ? params.length : firstOptional });
    }
  }
  // demote replacements whose callers pass something else than that field (another user's id)
  let changedAny = true;
  while (changedAny) {
    changedAny = false;
    for (const [n, plan] of plans) {
      if (plan.field === undefined) continue;
      const ok = n.callers.every((e) => {
        if (e.kind === 'boundary') return false;
        const arg = e.call.getArguments()[plan.index];
        if (!arg) return false;
        if (e.kind === 'ctx' || e.kind === 'source') return arg.getText().replace(/\s+/g, '') === `${e.text}.${plan.field}`.replace(/\s+/g, '');
        const callerPlan = plans.get(e.to);
        if (!callerPlan || callerPlan.field !== plan.field || !Node.isIdentifier(arg)) return false;
        const decl = arg.getSymbol()?.getDeclarations()[0];
        return decl !== undefined && decl === e.to.fn.getParameters()[callerPlan.index];
      });
      if (ok) continue;
      const params = n.fn.getParameters();
      const firstOptional = params.findIndex((p) => p.isOptional() || p.hasInitializer() || p.isRestParameter());
      plans.set(n, { name: plan.name, index: firstOptional < 0 ? params.length : firstOptional });
      changedAny = true;
    }
  }
  return plans;
}
