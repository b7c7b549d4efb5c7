/**
 * init: the uses of what a legacy lookup's call returns, when it returns a socket — the chain keys
 * (`getConnection.send` for `getConnection(id).send(frame)`, `getSocket.close`) a person gives chain
 * templates so those sends go through the hub (manifest/README.md "Chains on what a lookup
 * returns"). A socket is what the canonical hub registers: a value assignable to the type of
 * `connect`'s socket parameter (read from the canonical entry, not named here). Counted through
 * `!`, parentheses and casts, and through a local the result is stored in first
 * (`const ws = getConnection(id); ws.send(f)`), which remove-adapters rewrites the same way.
 */
import ts from '../engine/ts-api.js';

/** The socket type the hub's `connect(userId, socket, …)` takes, from the canonical operations' symbol. */
export function hubSocketType(checker: ts.TypeChecker, connect: ts.Symbol | undefined): ts.Type | undefined {
  const decl = connect?.valueDeclaration ?? connect?.declarations?.[0];
  if (!connect || !decl) return undefined;
  const sig = checker.getTypeOfSymbolAtLocation(connect, decl).getCallSignatures()[0];
  const param = sig?.parameters[1];
  return param ? checker.getTypeOfSymbolAtLocation(param, decl) : undefined;
}

const skip = (n: ts.Node): ts.Node => {
  let p = n.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p))) {
    n = p;
    p = p.parent;
  }
  return n;
};

/** The member read on a value (`.send` of `x.send(…)`, `x!.send`, `(x).readyState`), if it is read through one. */
function memberRead(value: ts.Node): string | undefined {
  const n = skip(value);
  const p = n.parent;
  return p && ts.isPropertyAccessExpression(p) && p.expression === n ? p.name.text : undefined;
}

/**
 * Per lookup (`lookupOf` gives its key for a call, or undefined for any other call), the members
 * read on what its calls return, with counts, in `files` — only where the call returns a socket.
 */
export function resultChainUses<K>(checker: ts.TypeChecker, files: readonly ts.SourceFile[], socket: ts.Type, lookupOf: (call: ts.CallExpression) => K | undefined): Map<K, Map<string, number>> {
  const out = new Map<K, Map<string, number>>();
  const count = (k: K, member: string): void => {
    const m = out.get(k) ?? out.set(k, new Map()).get(k)!;
    m.set(member, (m.get(member) ?? 0) + 1);
  };
  const returnsSocket = (call: ts.CallExpression): boolean => {
    const t = checker.getNonNullableType(checker.getTypeAtLocation(call));
    return (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) === 0 && checker.isTypeAssignableTo(t, socket);
  };
  for (const sf of files) {
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && !n.questionDotToken) {
        const k = lookupOf(n);
        if (k !== undefined && returnsSocket(n)) {
          const direct = memberRead(n);
          if (direct !== undefined) count(k, direct);
          // stored first: the local's own member reads in this file
          const holder = skip(n).parent;
          const name = holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name : undefined;
          if (name) {
            const local = checker.getSymbolAtLocation(name);
            const scan = (m: ts.Node): void => {
              if (ts.isIdentifier(m) && m !== name && m.text === name.text && checker.getSymbolAtLocation(m) === local) {
                const member = memberRead(m);
                if (member !== undefined) count(k, member);
              }
              ts.forEachChild(m, scan);
            };
            scan(sf);
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}
