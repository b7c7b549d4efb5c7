/**
 * init's hint for a legacy member that registers or unregisters a connection but has no drafted
 * template: the shim runs such a member on both sides in every mode only when its template calls
 * the hub's connect/disconnect (manifest `registration`), so the TODO says which template to write.
 * Found from the code alone: a method that stores one of its socket-holding parameters (a value
 * with a callable `send`, or a `socket` field holding one) in a collection (`.set(k, p)`,
 * `.add(p)`, `.push(p)`) registers; a method of the same object that deletes from that collection
 * (`.delete(…)`) unregisters. Names of the legacy API never appear here.
 */
import ts from '../engine/ts-api.js';

/** A method body of an object literal or a class: the function and the text of what it stores sockets into. */
type Fn = ts.SignatureDeclaration & { body?: ts.Node | undefined };

const STORE = new Set(['set', 'add', 'push']);

function holdsSocket(checker: ts.TypeChecker, p: ts.ParameterDeclaration): boolean {
  const t = checker.getTypeAtLocation(p);
  const callable = (type: ts.Type, name: string): boolean => {
    const s = type.getProperty(name);
    return s !== undefined && checker.getTypeOfSymbolAtLocation(s, p).getCallSignatures().length > 0;
  };
  // a process handle (a cluster worker, a child process: `send` over IPC, and `kill`) is no client connection
  if (callable(t, 'kill')) return false;
  if (callable(t, 'send')) return true;
  const socket = t.getProperty('socket');
  return socket !== undefined && callable(checker.getTypeOfSymbolAtLocation(socket, p), 'send');
}

/** The receivers (source text, e.g. `clients`, `this.sockets`) `fn` stores a socket-holding parameter into. */
export function socketStores(checker: ts.TypeChecker, fn: Fn): string[] {
  const params = new Set(fn.parameters.filter((p) => ts.isIdentifier(p.name) && holdsSocket(checker, p)).map((p) => (p.name as ts.Identifier).text));
  if (params.size === 0 || !fn.body) return [];
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && STORE.has(n.expression.name.text)) {
      if (n.arguments.some((a) => ts.isIdentifier(a) && params.has(a.text))) out.push(n.expression.expression.getText());
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

/** Whether `fn` deletes from one of `stores` (`clients.delete(id)`): it unregisters a connection. */
export function deletesFrom(fn: Fn, stores: ReadonlySet<string>): boolean {
  if (!fn.body || stores.size === 0) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'delete' && stores.has(n.expression.expression.getText())) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/**
 * The TODO's addition for a member with no template that registers (`stores`) or unregisters a
 * connection: which template makes the shim run it on both sides, so a flip keeps its connections.
 */
export function registrationHint(kind: 'registers' | 'unregisters', store: string): string {
  return kind === 'registers'
    ? `; it registers a connection (stores its socket argument in ${store}): a template calling $hub.connect(…) also runs it on both sides in every mode, so a runtime flip keeps its connections (registration)`
    : `; it unregisters a connection (deletes from ${store}): a template calling $hub.disconnect(…) also runs it on both sides in every mode (registration)`;
}

/** Per member of one object or class (name → method), which ones register or unregister, with the store they use. */
export function registrationKinds(checker: ts.TypeChecker, methods: ReadonlyMap<string, Fn>): Map<string, { kind: 'registers' | 'unregisters'; store: string }> {
  const out = new Map<string, { kind: 'registers' | 'unregisters'; store: string }>();
  const stores = new Set<string>();
  for (const [name, fn] of methods) {
    const s = socketStores(checker, fn);
    if (s.length) {
      out.set(name, { kind: 'registers', store: s[0]! });
      for (const x of s) stores.add(x);
    }
  }
  for (const [name, fn] of methods) {
    if (out.has(name) || !deletesFrom(fn, stores)) continue;
    out.set(name, { kind: 'unregisters', store: [...stores].find((x) => fn.body!.getText().includes(`${x}.delete`)) ?? [...stores][0]! });
  }
  return out;
}
