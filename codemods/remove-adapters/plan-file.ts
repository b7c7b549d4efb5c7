/**
 * Phase 4, type-aware: every analysis question (is this value an adapter? is this call a legacy
 * factory entry? which UserExecutionContext is in scope?) is answered by the type checker on
 * the unchanged project, and turned into text splices; nothing is edited through ts-morph
 * (it would re-parse on every manipulation).
 */
import { Node, ts as morphTs, type AsExpression, type AwaitExpression, type ClassDeclaration, type CallExpression, type Identifier, type TypeAssertion, type ConstructorDeclaration, type VariableDeclaration, type NewExpression, type ParameterDeclaration, type PropertyAccessExpression, type SourceFile, type Symbol as MorphSymbol, type Type } from 'ts-morph';
import ts from '../engine/ts-api.js';
import type { AdapterSpec, ConstructionSpec, InstanceSpec, LegacyClassSpec, SsotManifest } from '../../manifest/types.js';
import type { ReviewItem } from '../phase/types.js';
import { hasTodoMarker, todoComment } from '../legacy-use/markers.js';
import { applyEdits } from '../engine/edits.js';
import { moduleLoadOf } from '../engine/import-forms.js';
import { importInsertion } from '../engine/import-place.js';
import { isCommonJsScript, requireLine } from '../engine/module-kind.js';
import { sourcePunctuation } from '../engine/import-style.js';
import { moduleIdOf, normalizeId } from '../engine/module-id.js';
import { mergeInto, removeElements, type NamedSpec } from '../engine/named-list.js';
import { parseSource } from '../engine/parse.js';
import { bindingReferences, buildScopeIndex, referencedNames } from '../engine/scope.js';
import { detectEol, indentAt, lineColumn, lineRangeKeepingOneBlank, lineStartOf, statementLineRange } from '../engine/text.js';
import type { Edit } from '../engine/types.js';
import { identifierText, stringLiteral } from '../engine/literal.js';
import { asOperand, expandTemplate, HUB_EXPORT, templateFreeNames, templateUses } from '../../manifest/templates.js';
import { fieldMemberTemplates } from '../../manifest/field-members.js';
import { bindTemplate, isPure, partText, planArguments, receiverOperand } from './arguments.js';
import { LegacyClasses, mayBeAbsent } from './members.js';
import { chainLinks, planChain, type ChainGuard, type ChainLink, type ChainPlan } from './chain-guard.js';
import { storedCall, storedLookup, type StoredLookupHead, type StoredUse } from './stored-lookups.js';
import { planConstruction } from './construction-plan.js';
import { onMissingContext } from './missing-context.js';
import { isFn, type Fn } from '../context-threading/functions.js';
import { containerBuilt } from '../context-threading/boundary.js';
import { exportedValues, type ExportedValue } from '../legacy-use/exported-values.js';
import type { TsApi } from '../strangle/commonjs-shape.js';
import type * as TS from 'typescript';
import { UntypedLoads } from './untyped-loads.js';
import { hoistHubEdits } from './hoist-hub.js';
import { heldValue } from './held.js';
import { FreeFunctions, type FreeFunctionHit } from './free-functions.js';
import { LegacyStatics, type StaticHit } from './statics.js';
import { bindingUses } from '../engine/references.js';
import { BootConstructions, bare, castReference, type StoredInstance } from '../engine/constructions.js';
import { isPromiseLike } from '../engine/floating.js';

/** A use of a lookup's result remove-adapters left marked: `stored` when it sends to the socket a local holds. */
export interface LookupMark {
  readonly about: string;
  readonly file: string;
  readonly line: number;
  readonly stored?: true;
}

export interface FileChange {
  file: string;
  before: string;
  after: string;
}

export interface AnalysisResult {
  changes: FileChange[];
  needsReview: ReviewItem[];
  problems: ReviewItem[];
  edits: number;
  /** Factory calls whose context was threaded through their callers (codemods/context-threading). */
  threaded?: number;
  /** Per file with threaded calls: only their TODO markers, kept when the type guard withdraws the file. */
  markers?: Map<string, { after: string; items: ReviewItem[]; threaded: number }>;
  /**
   * Files whose legacy type imports must stay: a cast in them names the legacy class of a value
   * that still holds a legacy instance (a boot construction no constructions[] entry rewrites).
   */
  heldBack?: Set<string>;
  /** Members of split classes still used by a use this phase marked (`Class.member` → file:line): they stay in the class. */
  splitUses?: ReadonlyMap<string, string>;
  /** Fields with per-member templates that had both a marked use and a rewritten one (`Class.field` → the marked use): planned again held. */
  fieldConflicts?: ReadonlyMap<string, ReviewItem>;
  /** Every field with per-member templates that had a use marked (`Class.field` → its first marked use). */
  fieldMarks?: ReadonlyMap<string, ReviewItem>;
  /** Uses of fields with templates per member marked for want of a context (Analyzer.fieldContextMarks), for the plan holding them. */
  fieldContextMarks?: ReadonlyMap<string, string>;
  /** Uses of a lookup's result marked for want of a chain template or a plain one (`getConnection`, `Class.getSocket`). */
  /** Uses of a lookup's result left marked: uncovered, or (`stored`) a send to the socket a local holds. */
  lookupMarks?: ReadonlyArray<LookupMark>;
  /** Per file whose casts were retyped to a constructions[] type: the files whose constructions make that true. */
  castSources?: Map<string, Set<string>>;
  /**
   * Per object manager (`classes[]` entry naming a const that holds an object literal; key
   * `module#name`), the files calling its members, each with whether a use there was left marked.
   * Its state is its module's, so its calls move to the hub in every file or none.
   */
  objectUses?: Map<string, Map<string, boolean>>;
  /**
   * Per object manager (same keys), the files with a use this phase rewrites (one not marked): only
   * those move its calls to the hub. A file whose every use is marked keeps them on the legacy object
   * and moves nothing, so its markers are written whatever the other files do.
   */
  objectRewrites?: Map<string, Set<string>>;
}

/** A splice whose text may depend on the (already rewritten) text of nodes inside it. */
interface NodeEdit {
  factory?: boolean;
  /** A replaced factory call's callee: the names in it are gone even when the new text repeats one. */
  callee?: { start: number; end: number };
  start: number;
  end: number;
  make: (render: (n: Node) => string) => string;
  /** Canonical values the new text names (bound to a local name once every edit is known). */
  needs?: ReadonlyArray<'factory' | 'hub'>;
  /** A rewritten call site whose value may now be a promise (checked for floating). */
  site?: boolean;
  /** Part of removing this adapter (an unwrap, a method call, a type): withdrawn when one of its calls in the file stays. */
  adapter?: AdapterSpec;
  /** The canonical type the edit writes (imported only if the edit is kept). */
  type?: string;
  /** The rewritten call site: a text opening with `(` there may need a `;` before it (asiGuard). */
  at?: Node;
}

/**
 * `;` before a rewritten expression statement that now opens with `(`, `[` or a backtick, after a
 * statement its file leaves without one: automatic semicolon insertion would not end that
 * statement, and the two would read as one (`foo()\n(($1) => …)(x)` calls foo's result).
 */
function asiGuard(site: Node, text: string): string {
  if (!/^[([`]/.test(text)) return text;
  let st: Node = site;
  while (!Node.isStatement(st) && st.getParent() !== undefined && st.getParent()!.getStart() === site.getStart()) st = st.getParent()!;
  if (!Node.isExpressionStatement(st)) return text;
  const prev = st.getPreviousSibling();
  const open = prev !== undefined && (Node.isExpressionStatement(prev) || Node.isVariableStatement(prev) || Node.isImportDeclaration(prev) || Node.isExportDeclaration(prev) || Node.isExportAssignment(prev) || Node.isTypeAliasDeclaration(prev) || Node.isDoStatement(prev) || Node.isReturnStatement(prev) || Node.isThrowStatement(prev) || Node.isBreakStatement(prev) || Node.isContinueStatement(prev) || Node.isImportEqualsDeclaration(prev));
  return open && !prev.getText().endsWith(';') ? `;${text}` : text;
}

const stripLegacy = (id: string): string => id.replace(/\.legacy$/, '');

function declModule(root: string, decl: Node): string {
  const p = decl.getSourceFile().getFilePath();
  return stripLegacy(moduleIdOf(p.startsWith(`${root}/`) ? p.slice(root.length + 1) : p));
}

/**
 * The module and export a CommonJS load binds: `const m = require('x')` (the whole export,
 * `default`), `const { m } = require('x')` and `const m = require('x').m` (the export `m`).
 */
function requiredExport(decl: Node): { module: SourceFile; name: string } | undefined {
  let name = 'default';
  let v: Node | undefined = decl;
  if (Node.isBindingElement(decl)) {
    const key = decl.getPropertyNameNode() ?? decl.getNameNode();
    if (!Node.isIdentifier(key)) return undefined;
    name = key.getText();
    v = decl.getParent()?.getParent();
  }
  if (!Node.isVariableDeclaration(v)) return undefined;
  let init = v.getInitializer();
  if (name === 'default' && init && Node.isPropertyAccessExpression(init)) {
    name = init.getName();
    init = init.getExpression();
  }
  if (!init || !Node.isCallExpression(init) || init.getExpression().getText() !== 'require' || (Node.isBindingElement(decl) && name === 'default')) return undefined;
  const arg = init.getArguments()[0];
  if (!arg || !Node.isStringLiteral(arg)) return undefined;
  const target = arg.getSymbol()?.getDeclarations()[0];
  return target && Node.isSourceFile(target) ? { module: target, name } : undefined;
}

function resolved(sym: MorphSymbol | undefined): MorphSymbol | undefined {
  if (!sym) return undefined;
  return sym.isAlias() ? (sym.getAliasedSymbol() ?? sym) : sym;
}

/**
 * The declaration a name stands for: through import aliases, and through a binding destructured
 * from `await import('…')` or `require('…')` (`const { F } = await import(m)`: the binding's
 * own declaration is the pattern, its type's symbol is the module's class or function).
 */
function declOf(n: Node): Node | undefined {
  const decl = resolved(n.getSymbol())?.getDeclarations()[0];
  if (!decl || !Node.isBindingElement(decl)) return decl;
  const viaType = n.getType().getSymbol()?.getDeclarations()[0];
  return viaType && (Node.isClassDeclaration(viaType) || Node.isFunctionDeclaration(viaType)) ? viaType : decl;
}

function declName(d: Node): string | undefined {
  if (Node.isClassDeclaration(d) || Node.isFunctionDeclaration(d) || Node.isVariableDeclaration(d)) return d.getName();
  return undefined;
}

/** What a destructuring's initializer reads, under parentheses, casts and `!`. */
/** Whether class `c` extends `base`, directly or through classes between (the checker's base types). */
function derivesFrom(c: ClassDeclaration, base: ClassDeclaration): boolean {
  const seen = new Set<Node>();
  for (let at: ClassDeclaration | undefined = c.getBaseClass(); at && !seen.has(at); at = at.getBaseClass()) {
    if (at === base) return true;
    seen.add(at);
  }
  return false;
}

function bareInit(init: Node): Node {
  let bare = init;
  while (Node.isParenthesizedExpression(bare) || Node.isAsExpression(bare) || Node.isNonNullExpression(bare) || Node.isSatisfiesExpression(bare)) bare = bare.getExpression();
  return bare;
}

/** How an uncovered use of a lookup's result reads, for its marker (`.close`, or stored / passed on). */
const resultUse = (links: readonly ChainLink[]): string => (links.length ? `its result used as \`.${links.map((l) => l.name).join('.')}\`` : 'its result stored, passed on or returned');

export class Analyzer {
  readonly classes: LegacyClasses;
  /** Legacy modules loaded by an untyped `require()`: their declared exports stand in for `any`. */
  readonly loads: UntypedLoads;
  /** Boot constructions (constructions[]) and where their instances are stored; scanned by analyze.ts. */
  readonly constructions: BootConstructions;
  /** Free functions of legacy modules (functions[]), by the declaration a name resolves to. */
  readonly freeFunctions: FreeFunctions;
  /** Statics of legacy classes whose classes[] entry has a statics table, by the declaration a member name resolves to. */
  readonly statics: LegacyStatics;
  /** Members of split classes (splits[]) a use still needs, `Class.member` → file:line of a use marked TODO(ssot). */
  readonly splitUses = new Map<string, string>();
  /**
   * Fields with templates per member (`classes[].members["sockets.set"]`), `Class.field`: where a use
   * was marked (the first), and which had a use rewritten. Both for one field would split its state
   * (the rewritten uses on the hub, the marked one on the field): analyze.ts plans again with it held.
   */
  readonly fieldMarked = new Map<string, ReviewItem>();
  readonly fieldRewritten = new Set<string>();
  /** Fields planned as held (`Class.field`): no use is rewritten, the uncovered ones are still marked. */
  heldFields: ReadonlySet<string> = new Set();
  /**
   * Uses of a field with templates per member marked for want of a context, by fieldUseKey → message:
   * this plan's, and (heldContextMarks) the plan before the field was held. A held field's uses are
   * not threaded, so a held plan cannot tell a use threading reached from one it could not: it
   * keeps the earlier plan's answer.
   */
  readonly fieldContextMarks = new Map<string, string>();
  heldContextMarks: ReadonlyMap<string, string> = new Map();
  /** Uses of a lookup's result marked because it has chain templates but none for the use and no plain template (the commit says so). */
  readonly lookupMarks: LookupMark[] = [];
  /** Files calling an object manager's members, per manager (AnalysisResult.objectUses). */
  readonly objectUses = new Map<string, Map<string, boolean>>();
  /** Files with an object manager's use this phase rewrites (AnalysisResult.objectRewrites): the latest plan of each file says. */
  readonly objectRewrites = new Map<string, Set<string>>();
  /** Files whose legacy type imports a cast on a still-legacy instance holds back (AnalysisResult.heldBack). */
  readonly heldBack = new Set<string>();
  /** Files with casts retyped to an entry's type → the files rewriting the constructions they read (AnalysisResult.castSources). */
  readonly castSources = new Map<string, Set<string>>();
  private readonly factoryFns = new Map<string, Set<string>>(); // module → function names
  private readonly factoryStatics = new Map<string, Map<string, Set<string>>>(); // module → class → methods
  readonly canonicalFactory: string;
  readonly contextType: string;
  readonly canonicalExports: ReadonlySet<string>;
  /**
   * Asked when no context is in scope: one built from an entry point's value (a contextSources
   * rule), or why there is none beyond "none in scope" (context threading's chain to its boundary).
   */
  noContext?: (site: Node) => { text: string } | { missing: string } | undefined;
  /**
   * Every call of a function when all are in files this phase edits and nothing fixes its
   * signature (publicApi, a callback, a base type), else why not (context-threading/callers.ts).
   * Unset: no unused parameter is dropped.
   */
  callersOf?: (fn: Fn) => { calls: Array<CallExpression | NewExpression> } | { boundary: string };

  constructor(private readonly root: string, private readonly manifest: SsotManifest) {
    // both serve the factory rewrite only; the phase declares them needed when `factory` is given
    this.canonicalFactory = manifest.canonical.factory ?? '';
    this.canonicalExports = new Set(manifest.canonical.exports);
    this.contextType = manifest.canonical.contextType ?? '';
    this.classes = new LegacyClasses(root, manifest);
    this.loads = new UntypedLoads(root, manifest);
    this.constructions = new BootConstructions(root, manifest);
    this.freeFunctions = new FreeFunctions(root, manifest);
    this.statics = new LegacyStatics(root, manifest);
    for (const e of manifest.factory?.entries ?? []) {
      const mod = normalizeId(e.module).replace(/\/index$/, '');
      const [head, method] = e.call.split('.');
      if (method === undefined) (this.factoryFns.get(mod) ?? this.factoryFns.set(mod, new Set()).get(mod)!).add(head!);
      else {
        const byClass = this.factoryStatics.get(mod) ?? this.factoryStatics.set(mod, new Map()).get(mod)!;
        (byClass.get(head!) ?? byClass.set(head!, new Set()).get(head!)!).add(method);
      }
    }
  }

  private mod(decl: Node): string {
    return declModule(this.root, decl).replace(/\/index$/, '');
  }

  /**
   * The instances[] entry an identifier reads: an instance a legacy module exports, reached through
   * any import form, alias or re-export (a strangled facade's `export { m } from './m.legacy.js'`
   * included). In `{ m }` the value's symbol is asked, not the property's.
   */
  instanceOf(id: Node): { spec: InstanceSpec; index: number } | undefined {
    const entries = this.manifest.instances ?? [];
    if (entries.length === 0) return undefined;
    const parent = id.getParent();
    const sym = parent && Node.isShorthandPropertyAssignment(parent) && parent.getNameNode() === id ? parent.getValueSymbol() : id.getSymbol();
    const decl = resolved(sym)?.getDeclarations()[0];
    if (!decl) return undefined;
    // a CommonJS load names the module itself: `const m = require('…')`, `const { m } = require('…')`, `const m = require('…').m`
    const load = requiredExport(decl);
    const file = load ? load.module : decl.getSourceFile();
    const mod = this.mod(file);
    if (!entries.some((x) => normalizeId(x.module).replace(/\/index$/, '') === mod)) return undefined;
    // which export it is, in each shape a module exports a value (the reading init drafts instances[] by)
    const names = load ? [load.name] : this.exportedValuesOf(file).filter((v) => v.decl === decl.compilerNode).map((v) => v.name);
    const index = entries.findIndex((x) => names.includes(x.name) && normalizeId(x.module).replace(/\/index$/, '') === mod);
    return index < 0 ? undefined : { spec: entries[index]!, index };
  }

  /** The instances[] entry a `require('…')` of a legacy module loads whole (`module.exports = new M()`: its entry is named `default`). */
  instanceOfLoad(call: Node): { spec: InstanceSpec; index: number } | undefined {
    if (!Node.isCallExpression(call)) return undefined;
    const arg = call.getArguments()[0];
    const target = arg && Node.isStringLiteral(arg) ? arg.getSymbol()?.getDeclarations()[0] : undefined;
    if (!target || !Node.isSourceFile(target)) return undefined;
    const mod = this.mod(target);
    const entries = this.manifest.instances ?? [];
    const index = entries.findIndex((x) => x.name === 'default' && normalizeId(x.module).replace(/\/index$/, '') === mod);
    return index < 0 ? undefined : { spec: entries[index]!, index };
  }

  private readonly exportedValues = new Map<SourceFile, ExportedValue[]>();
  private exportedValuesOf(sf: SourceFile): ExportedValue[] {
    let v = this.exportedValues.get(sf);
    if (!v) this.exportedValues.set(sf, (v = exportedValues(morphTs as unknown as TsApi, sf.getProject().getTypeChecker().compilerObject as unknown as TS.TypeChecker, sf.compilerNode as unknown as TS.SourceFile) ?? []));
    return v;
  }

  /** The adapter a declaration is (the class, or a strangled facade's routed const). */
  adapterOfDecl(decl: Node | undefined): AdapterSpec | undefined {
    if (!decl) return undefined;
    const name = declName(decl);
    const mod = this.mod(decl);
    return this.manifest.adapters.find((a) => a.class === name && normalizeId(a.module).replace(/\/index$/, '') === mod);
  }

  adapterOfType(type: Type): AdapterSpec | undefined {
    const t = type.getNonNullableType();
    for (const part of t.isUnion() ? t.getUnionTypes() : [t]) {
      const a = this.adapterOfDecl(part.getSymbol()?.getDeclarations()[0]);
      if (a) return a;
    }
    return undefined;
  }

  /**
   * An adapter built by one of its own static methods (`RunEventPusher.forCurrentRequest(hub)`):
   * a static method of an adapter class that returns that class and takes the wrapped manager
   * (a parameter of the type of the constructor's `unwrapArg` parameter). Found from the code,
   * whatever the method is called; `arg` is the manager's index, undefined when no single
   * parameter has the manager's type (then the call is left to a person).
   */
  adapterFactoryOf(call: CallExpression): { spec: AdapterSpec; method: string; arg: number | undefined } | undefined {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    const decl = resolved(callee.getNameNode().getSymbol())?.getDeclarations()[0];
    if (!decl || !Node.isMethodDeclaration(decl) || !decl.isStatic()) return undefined;
    const cls = decl.getParent();
    if (!Node.isClassDeclaration(cls)) return undefined;
    const spec = this.adapterOfDecl(cls);
    if (!spec || this.adapterOfType(decl.getReturnType()) !== spec) return undefined;
    const managerType = cls.getConstructors()[0]?.getParameters()[spec.unwrapArg]?.getType().getNonNullableType().compilerType;
    const params = decl.getParameters();
    const matching = managerType ? params.map((p, i) => (p.getType().getNonNullableType().compilerType === managerType ? i : -1)).filter((i) => i >= 0) : [];
    return { spec, method: decl.getName(), arg: matching.length === 1 ? matching[0] : undefined };
  }

  /** The declaration a name or member read stands for, through untyped loads of legacy modules too. */
  private declAt(n: Node): Node | undefined {
    const viaLoad = this.loads.declOf(n);
    if (viaLoad && !Node.isSourceFile(viaLoad)) return viaLoad;
    return declOf(Node.isPropertyAccessExpression(n) ? n.getNameNode() : n);
  }

  /** An expression's type; `any` from an untyped load of a legacy module is looked through (untyped-loads.ts). */
  typeOf(n: Node): Type {
    return this.loads.typeOf(n);
  }

  /**
   * The canonical factory called with no argument through an untyped load (`const { f } =
   * require(canonical); f()`): the checker cannot see the missing context, which throws at run
   * time; this phase supplies it as for a legacy factory call (the load stays as written).
   */
  isBareCanonicalFactoryCall(call: CallExpression): boolean {
    return this.canonicalFactory !== '' && call.getArguments().length === 0 && this.loads.isCanonical(call.getExpression(), this.canonicalFactory);
  }

  /** The free function (functions[]) a name or member read stands for, through any import form. */
  freeFunctionOf(n: Node): FreeFunctionHit | undefined {
    return this.freeFunctions.any ? this.freeFunctions.of(n, (x) => this.declAt(x)) : undefined;
  }

  /** Whether `call` is a legacy factory entry (by the declaration its callee resolves to). */
  isFactoryCall(call: CallExpression): boolean {
    const callee = call.getExpression();
    if (Node.isPropertyAccessExpression(callee)) {
      const method = callee.getName();
      const owner = this.declAt(callee.getExpression());
      const ownerName = owner && declName(owner);
      if (owner && ownerName && this.factoryStatics.get(this.mod(owner))?.get(ownerName)?.has(method)) return true;
    }
    const decl = this.declAt(callee);
    const name = decl && declName(decl);
    return decl !== undefined && name !== undefined && this.factoryFns.get(this.mod(decl))?.has(name) === true;
  }

  /**
   * A call into a module the migration deletes (a `legacy[]` module, by the declaration its
   * callee resolves to), with a callee and arguments that can be dropped (isPure): e.g. the
   * legacy getter of a shared instance, `mod.getFactory()`. What such a call does is the legacy
   * module's own work, which goes with the module; so a member template that does not use its
   * receiver may drop it. (A call into any other module keeps its effects: bind it first.)
   */
  isLegacyCall(n: Node): boolean {
    if (!Node.isCallExpression(n) || !isPure(n.getExpression()) || !n.getArguments().every(isPure)) return false;
    const decl = this.declAt(n.getExpression());
    if (!decl) return false;
    const mod = this.mod(decl);
    return this.manifest.legacy.some((l) => normalizeId(l.module).replace(/\/index$/, '') === mod);
  }

  /** Whether a declaration is a legacy module's (`legacy[]`, its frozen body included). */
  isLegacyDeclaration(decl: Node | undefined): boolean {
    if (!decl) return false;
    const mod = this.mod(decl);
    return this.manifest.legacy.some((l) => normalizeId(l.module).replace(/\/index$/, '') === mod);
  }

  /** A file's repo-relative path. */
  relative(sf: SourceFile): string {
    const p = sf.getFilePath();
    return p.startsWith(`${this.root}/`) ? p.slice(this.root.length + 1) : p;
  }

  /**
   * Ranges (project text) other files' plans delete in a file, by repo-relative path: the arguments
   * of a `new` whose injected parameter they removed. analyze.ts plans each such file with them.
   */
  readonly removals = new Map<string, Array<{ start: number; end: number }>>();
  /** Whether a file may take such a removal (analyze.ts: one the phase edits, that parses). Unset: none may. */
  plannable?: (file: string) => boolean;

  removeIn(sf: SourceFile, range: { start: number; end: number }): void {
    const file = this.relative(sf);
    const list = this.removals.get(file) ?? this.removals.set(file, []).get(file)!;
    if (!list.some((r) => r.start === range.start && r.end === range.end)) list.push(range);
  }

  isContext(type: Type): boolean {
    if (type.isNullable() || type.isAny() || type.isUnknown()) return false;
    return (type.getAliasSymbol() ?? type.getSymbol())?.getName() === this.contextType;
  }

  /** The context type or undefined (an optional `readonly userContext?: Ctx`): in scope only when it is the one candidate. */
  private isOptionalContext(type: Type): boolean {
    return type.isUnion() && type.getUnionTypes().some((t) => t.isUndefined()) && this.isContext(type.getNonNullableType());
  }

  /**
   * A use of a field with templates per member of it: where the templated chain ends — the site
   * member() rewrites, and the one context threading gives a context when the template's
   * placeholders (returned) need it (`$ctx`, `$user(x)`). Undefined for
   * anything else (no such field, no template covering the use, a held field, `$legacy`/`$self`).
   */
  fieldTemplateSite(access: PropertyAccessExpression): { site: CallExpression | PropertyAccessExpression; names: ReadonlySet<string> } | undefined {
    const parent = access.getParent();
    if (Node.isCallExpression(parent) && parent.getExpression() === access) return undefined; // a member call, not a field use
    const spec = this.classes.specOf(this.typeOf(access.getExpression()), access);
    const perMember = spec ? fieldMemberTemplates(spec.members).get(access.getName()) : undefined;
    if (!spec || !perMember || this.heldFields.has(`${spec.class}.${access.getName()}`)) return undefined;
    const links = chainLinks(access);
    const plan = planChain({ subject: `${spec.class}.${access.getName()}`, key: access.getName(), called: false, subjectArgs: [], links, chains: perMember, plain: Object.hasOwn(spec.members, access.getName()) ? spec.members[access.getName()] : undefined });
    if ('problem' in plan || !plan.hit) return undefined;
    const { names } = templateUses(plan.guard ? `(${plan.guard.template}) == null ? undefined : (${plan.hit.template})` : plan.hit.template);
    if (names.has('legacy') || names.has('self')) return undefined;
    return { site: links[plan.hit.length - 1]!.end, names };
  }

  /**
   * The heads of the dotted keys of every table (`getConnection` of "getConnection.send", `sockets` of
   * "sockets.get.send"): a call whose callee has none of these names stores no lookup with chains (a
   * cheap filter before stored-lookups.ts's type questions).
   */
  get lookupChainHeads(): ReadonlySet<string> {
    const heads = (t: Record<string, string> | undefined): string[] => Object.keys(t ?? {}).filter((k) => k.includes('.')).map((k) => k.slice(0, k.indexOf('.')));
    return (this.lookupChainHeadsCache ??= new Set([...this.manifest.functions.flatMap((f) => heads(f.templates)), ...this.manifest.classes.flatMap((c) => [...heads(c.members), ...heads(c.statics)])]));
  }
  private lookupChainHeadsCache: ReadonlySet<string> | undefined;

  /** The field names some classes[] entry has templates per member for (a cheap filter before the type questions of fieldTemplateSite). */
  get templatedFields(): ReadonlySet<string> {
    return (this.templatedFieldsCache ??= new Set(this.manifest.classes.flatMap((c) => [...fieldMemberTemplates(c.members).keys()])));
  }
  private templatedFieldsCache: ReadonlySet<string> | undefined;

  /**
   * The placeholders of the template a legacy member access is rewritten by (`classes[].members`);
   * undefined when none applies (no template, or one only the shim can run: `$legacy`, `$self`).
   */
  memberTemplateUses(access: Node): ReadonlySet<string> | undefined {
    if (!Node.isPropertyAccessExpression(access)) return undefined;
    const spec = this.classes.specOf(this.typeOf(access.getExpression()), access);
    const name = access.getName();
    const template = spec && Object.hasOwn(spec.members, name) ? spec.members[name] : undefined;
    if (template === undefined) return undefined;
    const { names } = templateUses(template);
    return names.has('legacy') || names.has('self') ? undefined : names;
  }

  private canonicalMembersCache: ReadonlySet<string> | null | undefined;

  /**
   * The members of the canonical manager (what the canonical factory returns), read from the
   * canonical module as the checker resolves it from the repo; undefined when it is not found.
   */
  canonicalMembers(at: Node): ReadonlySet<string> | undefined {
    if (this.canonicalMembersCache === undefined) this.canonicalMembersCache = this.findCanonicalMembers(at) ?? null;
    return this.canonicalMembersCache ?? undefined;
  }

  private findCanonicalMembers(at: Node): ReadonlySet<string> | undefined {
    if (!this.canonicalFactory) return undefined;
    const project = at.getProject();
    const spec = this.manifest.canonical.module;
    const fromImport = project.getSourceFiles().flatMap((sf) => sf.getImportDeclarations()).find((i) => i.getModuleSpecifierValue() === spec)?.getModuleSpecifierSourceFile();
    const resolved = fromImport ?? (() => {
      const r = morphTs.resolveModuleName(spec, at.getSourceFile().getFilePath(), project.getCompilerOptions(), project.getModuleResolutionHost()).resolvedModule;
      return r ? (project.getSourceFile(r.resolvedFileName) ?? project.addSourceFileAtPathIfExists(r.resolvedFileName)) : undefined;
    })();
    const decl = resolved?.getExportedDeclarations().get(this.canonicalFactory)?.[0];
    if (!decl || !(Node.isFunctionDeclaration(decl) || Node.isVariableDeclaration(decl))) return undefined;
    const sig = decl.getType().getCallSignatures()[0];
    return sig ? new Set(sig.getReturnType().getProperties().map((p) => p.getName())) : undefined;
  }

  /**
   * The context for a factory call: an argument of the context type, else the innermost
   * scope's single parameter / earlier local / `this` property of that type. Two candidates at
   * the same level is ambiguous: no guess.
   */
  contextFor(call: Node): { text: string; optional?: boolean } | { missing: string } {
    const args = (Node.isCallExpression(call) ? call.getArguments() : []).filter((a) => this.isContext(a.getType()));
    if (args.length === 1) return { text: args[0]!.getText() };
    if (args.length > 1) return { missing: 'several context arguments; pick the one the manager is for' };
    const at = call.getStart();
    for (const anc of call.getAncestors()) {
      const found: string[] = [];
      if (Node.isBlock(anc) || Node.isSourceFile(anc) || Node.isCaseClause(anc) || Node.isDefaultClause(anc)) {
        for (const st of anc.getStatements()) {
          if (st.getStart() >= at || !Node.isVariableStatement(st)) continue;
          for (const d of st.getDeclarations()) if (Node.isIdentifier(d.getNameNode()) && this.isContext(d.getType())) found.push(d.getName());
        }
      }
      if (Node.isFunctionLikeDeclaration(anc) || Node.isArrowFunction(anc) || Node.isFunctionExpression(anc)) {
        for (const p of anc.getParameters()) if (Node.isIdentifier(p.getNameNode()) && this.isContext(p.getType())) found.push(p.getName());
      }
      if (found.length === 1) return { text: found[0]! };
      if (found.length > 1) return { missing: `several values of type ${this.contextType} in scope (${found.join(', ')}); pick the one the manager is for` };
      if (Node.isClassDeclaration(anc) || Node.isClassExpression(anc)) {
        const member = call.getAncestors().find((a) => a.getParent() === anc);
        const isStatic = member !== undefined && (Node.isMethodDeclaration(member) || Node.isPropertyDeclaration(member) || Node.isGetAccessorDeclaration(member)) && member.isStatic();
        if (isStatic) break;
        const props: string[] = [];
        for (const p of anc.getProperties()) if (!p.isStatic() && this.isContext(p.getType())) props.push(p.getName());
        for (const p of anc.getConstructors()[0]?.getParameters() ?? []) if (p.isParameterProperty() && this.isContext(p.getType())) props.push(p.getName());
        // `this` inside a nested `function` is not the instance
        const fnBetween = call.getAncestors().slice(0, call.getAncestors().indexOf(anc)).some((a) => Node.isFunctionExpression(a) || Node.isFunctionDeclaration(a));
        if (props.length === 1 && !fnBetween) return { text: `this.${props[0]}` };
        if (props.length > 1) return { missing: `several ${this.contextType} properties on this (${props.join(', ')}); pick the one the manager is for` };
        // an optional context the instance holds: the one it serves when it has one (where it has
        // none, the canonical factory throws: there is no shared manager to fall back on)
        const optional: string[] = [];
        for (const p of anc.getProperties()) if (!p.isStatic() && this.isOptionalContext(p.getType())) optional.push(p.getName());
        for (const p of anc.getConstructors()[0]?.getParameters() ?? []) if (p.isParameterProperty() && this.isOptionalContext(p.getType())) optional.push(p.getName());
        if (optional.length === 1 && !fnBetween) return { text: `this.${optional[0]}`, optional: true };
        break;
      }
    }
    return this.noContext?.(call) ?? { missing: `no value of type ${this.contextType} in scope; pass the request's context to ${this.canonicalFactory}(ctx)` };
  }
}

export interface FileInput {
  file: string;
  text: string;
  sf: SourceFile;
  /** Ranges of `sf` (in the project's text) to delete: arguments whose injected parameter another file's plan removed. */
  removals?: ReadonlyArray<{ start: number; end: number }>;
}

/**
 * An identifier read as a value on its own: not a call's callee, a member name, a declared or
 * imported name, or a type query (those are the call rewrite's, the import rewrite's or types).
 */
function isValueRead(n: Identifier): boolean {
  const p = n.getParent();
  if (!p) return false;
  if (Node.isCallExpression(p) && p.getExpression() === n) return false;
  if (Node.isPropertyAccessExpression(p)) return false; // `ns.f` is the access's; `f.x` reads a property
  if (Node.isImportSpecifier(p) || Node.isExportSpecifier(p) || Node.isImportClause(p) || Node.isNamespaceImport(p) || Node.isImportEqualsDeclaration(p) || Node.isTypeQuery(p) || Node.isQualifiedName(p)) return false;
  if (Node.isShorthandPropertyAssignment(p)) return true; // `{ sendToUser }` reads it
  if (Node.isBindingElement(p) || (Node.isPropertyAssignment(p) && p.getNameNode() === n)) return false;
  const named = p as Node & { getNameNode?: () => Node };
  if (typeof named.getNameNode === 'function' && named.getNameNode() === n) return false; // a declaration's own name
  return true;
}

/** Plans one file's edits (type questions answered on the unchanged project). */
export interface FilePlan {
  after: string;
  edits: number;
  /**
   * Output ranges of the rewritten calls (adapter methods, class members): where a promise may now
   * float. `wasPromise`: the legacy expression there was a promise already (an async legacy member
   * whose promise the code dropped), so awaiting the rewrite would change when the code goes on.
   */
  sites: Array<{ start: number; end: number; wasPromise?: boolean }>;
}

export function planFile(an: Analyzer, manifest: SsotManifest, input: FileInput, needsReview: ReviewItem[]): FilePlan | undefined {
  const { file, text, sf } = input;
  const shift = text.charCodeAt(0) === 0xfeff && sf.getFullText().charCodeAt(0) !== 0xfeff ? 1 : 0;
  const pos = (n: number): number => n + shift;
  const nodeEdits: NodeEdit[] = [];
  /** Adapters a call of which stays in this file: the file keeps them whole (their type, construction and other calls). */
  const keptAdapters = new Set<AdapterSpec>();
  const todos = new Map<number, string>();
  /** Per `Class.field`, how many of its uses member() has seen in this file: a use's key across plans (threading adds no field use). */
  const fieldUsesSeen = new Map<string, number>();
  /** Per marker line: where the sites it marks start (a marker goes when every one of them does). */
  const todoSites = new Map<number, number[]>();
  const reviewAt: Array<{ item: ReviewItem; at: number }> = [];
  const canonicalValues = new Set<string>();
  const canonicalTypes = new Set<string>();
  const unwrap = (n: Node, render: (n: Node) => string): string => render(n);
  /** Per object manager, this plan's uses of it here and how many were marked: the file rewrites one when more are used than marked. */
  const objectCounts = new Map<string, { uses: number; marked: number }>();
  const countObjectUse = (key: string, marked: boolean): void => {
    const c = objectCounts.get(key) ?? objectCounts.set(key, { uses: 0, marked: 0 }).get(key)!;
    if (marked) c.marked++;
    else c.uses++;
    const files = an.objectRewrites.get(key) ?? an.objectRewrites.set(key, new Set()).get(key)!;
    if (c.uses > c.marked) files.add(file);
    else files.delete(file);
  };
  let factoryName = an.canonicalFactory;
  let hubName = HUB_EXPORT;
  /** Receivers a member template drops: a factory call inside one is not rewritten on its own. */
  const dropped: Array<{ start: number; end: number }> = [];
  const isDropped = (n: Node): boolean => dropped.some((d) => n.getStart() >= d.start && n.getEnd() <= d.end);
  /** The file's quote, for the string literals of a template written into it (read once, when the first one is). */
  let fileQuote: "'" | '"' | undefined;
  const quote = (): "'" | '"' => (fileQuote ??= sourcePunctuation(parseSource(file, text).sf).quote);

  /** `about`: the class, `Class.member` or function the marker is about (markers.ts markerIds: status counts it for the ids owning it). */
  const todo = (node: Node, message: string, about?: string): void => {
    let stmt: Node = node;
    // a parameter on its own line is marked there (a line comment is fine inside a parameter list)
    const ownLine = Node.isParameterDeclaration(node) && /^[ \t]*$/.test(text.slice(lineStartOf(text, pos(node.getStart())), pos(node.getStart())));
    while (!ownLine && stmt.getParent() && !Node.isStatement(stmt) && !Node.isPropertyDeclaration(stmt) && !Node.isMethodDeclaration(stmt)) stmt = stmt.getParent()!;
    const start = pos(stmt.getStart());
    const ls = lineStartOf(text, start);
    const prevLineEnd = ls - 1;
    const prevLine = prevLineEnd > 0 ? text.slice(lineStartOf(text, prevLineEnd), prevLineEnd) : '';
    const item = { file, line: lineColumn(text, pos(node.getStart())).line, message };
    needsReview.push(item);
    reviewAt.push({ item, at: pos(node.getStart()) });
    todoSites.set(ls, [...(todoSites.get(ls) ?? []), pos(node.getStart())]);
    if (hasTodoMarker(prevLine)) return; // marked by an earlier run
    todos.set(ls, todoComment(message, indentAt(text, start), about));
  };

  /**
   * A value this phase turns into a canonical manager (a factory call with a context in scope,
   * or a const initialised by one): its member calls stay as written — they are the canonical
   * manager's now, and the type guard withdraws the file if one is not.
   */
  const becomesCanonical = (n: Node, depth = 0): boolean => {
    if (depth > 4) return false;
    if (Node.isParenthesizedExpression(n) || Node.isAwaitExpression(n) || Node.isNonNullExpression(n)) return becomesCanonical(n.getExpression(), depth + 1);
    if (Node.isCallExpression(n)) return an.isFactoryCall(n) && !('missing' in an.contextFor(n));
    if (!Node.isIdentifier(n)) return false;
    const decl = n.getSymbol()?.getDeclarations()[0];
    const init = decl && Node.isVariableDeclaration(decl) && decl.getVariableStatement()?.getDeclarationKind() === 'const' ? decl.getInitializer() : undefined;
    return init !== undefined && becomesCanonical(init, depth + 1);
  };

  /**
   * A member of a legacy class (by the receiver's type) called or read: replaced by its template
   * from `classes[].members`, the same table the shim's canonical mode is generated from.
   * Returns false when the receiver is no legacy class.
   */
  const member = (access: Node, memberCall: CallExpression | undefined): boolean => {
    if (!Node.isPropertyAccessExpression(access)) return false;
    const recv = access.getExpression();
    const spec = an.classes.specOf(an.typeOf(recv), access);
    if (!spec) return false;
    const name = access.getName();
    const whole = Object.hasOwn(spec.members, name) ? spec.members[name] : undefined;
    // a field used through its own members (`this.sockets.set(id, ws)`) with templates per member of it
    const perMember = memberCall ? undefined : fieldMemberTemplates(spec.members).get(name);
    // a lookup (a called member) whose result is used through chain templates on it (`getSocket.send`):
    // not one state like a field's, so a use no chain covers takes the plain template or is marked alone
    const resultChains = memberCall && !memberCall.hasQuestionDotToken() ? fieldMemberTemplates(spec.members).get(name) : undefined;
    const chains = perMember ?? resultChains;
    const fieldKey = `${spec.class}.${name}`;
    const links = chains ? chainLinks(perMember ? access : memberCall!) : [];
    // the templated chain this use takes, and how a `?.` in it is kept (chain-guard.ts: one rule for a field's and a lookup's)
    const chainPlan: ChainPlan = chains ? planChain({ subject: fieldKey, key: name, called: resultChains !== undefined, subjectArgs: resultChains ? memberCall!.getArguments() : [], links, chains, plain: whole }) : {};
    const hit = chainPlan.hit;
    const useKey = perMember ? `${file}#${fieldKey}#${fieldUsesSeen.set(fieldKey, (fieldUsesSeen.get(fieldKey) ?? 0) + 1).get(fieldKey)}` : undefined;
    const held = perMember !== undefined && an.heldFields.has(fieldKey);
    const chain = hit ? links.slice(0, hit.length) : [];
    const last = chain.at(-1);
    const template = hit?.template ?? whole;
    const call = hit ? last!.call : memberCall;
    // a split class: its kept members are app code; inside a member that goes, nothing is rewritten (it goes whole)
    const kept = an.classes.keptMembers(spec);
    if (template === undefined && kept && (kept.has(name) || access.getSymbol()?.getDeclarations().some((d) => Node.isParameterDeclaration(d)) === true)) return false; // a constructor parameter property stays with the constructor
    if (kept && an.classes.inDroppedMember(access)) return true;
    // a split class's member left marked here stays in the class (split.ts): recorded with where
    // an object manager's uses in this file (rewritten unless marked below): index.ts moves them all or none
    const objectKey = an.classes.isObjectManager(spec) ? `${spec.module}#${spec.class}` : undefined;
    const byFile = objectKey === undefined ? undefined : (an.objectUses.get(objectKey) ?? an.objectUses.set(objectKey, new Map()).get(objectKey)!);
    if (byFile && !byFile.has(file)) byFile.set(file, false);
    if (objectKey !== undefined) countObjectUse(objectKey, false);
    // every use left as written goes through here (a missing context too: `about` names the chain),
    // so a split member, an object manager and a field with templates per member know it stays
    const mark = (site: Node, message: string, about = `${spec.class}.${name}`): void => {
      if (kept && !an.splitUses.has(`${spec.class}.${name}`)) an.splitUses.set(`${spec.class}.${name}`, `${file}:${lineColumn(text, pos(site.getStart())).line}`);
      byFile?.set(file, true);
      if (objectKey !== undefined) countObjectUse(objectKey, true);
      todo(site, message, about);
      // the item itself (its line follows the edits above it), for the review item of a held field
      if (perMember && !an.fieldMarked.has(fieldKey)) an.fieldMarked.set(fieldKey, needsReview.at(-1)!);
    };
    if (perMember && (('problem' in chainPlan) || (!hit && whole === undefined))) {
      // no template covers this use: marked, and (analyze.ts) no other use of the field is rewritten, so its state stays in one store
      const listed = [...perMember.keys()].map((k) => `"${name}.${k}"`).join(', ');
      const until = `until then no use of ${name} is rewritten (one state, not two)`;
      // a template covering the chain across a `?.` it cannot take (chain-guard.ts): never half a field
      if ('problem' in chainPlan) {
        mark(access, `${chainPlan.problem} — ${until}`);
        return true;
      }
      const stored = storedFieldWhy.get(access);
      if (stored !== undefined) {
        const m = links[0]?.name ?? '';
        mark(access, `${stored}: add "${name}.${m}" (the value a test reads at each use, e.g. whether the hub holds the user), call \`${access.getText()}.${m}(…)\` in each chain instead of storing it, or rewrite it by hand — ${until}`);
        return true;
      }
      const usedAs = links.length ? `${fieldKey}.${links[0]!.name}` : `${fieldKey} used as a value (not through a member of it)`;
      mark(access, `${usedAs} has no template in classes[].members (${name} has ${listed}); add one, or a template for ${name} as a whole, or rewrite it by hand — ${until}`);
      return true;
    }
    if (resultChains && !hit && whole === undefined) {
      if (isDropped(access)) return true;
      const listed = [...resultChains.keys()].map((k) => `"${name}.${k}"`).join(', ');
      mark(memberCall!, `${fieldKey}: ${resultUse(links)}, which no chain template covers (classes[].members has ${listed}) and ${name} has no plain template; add one (a chain for this use, or ${name} itself, e.g. the socket the hub registered), or rewrite it by hand`);
      an.lookupMarks.push({ about: fieldKey, file, line: lineColumn(text, pos(memberCall!.getStart())).line });
      return true;
    }
    // a receiver this phase makes canonical keeps the calls the canonical manager serves (a
    // template through the user's manager, $user/$run: it would build a second one; or an unlisted
    // member); a hub-level, $ctx or literal template still applies (a per-user manager has no
    // broadcastAll), and a member left to the frozen legacy code ($legacy, $self, legacyMembers)
    // is still marked
    // (a member the canonical manager lacks, e.g. a legacy-only `connectUser`, is not served: its template applies)
    const canonicalHas = hit ? false : an.canonicalMembers(access)?.has(name);
    if (!held && becomesCanonical(recv) && canonicalHas !== false) {
      const names = template === undefined ? undefined : templateUses(template).names;
      const served = names === undefined ? !spec.legacyMembers?.includes(name) : (names.has('user') || names.has('run')) && !names.has('legacy') && !names.has('self');
      if (served) return false;
    }
    if (isDropped(access)) return true;
    if (call && bootMarked.has(call)) return true;
    // a templated chain is replaced whole: through its last member (called or read)
    const site = last?.end ?? call ?? access;
    const what = hit ? `${fieldKey}${resultChains ? '(…)' : ''}.${chain.map((l) => l.name).join('.')}` : fieldKey;
    if (template === undefined) {
      if (spec.legacyMembers?.includes(name)) mark(site, `${what} is served by the frozen legacy code (classes[].legacyMembers); rewrite it by hand before remove-shim`);
      else mark(site, `${what} has no template in classes[].members; map it in ssot.config.json or rewrite it by hand`);
      return true;
    }
    const uses = templateUses(template);
    if (uses.names.has('legacy') || uses.names.has('self')) {
      mark(site, `the template of ${what} uses ${uses.names.has('legacy') ? '$legacy' : '$self'}, which only the shim has; rewrite it by hand`);
      return true;
    }
    if (!call) {
      const read = last?.access ?? access;
      const parent = read.getParent();
      const op = Node.isBinaryExpression(parent) && parent.getLeft() === read ? parent.getOperatorToken().getKind() : undefined;
      const assigned = op !== undefined && op >= morphTs.SyntaxKind.FirstAssignment && op <= morphTs.SyntaxKind.LastAssignment;
      const stepped = (Node.isPrefixUnaryExpression(parent) && (parent.getOperatorToken() === morphTs.SyntaxKind.PlusPlusToken || parent.getOperatorToken() === morphTs.SyntaxKind.MinusMinusToken)) || Node.isPostfixUnaryExpression(parent);
      const written = assigned || stepped || Node.isDeleteExpression(parent);
      if (written) {
        mark(site, `${what} is assigned; only reads are rewritten from classes[].members`);
        return true;
      }
      if (read.getType().getCallSignatures().length > 0) {
        // the canonical manager has the method too: the receiver's legacy type becomes the
        // canonical one with the import rewrite, and the read stays (the type guard judges it)
        if (canonicalHas === true) return true;
        mark(site, `${what} is used as a value (not called); call it, or rewrite it by hand`);
        return true;
      }
    }
    // `m.opt?.(x)` tests the member, not `m`: a member that may be absent (optional) would run its
    // template where the legacy call did nothing; one always present is called as it would be
    if (call?.hasQuestionDotToken() && mayBeAbsent(last?.access ?? access)) {
      mark(site, `${what} is called only when present (\`?.()\`), which its template cannot test; rewrite it by hand`);
      return true;
    }
    // a chain crossing a `?.` keeps its test, through the template of the value tested (chain-guard.ts)
    if ('problem' in chainPlan) {
      mark(site, chainPlan.problem);
      if (chainPlan.untemplated && resultChains) an.lookupMarks.push({ about: fieldKey, file, line: lineColumn(text, pos(memberCall!.getStart())).line });
      return true;
    }
    const guard: ChainGuard | undefined = chainPlan.guard;
    // a chain's calls' arguments are `$1`, `$2`, … in the order written (which is the order they run in); a lookup's own come first
    const args = hit ? [...(resultChains ? memberCall!.getArguments() : []), ...chain.flatMap((l) => l.call?.getArguments() ?? [])] : (call?.getArguments() ?? []);
    // `$m`: the receiver stays (an interface entry's value, typed canonical by the import rewrite)
    const keepsReceiver = uses.names.has('m');
    // the receiver tested (`recv?.m(…)`, or `?.` earlier in its chain); a `?.(` on an always-present member tests nothing
    const optional = morphTs.isOptionalChain(access.compilerNode);
    // a receiver the template does not use but whose evaluation may act (`Registry.getInstance().get(id)`, a
    // call into the app's own code) still runs, once, first: evaluated ahead of the template for its effects,
    // `(Registry.getInstance(), …)`, as a dropped argument is; a factory call or a call into a module the
    // migration deletes is the legacy code's own work and goes with it
    const evaluatesReceiver = !keepsReceiver && !isPure(recv) && !(Node.isCallExpression(recv) && an.isFactoryCall(recv)) && !an.isLegacyCall(recv);
    // a guarded chain (`recv.getSocket(id)?.send(x)`): the receiver would run only when the test passes, where the lookup's call ran it always
    if (evaluatesReceiver && guard) {
      mark(site, `the template of ${what} does not use the receiver, and \`${recv.getText()}\` may have side effects; the chain's \`?.\` test would run it only when a value is there: bind it to a const first`);
      return true;
    }
    // `recv?.m(…)` tests the receiver: its test and the evaluation ahead would run it twice
    if (evaluatesReceiver && optional) {
      mark(site, `the template of ${what} does not use the receiver, and \`${recv.getText()}\` may have side effects; bind it to a const first`);
      return true;
    }
    // a receiver the template repeats, or reads after an argument with side effects, is evaluated once ahead of it with them
    const plan = planArguments(template, args, what, `the template of ${what}`, { ...(keepsReceiver || evaluatesReceiver ? { receiver: recv } : {}), userArgumentDropped: true });
    if ('problem' in plan) {
      mark(site, plan.problem);
      return true;
    }
    const { bound } = plan;
    // `recv?.m(…)` becomes `(recv == null ? undefined : …)`: the test reads the receiver once more
    if (optional && keepsReceiver && !isPure(recv)) {
      mark(site, `${what} is called optionally on \`${recv.getText()}\`, which may have side effects and would be evaluated twice (tested, then used by the template); bind it to a const first`);
      return true;
    }
    const guardUses = guard ? templateUses(guard.template).names : new Set<string>();
    const needsCtx = uses.names.has('ctx') || uses.names.has('user') || guardUses.has('ctx') || guardUses.has('user');
    if (held) {
      // covered, but another use of the field is not rewritten: this one stays as written too (its
      // field stays with it), still marked for what marked it before the field was held (its
      // arguments, its receiver above; a missing context as the earlier plan found it)
      const why = needsCtx && useKey !== undefined ? an.heldContextMarks.get(useKey) : undefined;
      if (why !== undefined) mark(site, why, what);
      if (kept && !an.splitUses.has(fieldKey)) an.splitUses.set(fieldKey, `${file}:${lineColumn(text, pos(access.getStart())).line}`);
      return true;
    }
    // a use of a field marked for want of a context: remembered for a plan holding the field
    const markContext = (n: Node, m: string): void => {
      if (useKey !== undefined) an.fieldContextMarks.set(useKey, m);
      mark(n, m, what);
    };
    let ctxText: string | undefined;
    if (needsCtx) {
      const found = an.contextFor(site);
      // a manager this phase makes canonical carries the context its factory call found: read it
      // there rather than build a second one (a contextSources expression may mint fresh ids)
      const own = becomesCanonical(recv) && Node.isIdentifier(recv) ? `${recv.getText()}.context` : undefined;
      const ctx = own !== undefined && ('missing' in found || !/^[\w$.]+$/.test(found.text)) ? { text: own } : found;
      if ('missing' in ctx) {
        onMissingContext(site, `${what} becomes canonical code that needs the request's context: ${ctx.missing}`, markContext);
        return true;
      }
      // an optional context suits a template that tests `$ctx` itself, not one that only builds `$user(x)`
      if (ctx.optional && !uses.names.has('ctx')) {
        onMissingContext(site, `${what} becomes canonical code that needs the request's context: only ${ctx.text} is in scope, and it may be undefined`, markContext);
        return true;
      }
      ctxText = ctx.text;
    }
    // `undefined`: the member does nothing any more (a retired protocol); a call that is a statement
    // of its own (awaited or voided) goes rather than leave `await undefined;` behind
    if (call && template.trim() === 'undefined' && !morphTs.isOptionalChain(call.compilerNode)) {
      let at: Node = call;
      while (Node.isAwaitExpression(at.getParent()) || Node.isVoidExpression(at.getParent()) || Node.isParenthesizedExpression(at.getParent())) at = at.getParent()!;
      const st = at.getParent();
      if (Node.isExpressionStatement(st)) {
        if (!evaluatesReceiver) dropped.push({ start: recv.getStart(), end: recv.getEnd() });
        // the receiver and arguments with side effects (bound: the template names none) still run, as statements of their own
        if (bound.length) nodeEdits.push({ start: pos(st.getStart()), end: pos(st.getEnd()), make: (render) => bound.map((p) => `${render(p.node)};`).join(' ') });
        else bootRemoved.push(st);
        return true;
      }
    }
    // a receiver the null test reads is not dropped (what it names stays alive)
    if (!keepsReceiver && !optional && !evaluatesReceiver) dropped.push({ start: recv.getStart(), end: recv.getEnd() });
    const parent = site.getParent();
    const open = parent !== undefined && (Node.isVariableDeclaration(parent) || Node.isReturnStatement(parent) || Node.isPropertyAssignment(parent) || Node.isArrayLiteralExpression(parent) || Node.isParenthesizedExpression(parent) || (Node.isCallExpression(parent) && parent.getExpression() !== site));
    if (perMember) an.fieldRewritten.add(fieldKey);
    nodeEdits.push({
      start: pos(site.getStart()),
      end: pos(site.getEnd()),
      needs: importsFor(guard ? templateUses(`(${guard.template}) == null ? undefined : (${template})`) : uses),
      site: true,
      at: site,
      make: (render) => {
        const text = bindTemplate(
          bound,
          expandTemplate(template, {
            arg: (n) => partText(bound, n, () => (args[n - 1] ? render(args[n - 1]!) : undefined)),
            placeholder: (p) => (p === 'hub' ? `${hubName}()` : p === 'ctx' ? ctxText! : p === 'm' ? partText(bound, 0, () => receiverOperand(recv, render))! : `$${p}`),
            call: (p, x) => `${factoryName}(${p === 'user' ? ctxText! : x})`,
            parenthesize: true,
            quote: quote(),
          }),
          render,
        );
        const tested = guard ? `(${guardText(guard, render, ctxText)} == null ? undefined : ${text})` : text;
        if (optional) return `(${render(recv)} == null ? undefined : ${tested})`;
        return open && !/^\s*\{/.test(tested) ? tested : asOperand(tested);
      },
    });
    return true;
  };

  /** The canonical imports a template's placeholders need: `$hub` the hub operations, `$user`/`$run` the factory. */
  const importsFor = (uses: ReturnType<typeof templateUses>): ('hub' | 'factory')[] => [...(uses.names.has('hub') ? (['hub'] as const) : []), ...(uses.names.has('user') || uses.names.has('run') ? (['factory'] as const) : [])];

  /**
   * The context text a template's `$ctx` / `$user(…)` needs at `call` (undefined: it needs none),
   * or false when none is in scope and the call was marked for a person instead; notes the
   * canonical names the template calls.
   */
  const templateContext = (call: CallExpression, what: string, template: string, uses: ReturnType<typeof templateUses>, mark: (n: Node, m: string) => void = todo): string | undefined | false => {
    let ctxText: string | undefined;
    if (uses.names.has('ctx') || uses.names.has('user')) {
      const ctx = an.contextFor(call);
      if ('missing' in ctx) return (onMissingContext(call, `${what} becomes canonical code that needs the request's context: ${ctx.missing}`, mark), false);
      if (ctx.optional && !uses.names.has('ctx')) return (onMissingContext(call, `${what} becomes canonical code that needs the request's context: only ${ctx.text} is in scope, and it may be undefined`, mark), false);
      ctxText = ctx.text;
    }
    for (const name of templateFreeNames(template)) if (an.canonicalExports.has(name)) canonicalValues.add(name);
    return ctxText;
  };

  /**
   * A chain's guard (chain-guard.ts) as text: its template with the arguments it reads rendered as
   * written (pure, checked there), evaluated before the chain's template as the legacy call did.
   */
  const guardText = (guard: ChainGuard, render: (n: Node) => string, ctxText: string | undefined): string =>
    asOperand(
      expandTemplate(guard.template, {
        arg: (n) => (guard.args[n - 1] ? render(guard.args[n - 1]!) : undefined),
        placeholder: (p) => (p === 'hub' ? `${hubName}()` : p === 'ctx' ? ctxText! : `$${p}`),
        call: (p, x) => `${factoryName}(${p === 'user' ? ctxText! : x})`,
        parenthesize: true,
        quote: quote(),
      }),
    );

  /**
   * The edit replacing a call (of a free function or a static) — or a chain on what it returns,
   * ending at `site` — by its expanded template, its arguments bound as planned; with a guard, only
   * when the value the chain's `?.` tested is there.
   */
  const templateCallEdit = (site: Node, template: string, args: readonly Node[], bound: Parameters<typeof bindTemplate>[0], uses: ReturnType<typeof templateUses>, ctxText: string | undefined, guard?: ChainGuard): void => {
    const parent = site.getParent();
    // (a statement's condition has its own parentheses: `if (ws)` → `if (<template>)`, not `if ((…))`)
    const condition = parent !== undefined && (Node.isIfStatement(parent) || Node.isWhileStatement(parent) || Node.isDoStatement(parent)) && parent.getExpression() === site;
    const open = parent !== undefined && (condition || Node.isExpressionStatement(parent) || Node.isVariableDeclaration(parent) || Node.isReturnStatement(parent) || Node.isPropertyAssignment(parent) || Node.isArrayLiteralExpression(parent) || Node.isParenthesizedExpression(parent) || (Node.isCallExpression(parent) && parent.getExpression() !== site));
    nodeEdits.push({
      start: pos(site.getStart()),
      end: pos(site.getEnd()),
      needs: importsFor(uses),
      site: true,
      at: site,
      make: (render) => {
        const out = bindTemplate(
          bound,
          expandTemplate(template, {
            arg: (n) => partText(bound, n, () => (args[n - 1] ? render(args[n - 1]!) : undefined)),
            placeholder: (p) => (p === 'hub' ? `${hubName}()` : p === 'ctx' ? ctxText! : `$${p}`),
            call: (p, x) => `${factoryName}(${p === 'user' ? ctxText! : x})`,
            parenthesize: true,
            quote: quote(),
          }),
          render,
        );
        if (guard) return `(${guardText(guard, render, ctxText)} == null ? undefined : ${out})`;
        // an object-literal template opening a statement would read as a block
        return open && !(Node.isExpressionStatement(parent) && /^\s*\{/.test(out)) ? out : asOperand(out);
      },
    });
  };

  /**
   * A use of a lookup's result through a chain template (`getConnection(id).send(x)` with
   * `functions[].templates["getConnection.send"]`, a static's `socketOf.send`): the whole chain is
   * replaced, the lookup's and then the links' call arguments `$1`, `$2`, … in the order written; a
   * `?.` on the way keeps its test (chain-guard.ts). `recv`: a static's class, dropped with the call.
   */
  const lookupChainCall = (lookupCall: CallExpression, lookup: string, about: string, links: readonly ChainLink[], use: ChainPlan & { hit: NonNullable<ChainPlan['hit']> }, field: string, mark: (n: Node, m: string) => void, recv?: Node): void => {
    const { template } = use.hit;
    const chain = links.slice(0, use.hit.length);
    const site = chain.at(-1)!.end;
    const what = `${lookup}(…).${chain.map((l) => l.name).join('.')}`;
    if ('problem' in use) {
      mark(site, use.problem);
      // left for want of the tested value's template: the commit counts it with the uncovered uses
      if (use.untemplated) an.lookupMarks.push({ about, file, line: lineColumn(text, pos(lookupCall.getStart())).line });
      return;
    }
    const g = use;
    const args = [...lookupCall.getArguments(), ...chain.flatMap((l) => l.call?.getArguments() ?? [])];
    const plan = planArguments(template, args, what, `the template of ${what} (${field})`, { userArgumentDropped: true });
    if ('problem' in plan) return mark(site, plan.problem);
    const combined = g.guard ? `(${g.guard.template}) == null ? undefined : (${template})` : template;
    const uses = templateUses(combined);
    const ctxText = templateContext(lookupCall, what, combined, uses);
    if (ctxText === false) return;
    if (recv) dropped.push({ start: recv.getStart(), end: recv.getEnd() });
    templateCallEdit(site, template, args, plan.bound, uses, ctxText, g.guard);
  };

  /** A use of a lookup's result no chain template covers, when the lookup has no plain template either: marked alone (the commit counts it). */
  const uncoveredLookup = (lookupCall: CallExpression, lookup: string, about: string, links: readonly ChainLink[], chains: ReadonlyMap<string, string>, field: string, mark: (n: Node, m: string) => void): void => {
    const listed = [...chains.keys()].map((k) => `"${lookup}.${k}"`).join(', ');
    mark(lookupCall, `${lookup}: ${resultUse(links)}, which no chain template covers (${field} has ${listed}) and ${lookup} has no plain template; add one (a chain for this use, or ${lookup} itself, e.g. the socket the hub registered), or rewrite it by hand`);
    an.lookupMarks.push({ about, file, line: lineColumn(text, pos(lookupCall.getStart())).line });
  };

  /**
   * The template edit for one use of a stored lookup result (stored-lookups.ts), planned without
   * marking anything: a chain use takes its chain's template, a test the lookup's plain template,
   * with the lookup's arguments (from its declaration) first. A problem leaves every use of the local as it was.
   */
  const storedUseEdit = (lookupCall: CallExpression, head: StoredLookupHead, use: StoredUse, field: string): { problem: string } | { apply: () => void } => {
    const chain = 'links' in use ? use.links.slice(0, use.hit.length) : [];
    const template = 'links' in use ? use.hit.template : head.plain!;
    const site = chain.at(-1)?.end ?? use.ref;
    const what = chain.length ? `${head.lookup}(…).${chain.map((l) => l.name).join('.')}` : `${head.lookup}(…)`;
    const guard = 'links' in use ? use.guard : undefined;
    const args = [...lookupCall.getArguments(), ...chain.flatMap((l) => l.call?.getArguments() ?? [])];
    const plan = planArguments(template, args, what, `the template of ${what} (${field})`, { userArgumentDropped: true });
    if ('problem' in plan) return plan;
    const combined = guard ? `(${guard.template}) == null ? undefined : (${template})` : template;
    const uses = templateUses(combined);
    let ctxText: string | undefined;
    if (uses.names.has('ctx') || uses.names.has('user')) {
      const ctx = an.contextFor(lookupCall);
      if ('missing' in ctx) return { problem: `${what} becomes canonical code that needs the request's context: ${ctx.missing}` };
      if (ctx.optional && !uses.names.has('ctx')) return { problem: `${what} becomes canonical code that needs the request's context: only ${ctx.text} is in scope, and it may be undefined` };
      ctxText = ctx.text;
    }
    return {
      apply: () => {
        for (const name of templateFreeNames(combined)) if (an.canonicalExports.has(name)) canonicalValues.add(name);
        templateCallEdit(site, template, args, plan.bound, uses, ctxText, guard);
      },
    };
  };

  /** Lookup calls whose stored result stored-lookups.ts rewrote use by use: their own statement goes, nothing else plans them. */
  const storedCalls = new Set<Node>();

  /**
   * A local storing a lookup's result (`const ws = getConnection(id)`) whose uses chain templates
   * cover: each use rewritten and the local dropped, or, when one use cannot be, every use left as
   * written and each send that still goes to the stored socket marked with the reason.
   */
  const storedLookupLocal = (decl: VariableDeclaration, call: CallExpression, head: StoredLookupHead, about: string, field: string, fieldAccess?: PropertyAccessExpression): void => {
    const verdict = storedLookup(decl, call, head);
    if (!verdict) return;
    const local = decl.getName();
    // a field's lookup is one state with the field's other uses: a local whose uses cannot all take the
    // chains leaves the field's use to member(), which marks it with this reason when nothing covers it
    // (and then no use of the field is rewritten), or writes the plain template and the sends are marked here
    if (fieldAccess && !head.plain) {
      const why = 'why' in verdict ? verdict.why : verdict.uses.map((u) => storedUseEdit(call, head, u, field)).find((p): p is { problem: string } => 'problem' in p)?.problem;
      if (why !== undefined) return void storedFieldWhy.set(fieldAccess, `\`${local}\` stores ${head.lookup}(…), whose sends "${head.key}.${[...head.chains.keys()][0]}" would cover, but ${why}`);
    }
    // a held field's uses stay as written, with the field (one state, not two)
    if (fieldAccess && an.heldFields.has(about)) return;
    const markBypass = (why: string, bypass: ReadonlyArray<Extract<StoredUse, { links: ChainLink[] }>>): void => {
      for (const use of bypass) {
        const chain = use.links.slice(0, use.hit.length).map((l) => l.name).join('.');
        const site = use.links[use.hit.length - 1]!.end;
        todo(site, `\`${local}.${chain}\` goes to the socket ${head.lookup}(…) returned, stored in \`${local}\`, not through the hub as "${head.key}.${chain}" would: ${why}; call the lookup in the chain (\`${call.getExpression().getText()}(…).${chain}\`) or rewrite it by hand`, about);
        // a send that still bypasses the hub: the commit subject counts it (index.ts lookupMarksPhrase)
        an.lookupMarks.push({ about, file, line: lineColumn(text, pos(site.getStart())).line, stored: true });
      }
    };
    if ('why' in verdict) return markBypass(verdict.why, verdict.bypass);
    const planned = verdict.uses.map((u) => storedUseEdit(call, head, u, field));
    const failed = planned.find((p): p is { problem: string } => 'problem' in p);
    if (failed) return markBypass(failed.problem, verdict.uses.filter((u): u is Extract<StoredUse, { links: ChainLink[] }> => 'links' in u));
    for (const p of planned) (p as { apply: () => void }).apply();
    storedCalls.add(call);
    if (fieldAccess) {
      storedCalls.add(fieldAccess);
      // a use of the field rewritten: a mark on another use holds the field whole (analyze.ts)
      an.fieldRewritten.add(about);
    }
    bootRemoved.push(verdict.statement);
  };

  /**
   * A field's lookup (`registry.links.get(id)`, `this.links.get(id)`) as a stored lookup's head: the
   * member called on a legacy class's field whose templates per member chain on it (`"links.get.send"`:
   * the chains `send`, …; `"links.get"` the plain template a test takes).
   */
  const fieldLookupHeadOf = (call: CallExpression): { head: StoredLookupHead; about: string; field: string; access: PropertyAccessExpression } | undefined => {
    const callee = call.getExpression();
    if (call.hasQuestionDotToken() || !Node.isPropertyAccessExpression(callee) || callee.hasQuestionDotToken()) return undefined;
    const access = callee.getExpression();
    if (!Node.isPropertyAccessExpression(access) || access.hasQuestionDotToken()) return undefined;
    const spec = an.classes.specOf(an.typeOf(access.getExpression()), access);
    if (!spec || an.classes.isObjectManager(spec) || an.classes.keptMembers(spec)) return undefined;
    const name = access.getName();
    const perMember = fieldMemberTemplates(spec.members).get(name);
    const fieldKey = `${spec.class}.${name}`;
    if (!perMember || Object.hasOwn(spec.members, name)) return undefined;
    const m = callee.getName();
    const chains = new Map([...perMember].filter(([k]) => k.startsWith(`${m}.`)).map(([k, t]) => [k.slice(m.length + 1), t]));
    if (chains.size === 0) return undefined;
    return { head: { lookup: `${fieldKey}.${m}`, key: `${name}.${m}`, chains, plain: perMember.get(m), recv: access }, about: fieldKey, field: 'classes[].members', access };
  };

  /** Why a field's lookup stored in a local could not take its chains (stored-lookups.ts), by the field's access: member() marks the field with it. */
  const storedFieldWhy = new Map<Node, string>();

  /** The chain templates of the lookup a call is (a free function's, a static's, a class member's), as stored-lookups.ts reads them. */
  const lookupHeadOf = (call: CallExpression): { head: StoredLookupHead; about: string; field: string } | undefined => {
    const callee = call.getExpression();
    const optional = call.hasQuestionDotToken() || (Node.isPropertyAccessExpression(callee) && callee.hasQuestionDotToken());
    if (optional || !(Node.isIdentifier(callee) || Node.isPropertyAccessExpression(callee))) return undefined;
    const fn = an.freeFunctionOf(callee);
    if (fn) return fn.chains && !inOwnModule(fn) ? { head: { lookup: fn.name, key: fn.name, chains: fn.chains, plain: fn.template }, about: fn.name, field: `functions[${fn.index}].templates` } : undefined;
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    const recv = callee.getExpression();
    const st = an.statics.any ? an.statics.of(callee) : undefined;
    if (st) return st.chains && !inStaticsModule(st) ? { head: { lookup: `${st.class}.${st.name}`, key: st.name, chains: st.chains, plain: st.template, recv }, about: `${st.class}.${st.name}`, field: `classes[${st.index}].statics` } : undefined;
    const spec = an.classes.specOf(an.typeOf(recv), callee) ?? inheritedFrom(callee);
    // an object manager's calls move all or none, a split class's kept members stay app code: both as before
    if (!spec || an.classes.isObjectManager(spec) || an.classes.keptMembers(spec)) return undefined;
    const name = callee.getName();
    const chains = fieldMemberTemplates(spec.members).get(name);
    if (!chains) return undefined;
    return { head: { lookup: `${spec.class}.${name}`, key: name, chains, plain: Object.hasOwn(spec.members, name) ? spec.members[name] : undefined, recv }, about: `${spec.class}.${name}`, field: 'classes[].members' };
  };

  /**
   * The legacy class whose own member a call on a subclass's value reaches (`class Sub extends
   * Legacy` calling `this.getConnection(id)`, or `sub.getConnection(id)`): the checker resolves the
   * member to its declaration, so a member the subclass (or a class between) overrides is its own,
   * not the legacy one, and is not matched. Stored-lookup detection only (member calls on such
   * values are not rewritten elsewhere).
   */
  const inheritedFrom = (callee: PropertyAccessExpression): LegacyClassSpec | undefined => {
    const decl = callee.getNameNode().getSymbol()?.getDeclarations()[0];
    const cls = decl?.getParent();
    if (!decl || !Node.isClassDeclaration(cls) || !(Node.isMethodDeclaration(decl) || Node.isPropertyDeclaration(decl))) return undefined;
    const recvType = an.typeOf(callee.getExpression()).getNonNullableType();
    const recvClass = recvType.getSymbol()?.getDeclarations()[0];
    // only a value of a class deriving from the declaring one (the class itself is specOf's)
    if (!Node.isClassDeclaration(recvClass) || recvClass === cls || !derivesFrom(recvClass, cls)) return undefined;
    return an.classes.specOf(cls.getType(), callee);
  };

  /** Calls inside the legacy module itself stay: they are the frozen code's own, deleted with it. */
  const inOwnModule = (fn: FreeFunctionHit): boolean => an.freeFunctions.moduleOf(sf) === fn.module;

  /**
   * A call of a free function functions[] describes, through any import form: replaced by its
   * template (the same one the shim's canonical mode runs); the legacy import goes when nothing
   * else uses it, the canonical names the template needs are imported.
   */
  const freeFunctionCall = (call: CallExpression, fn: FreeFunctionHit): void => {
    const mark = (n: Node, m: string): void => todo(n, m, fn.name);
    if (inOwnModule(fn)) return;
    const what = `${fn.name} of ${fn.module}`;
    const field = `functions[${fn.index}].templates`;
    const template = fn.template;
    const callee = call.getExpression();
    const optionalCall = call.hasQuestionDotToken() || (Node.isPropertyAccessExpression(callee) && callee.hasQuestionDotToken());
    // a lookup whose result is used through a chain template (`getConnection.send`): the chain's, longest first
    if (fn.chains && !optionalCall) {
      const links = chainLinks(call);
      const plan = planChain({ subject: fn.name, key: fn.name, called: true, subjectArgs: call.getArguments(), links, chains: fn.chains, plain: template });
      if (plan.hit) return lookupChainCall(call, fn.name, fn.name, links, { ...plan, hit: plan.hit }, field, mark);
      if (template === undefined) return uncoveredLookup(call, fn.name, fn.name, links, fn.chains, field, mark);
    }
    if (template === undefined) return mark(call, `${what} has no template in ${field}; map it in ssot.config.json or rewrite it by hand`);
    const uses = templateUses(template);
    const args = call.getArguments();
    const plan = planArguments(template, args, what, `the template of ${what} (${field})`, { userArgumentDropped: true });
    if ('problem' in plan) return mark(call, plan.problem);
    const { bound } = plan;
    if (optionalCall) return mark(call, `${what} is called optionally; its template is not, rewrite it by hand`);
    const ctxText = templateContext(call, what, template, uses);
    if (ctxText === false) return;
    templateCallEdit(call, template, args, bound, uses, ctxText);
  };

  /**
   * A free function read as a value, not called (`list.forEach(sendToUser)`, `{ onMessage: ws.broadcast }`):
   * its template needs the call's arguments, so the read is marked for a person and keeps its legacy
   * import (remove-shim stays refused while it does), never silently broken.
   */
  const freeFunctionValue = (n: Node, fn: FreeFunctionHit): void => {
    const mark = (n: Node, m: string): void => todo(n, m, fn.name);
    if (inOwnModule(fn)) return;
    mark(n, `${fn.name} of ${fn.module} is used as a value (not called)${fn.template !== undefined ? `; its template (functions[${fn.index}].templates) applies to calls` : ''}: call it in an arrow, or rewrite it by hand`);
  };

  /** Calls inside the legacy module itself stay: its statics' own calls (`this.x`, `C.x`) are the frozen code's. */
  const inStaticsModule = (st: StaticHit): boolean => an.freeFunctions.moduleOf(sf) === st.module;

  /**
   * A call whose template is `undefined` (the legacy member or static does nothing any more) that is
   * a statement of its own goes, rather than leave `undefined;` behind; arguments bound for their
   * effects stay as statements. False when the template does something or the call is a value.
   */
  const dropNoOpCall = (call: CallExpression, template: string, bound: ReadonlyArray<{ node: Node }>): boolean => {
    if (template.trim() !== 'undefined') return false;
    let at: Node = call;
    while (Node.isAwaitExpression(at.getParent()) || Node.isVoidExpression(at.getParent()) || Node.isParenthesizedExpression(at.getParent())) at = at.getParent()!;
    const st = at.getParent();
    if (!Node.isExpressionStatement(st)) return false;
    if (bound.length) nodeEdits.push({ start: pos(st.getStart()), end: pos(st.getEnd()), make: (render) => bound.map((p) => `${render(p.node)};`).join(' ') });
    else bootRemoved.push(st);
    return true;
  };

  /**
   * A call of a static a classes[] entry's statics table describes (`C.x(…)`, `C?.x(…)`, through any
   * way of reaching the class): replaced by its template, like a free function's call. The receiver
   * (the class, an alias of it, `this` in a subclass's static) is dropped: a template has none.
   */
  const staticCall = (call: CallExpression, access: PropertyAccessExpression, st: StaticHit): void => {
    const mark = (n: Node, m: string): void => todo(n, m, `${st.class}.${st.name}`);
    if (inStaticsModule(st)) return;
    const what = `${st.class}.${st.name} of ${st.module}`;
    const field = `classes[${st.index}].statics`;
    const template = st.template;
    const recv = access.getExpression();
    // a static lookup whose result is used through a chain template (`socketOf.send`)
    if (st.chains && !call.hasQuestionDotToken() && isPure(recv)) {
      const lookup = `${st.class}.${st.name}`;
      const links = chainLinks(call);
      const plan = planChain({ subject: lookup, key: st.name, called: true, subjectArgs: call.getArguments(), links, chains: st.chains, plain: template });
      if (plan.hit) return lookupChainCall(call, lookup, lookup, links, { ...plan, hit: plan.hit }, field, mark, recv);
      if (template === undefined) return uncoveredLookup(call, lookup, lookup, links, st.chains, field, mark);
    }
    if (template === undefined) return mark(call, `${what} has no template in ${field}; map it in ssot.config.json or rewrite it by hand`);
    // the class is never null: `C?.x(…)` is `C.x(…)`; an optional call of the static itself may find nothing
    if (call.hasQuestionDotToken()) return mark(call, `${what} is called optionally; its template is not, rewrite it by hand`);
    if (!isPure(recv)) return mark(call, `the template of ${what} does not use the receiver, and \`${recv.getText()}\` may have side effects; bind it to a const first`);
    const uses = templateUses(template);
    const args = call.getArguments();
    const plan = planArguments(template, args, what, `the template of ${what} (${field})`, { userArgumentDropped: true });
    if ('problem' in plan) return mark(call, plan.problem);
    const { bound } = plan;
    const ctxText = templateContext(call, what, template, uses);
    if (ctxText === false) return;
    dropped.push({ start: recv.getStart(), end: recv.getEnd() });
    // `undefined`: the static does nothing any more (wiring the canonical hub does itself, e.g. `C.setIO(io)`)
    if (!dropNoOpCall(call, template, bound)) templateCallEdit(call, template, args, bound, uses, ctxText);
  };

  /**
   * A static read, not called: a data static with a template (no `$n`: nothing is passed) becomes
   * it; a function static read as a value (`list.forEach(C.emit)`), a write (`C.io = io`, `C.n++`),
   * or a static with no template is marked for a person and keeps the class imported.
   */
  const staticRead = (access: PropertyAccessExpression, st: StaticHit): void => {
    const mark = (n: Node, m: string): void => todo(n, m, `${st.class}.${st.name}`);
    if (inStaticsModule(st)) return;
    const what = `${st.class}.${st.name} of ${st.module}`;
    const field = `classes[${st.index}].statics`;
    const parent = access.getParent();
    const written =
      (Node.isBinaryExpression(parent) && parent.getLeft() === access && /^(?:[-+*/%&|^]|\*\*|<<|>>>?|&&|\|\||\?\?)?=$/.test(parent.getOperatorToken().getText())) ||
      ((Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) && /^(?:\+\+|--)$/.test(morphTs.tokenToString(parent.getOperatorToken()) ?? '')) ||
      Node.isDeleteExpression(parent);
    if (written) return mark(access, `${what} is written${st.template === undefined ? '' : `; its template (${field}) is a read`}: rewrite it by hand`);
    if (st.template === undefined) return mark(access, `${what} is read but has no template in ${field}; map it in ssot.config.json or rewrite it by hand`);
    if (st.callable) return mark(access, `${what} is used as a value (not called); its template (${field}) applies to calls: call it in an arrow, or rewrite it by hand`);
    const template = st.template;
    const uses = templateUses(template);
    if ([...template.matchAll(/\$(\d)/g)].length > 0) return mark(access, `${what} is read without a call, and its template (${field}) needs the call's arguments ($1..$9): rewrite it by hand`);
    const recv = access.getExpression();
    if (!isPure(recv)) return mark(access, `the template of ${what} does not use the receiver, and \`${recv.getText()}\` may have side effects; bind it to a const first`);
    let ctxText: string | undefined;
    if (uses.names.has('ctx') || uses.names.has('user')) {
      const ctx = an.contextFor(access);
      if ('missing' in ctx) return onMissingContext(access, `${what} becomes canonical code that needs the request's context: ${ctx.missing}`, mark);
      ctxText = ctx.text;
    }
    for (const name of templateFreeNames(template)) if (an.canonicalExports.has(name)) canonicalValues.add(name);
    dropped.push({ start: recv.getStart(), end: recv.getEnd() });
    nodeEdits.push({
      start: pos(access.getStart()),
      end: pos(access.getEnd()),
      needs: importsFor(uses),
      site: true,
      at: access,
      make: () =>
        asOperand(
          expandTemplate(template, {
            arg: () => undefined,
            placeholder: (p) => (p === 'hub' ? `${hubName}()` : p === 'ctx' ? ctxText! : `$${p}`),
            call: (p, x) => `${factoryName}(${p === 'user' ? ctxText! : x})`,
            parenthesize: true,
            quote: quote(),
          }),
        ),
    });
  };

  /**
   * The class itself read as a value (`const W = C`, `use(C)`, `class Sub extends C`) or named as a
   * type (`typeof C`): its statics' calls and reads through it are rewritten, but the read or type
   * still names the legacy class; marked for a person (the class stays imported).
   */
  const staticClassRead = (id: Identifier, cls: { class: string; index: number }, asType: boolean): void => {
    const mark = (n: Node, m: string): void => todo(n, m, cls.class);
    const how = asType ? `\`typeof ${id.getText()}\` names` : `\`${id.getText()}\` reads`;
    mark(id, `${how} the legacy class ${cls.class} itself; classes[${cls.index}].statics rewrites its statics' calls and reads, not the class: replace it by hand (e.g. the canonical code the statics became)`);
  };

  /** Statements a boot construction's rewrite removes (wiring calls, stores of a dropped instance). */
  const bootRemoved: Node[] = [];
  /** Wiring calls already marked for a person (member templates do not mark them twice). */
  const bootMarked = new Set<Node>();

  /**
   * `new Legacy(…)` a constructions[] entry describes: replaced by its template; the wiring calls
   * on the instance go (a listener left empty with its registration); a dropped instance's
   * variable and stores go, refused while anything else reads it.
   */
  const construction = (node: NewExpression, spec: ConstructionSpec, index: number): void => {
    const mark = (n: Node, m: string): void => todo(n, m, spec.class);
    const plan = planConstruction(node, spec, index);
    if ('blocked' in plan) {
      if (plan.blocked.wiringCall) bootMarked.add(plan.blocked.wiringCall);
      return mark(plan.blocked.at, plan.blocked.message);
    }
    const { at, parent, decl, wired, bound } = plan;
    const args = node.getArguments();
    const uses = templateUses(spec.replacement);
    const render = (r: (n: Node) => string): string =>
      bindTemplate(
        bound,
        expandTemplate(spec.replacement, {
          arg: (n) => partText(bound, n, () => (args[n - 1] ? r(args[n - 1]!) : undefined)),
          placeholder: (p) => (p === 'hub' ? `${hubName}()` : `$${p}`),
          parenthesize: true,
          quote: quote(),
        }),
        r,
      );
    const needs = uses.names.has('hub') ? (['hub'] as const) : [];
    for (const name of templateFreeNames(spec.replacement)) if (an.canonicalExports.has(name)) canonicalValues.add(name);
    if (plan.drop) {
      const { stores, statement: st } = plan.drop;
      bootRemoved.push(...stores, ...wired);
      // what the construction did still happens (the canonical server starts): the statement keeps the replacement
      nodeEdits.push({ start: pos(st.getStart()), end: pos(st.getEnd()), needs, make: (r) => `${render(r)}${text.slice(pos(st.getEnd()) - 1, pos(st.getEnd())) === ';' ? ';' : ''}` });
      return;
    }
    bootRemoved.push(...wired);
    const annotation = decl?.getTypeNode();
    if (annotation) {
      if (spec.type !== undefined) canonicalTypes.add(spec.type);
      // no canonical type given: the variable's type is the replacement's, inferred
      const from = spec.type !== undefined ? pos(annotation.getStart()) : pos(decl!.getNameNode().getEnd());
      nodeEdits.push({ start: from, end: pos(annotation.getEnd()), make: () => spec.type ?? '' });
    }
    const open = Node.isVariableDeclaration(parent) || Node.isReturnStatement(parent) || Node.isExpressionStatement(parent) || Node.isPropertyAssignment(parent) || Node.isArrayLiteralExpression(parent) || (Node.isCallExpression(parent) && parent.getExpression() !== at) || (Node.isBinaryExpression(parent) && parent.getRight() === at);
    nodeEdits.push({ start: pos(node.getStart()), end: pos(node.getEnd()), needs, site: true, at: node, make: (r) => (open && at === node ? render(r) : asOperand(render(r))) });
  };

  /**
   * A cast of an untyped place to the legacy class of the instance a boot construction stored
   * there: retyped to the entry's canonical `type` when every construction stored there is
   * rewritten by an entry that gives one; otherwise it keeps the legacy type (a canonical one would
   * be a false claim about the value) and its file's legacy type imports stay.
   */
  const storedCast = (cast: AsExpression | TypeAssertion, held: StoredInstance[]): void => {
    const place = bare(cast.getExpression()).getText();
    const legacy = held.find((h) => !h.entry);
    if (legacy) {
      an.heldBack.add(file);
      const why = legacy.unrewritten ? 'which its constructions[] entry cannot rewrite (see the TODO(ssot) there): the cast keeps the legacy type' : 'which no constructions[] entry rewrites: the cast keeps the legacy type (describe that construction in constructions[])';
      return todo(cast, `\`${place}\` holds the legacy ${legacy.class} constructed at ${legacy.at}, ${why}`);
    }
    const types = new Set(held.map((h) => (h.entry!.spec.instance === 'drop' ? undefined : h.entry!.spec.type)));
    const type = types.size === 1 ? [...types][0] : undefined;
    if (type === undefined) {
      an.heldBack.add(file);
      const e = held[0]!.entry!;
      const why = e.spec.instance === 'drop' ? `is "drop": nothing is stored at \`${place}\` any more` : types.size > 1 ? 'and other entries give different types' : 'gives no type';
      return todo(cast, `\`${place}\` holds what constructions[${e.index}].replacement makes, but constructions[${e.index}] ${e.spec.instance === 'drop' ? `.instance ${why}` : why}; retype the cast by hand`);
    }
    canonicalTypes.add(type);
    const sources = an.castSources.get(file) ?? an.castSources.set(file, new Set()).get(file)!;
    for (const h of held) sources.add(h.at.slice(0, h.at.lastIndexOf(':')));
    // only the class part of `Legacy | undefined` is retyped
    const typeNode = castReference(cast)!;
    nodeEdits.push({ start: pos(typeNode.getStart()), end: pos(typeNode.getEnd()), make: () => type });
  };

  /** Where reads of an instances[] entry were replaced (input offsets): they no longer hold its import. */
  const instanceReads = new Set<number>();
  /**
   * A read of an instance a legacy module exports (instances[]): replaced by the entry's
   * replacement. Its members are not read here: `m.x(…)` follows classes[].members (or is marked).
   */
  const instanceRead = (id: Identifier, spec: InstanceSpec, index: number): void => {
    const mark = (n: Node, m: string): void => todo(n, m, spec.name);
    const up = id.getParent();
    if (!up || isDropped(id)) return;
    if (Node.isImportSpecifier(up) || Node.isImportClause(up) || Node.isNamespaceImport(up) || Node.isExportSpecifier(up) || Node.isImportEqualsDeclaration(up)) return;
    // where a CommonJS load binds it (`const m = require(…)`, `const { m } = …`): a binding, not a read
    if ((Node.isVariableDeclaration(up) && up.getNameNode() === id) || Node.isBindingElement(up)) return;
    if (Node.isTypeQuery(up) || Node.isQualifiedName(up)) return mark(id, `${Node.isTypeQuery(up) ? up.getText() : `typeof ${up.getText()}`} is the type of the legacy instance instances[${index}] replaces; write the type of its replacement by hand`);
    // through a namespace import (`ns.m`) the whole access is the read
    const read = Node.isPropertyAccessExpression(up) && up.getNameNode() === id ? up : id;
    const parent = read.getParent();
    if (!parent) return;
    if ((Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent)) && parent.getExpression() === read) return;
    // `require('…').m` loads it (its binding's reads are the reads)
    if (read !== id && Node.isPropertyAccessExpression(read) && Node.isCallExpression(read.getExpression()) && (read.getExpression() as CallExpression).getExpression().getText() === 'require') return;
    const shorthand = Node.isShorthandPropertyAssignment(parent);
    for (const name of templateFreeNames(spec.replacement)) if (an.canonicalExports.has(name)) canonicalValues.add(name);
    if (read === id) instanceReads.add(pos(id.getStart()));
    nodeEdits.push({
      start: pos(read.getStart()),
      end: pos(read.getEnd()),
      needs: templateUses(spec.replacement).names.has('hub') ? ['hub'] : [],
      site: true,
      make: () => {
        const text = expandTemplate(spec.replacement, { arg: () => undefined, placeholder: (p) => (p === 'hub' ? `${hubName}()` : `$${p}`), parenthesize: true, quote: quote() });
        return shorthand ? `${id.getText()}: ${text}` : asOperand(text);
      },
    });
  };

  /** Initializers of destructurings of a legacy object's members (`const { notify } = wsManager`): not an instance read, whatever becomes of them. */
  const destructuredInits = new Set<Node>();
  /** Destructurings destructuredMembers took on (input offsets of their declarations): importEdits trims or removes them once their bindings' uses are gone. */
  const destructurings = new Set<number>();

  /**
   * Members destructured from an object manager, or from a singleton an instances[] entry names
   * (`const { notify } = wsManager`, `const { notify: n } = require('./ws')`): each call of a
   * binding becomes its member's template, as `wsManager.notify(…)` would (the object is a
   * module's singleton: dropping it as a receiver loses nothing). A binding that cannot be
   * followed call by call stays, marked with why: a default, a rest element, a computed or nested
   * name, one reassigned or read as a value (passed on, stored, exported), or a member with no
   * template a call can take. importEdits trims the destructuring of the bindings left with no
   * use, or removes it. The object may also come out of a load: `require(L)`, `await import(L)` of
   * a CommonJS module (its namespace's names are `module.exports`' properties), `require(L).m`,
   * `(await import(L)).m` / `.default` — the module's export, read once when the load settles, as
   * an import of it is; the load (and its `await`) goes with the destructuring's last binding, as
   * a destructured factory's does. Returns false when it does not apply (the caller marks the
   * whole), or why the bindings are not followed (the caller marks that).
   */
  const destructuredMembers = (decl: Node, init: Node, spec: LegacyClassSpec): boolean | string => {
    if (!Node.isVariableDeclaration(decl)) return false;
    const pattern = decl.getNameNode();
    if (!Node.isObjectBindingPattern(pattern)) return false;
    const bare = bareInit(init);
    const awaited = Node.isAwaitExpression(bare);
    const loaded = moduleLoadOf(bare.compilerNode as unknown as ts.Expression) !== undefined;
    // `require(L).m` / `(await import(L)).m`: the export m of a module load, no other work
    const loadMember = Node.isPropertyAccessExpression(bare) && !bare.hasQuestionDotToken() && moduleLoadOf(bare.getExpression().compilerNode as unknown as ts.Expression) !== undefined;
    const objectManager = an.classes.isObjectManager(spec);
    const why = unfollowedWhy(bare, spec, objectManager, awaited && loaded);
    if (why !== undefined) return why;
    // the receiver dropped must be the module's singleton itself: a name (or namespace member) or a require() of the module
    if (!objectManager && !(Node.isIdentifier(bare) || Node.isPropertyAccessExpression(bare) ? an.instanceOf(Node.isPropertyAccessExpression(bare) ? bare.getNameNode() : bare) : loaded ? an.instanceOfLoad(bare) : undefined)) return false;
    if (!loaded && !loadMember && !(isPure(bare) && (Node.isIdentifier(bare) || Node.isPropertyAccessExpression(bare)))) return false;
    const statement = decl.getVariableStatement();
    // an exported destructuring is the module's API: other files read those names
    if (statement?.isExported()) return false;
    const key = `${spec.module}#${spec.class}`;
    const byFile = objectManager ? (an.objectUses.get(key) ?? an.objectUses.set(key, new Map()).get(key)!) : undefined;
    if (byFile && !byFile.has(file)) byFile.set(file, false);
    const mark = (n: Node, m: string, about?: string): void => {
      byFile?.set(file, true);
      if (byFile) countObjectUse(key, true);
      todo(n, m, about);
    };
    const from = oneLineText(init.getText());
    const problems: string[] = [];
    for (const el of pattern.getElements()) {
      const nameNode = el.getNameNode();
      const keyNode = el.getPropertyNameNode();
      const member = keyNode === undefined ? (Node.isIdentifier(nameNode) ? nameNode.getText() : undefined) : Node.isIdentifier(keyNode) ? keyNode.getText() : Node.isStringLiteral(keyNode) ? keyNode.getLiteralValue() : undefined;
      const local = nameNode.getText();
      const what = `${spec.class}.${member ?? '?'}`;
      if (el.getDotDotDotToken()) {
        problems.push(`\`...${local}\` takes the rest of ${spec.class} as an object`);
        continue;
      }
      if (member === undefined || !Node.isIdentifier(nameNode)) {
        problems.push(`\`${oneLineText(el.getText())}\` is not one member bound to one name`);
        continue;
      }
      if (el.getInitializer()) {
        problems.push(`\`${local} = …\` gives ${what} a default, which its template cannot keep`);
        continue;
      }
      // a shorthand binding's search also finds the member's own uses (`this.notify` in the legacy module): only the binding's are its
      const binding = nameNode.getSymbol();
      const own = (r: Node): boolean => (Node.isIdentifier(r) ? r : Node.isBinaryExpression(r) && Node.isIdentifier(r.getLeft()) ? r.getLeft() : undefined)?.getSymbol() === binding;
      const uses = bindingUses(nameNode);
      const reads = uses.reads.filter(own);
      const writes = uses.writes.filter(own);
      // a binding nothing uses goes with the destructuring's trim (importEdits), whatever its member is
      if (reads.length === 0 && writes.length === 0) continue;
      const template = Object.hasOwn(spec.members, member) ? spec.members[member] : undefined;
      const named = local === member ? member : `${local} (${member})`;
      if (template === undefined) {
        problems.push(`${what} has no template in classes[].members`);
        continue;
      }
      const { names } = templateUses(template);
      if (names.has('legacy') || names.has('self') || names.has('m')) {
        problems.push(`the template of ${what} uses ${names.has('m') ? '$m (the receiver), which a destructured member has none of' : `${names.has('legacy') ? '$legacy' : '$self'}, which only the shim has`}`);
        continue;
      }
      if (fieldMemberTemplates(spec.members).has(member)) {
        problems.push(`${what} has chain templates (\`${member}.…\`), which apply to calls on the object`);
        continue;
      }
      if (writes.length > 0) {
        problems.push(`${named} is reassigned`);
        continue;
      }
      const calls = reads.map((r) => {
        const p = r.getParent();
        return Node.isCallExpression(p) && p.getExpression() === r && !p.hasQuestionDotToken() && r.getSourceFile() === sf ? p : undefined;
      });
      const escaping = reads.find((_, i) => calls[i] === undefined);
      if (escaping) {
        problems.push(`${named} is used as a value at line ${escaping.getStartLineNumber()} (not called), and a template applies to calls`);
        continue;
      }
      for (const call of calls) {
        if (byFile) countObjectUse(key, false);
        destructuredCall(call!, template, `${what} (destructured from \`${from}\`)`, (n, m) => mark(n, m, what));
      }
    }
    if (problems.length && byFile) countObjectUse(key, false);
    if (problems.length) mark(decl, `members of ${spec.class} destructured here stay on the legacy object: ${problems.join('; ')} — call them on \`${from}\` so their templates apply, or rewrite by hand`, spec.class);
    destructuredInits.add(Node.isPropertyAccessExpression(bare) ? bare.getNameNode() : bare);
    destructurings.add(pos(decl.getStart()));
    return true;
  };

  /**
   * The legacy class of the module object `await import(L)` gives when L is a CommonJS module
   * (`module.exports = …`, `export = …`): its namespace's names are the exported object's
   * properties, so `const { notify } = await import(L)` destructures that object (an ES module's
   * namespace is not its default export: not followed).
   */
  const commonJsNamespaceSpec = (init: Node, at: Node): LegacyClassSpec | undefined => {
    const bare = bareInit(init);
    const load = Node.isAwaitExpression(bare) ? moduleLoadOf(bare.compilerNode as unknown as ts.Expression) : undefined;
    if (!load || !ts.isCallExpression(load.parent) || load.parent.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
    const target = (bare as AwaitExpression).getExpression();
    const arg = Node.isCallExpression(target) ? target.getArguments()[0] : undefined;
    const mod = arg && Node.isStringLiteral(arg) ? arg.getSymbol()?.getDeclarations()[0] : undefined;
    if (!mod || !Node.isSourceFile(mod)) return undefined;
    const modSf = mod.compilerNode as unknown as ts.SourceFile;
    const commonJs = isCommonJsScript(mod.getFilePath(), modSf) || modSf.statements.some((st) => ts.isExportAssignment(st) && st.isExportEquals === true);
    const dflt = commonJs ? init.getType().getProperty('default') : undefined;
    return dflt ? an.classes.specOf(dflt.getTypeAtLocation(at), at) : undefined;
  };

  /**
   * Why members destructured from `bare` cannot be followed call by call, when the reason is
   * the object they come from (each says what would differ); undefined when they may be.
   */
  const unfollowedWhy = (bare: Node, spec: LegacyClassSpec, objectManager: boolean, awaitedLoad: boolean): string | undefined => {
    const from = oneLineText(bare.getText());
    const tail = `call them on the object so their templates apply, or rewrite by hand`;
    if (Node.isNewExpression(bare))
      return `members of ${spec.class} are destructured from \`${from}\`, an instance built for this destructuring alone: its constructor runs here (a rewrite would drop it), and a method taken off an instance runs with \`this\` undefined, which no template reproduces — ${tail}`;
    if (awaitedLoad && !objectManager)
      return `members of ${spec.class} are destructured from \`${from}\`, the namespace of a module whose export is an instance: it holds the instance's own properties at most (Node's CommonJS lexer exports no name of \`module.exports = new …\`, TypeScript's __importStar copies no prototype method), so these bindings may be undefined where the legacy call throws — ${tail}`;
    if (objectManager) return undefined;
    // a class instance that is no instances[] singleton (a field, a parameter, a local): the receiver dropped would be one of many
    const singleton = Node.isIdentifier(bare) || Node.isPropertyAccessExpression(bare) ? an.instanceOf(Node.isPropertyAccessExpression(bare) ? bare.getNameNode() : bare) : moduleLoadOf(bare.compilerNode as unknown as ts.Expression) ? an.instanceOfLoad(bare) : undefined;
    if (singleton) return undefined;
    return `members of ${spec.class} are destructured from \`${from}\`, one ${spec.class} among any (no instances[] entry names it): a method taken off it runs with \`this\` undefined and a property is read once here, neither of which a template applied at each use reproduces — ${tail}`;
  };

  /** One call of a destructured member: its template, the arguments planned as a free function's are (there is no receiver). */
  const destructuredCall = (call: CallExpression, template: string, what: string, mark: (n: Node, m: string) => void): void => {
    const uses = templateUses(template);
    const args = call.getArguments();
    const plan = planArguments(template, args, what, `the template of ${what}`, { userArgumentDropped: true });
    if ('problem' in plan) return mark(call, plan.problem);
    const ctxText = templateContext(call, what, template, uses, mark);
    if (ctxText === false) return;
    const { bound } = plan;
    // `undefined`: the member does nothing any more
    if (!dropNoOpCall(call, template, bound)) templateCallEdit(call, template, args, bound, uses, ctxText);
  };

  // a lookup's result stored in a local first: its uses take the chains' templates (stored-lookups.ts)
  const heads = an.lookupChainHeads;
  if (heads.size > 0) {
    // the callee's name, or an imported alias's original one (`import { getConnection as gc }`)
    const calleeNamed = (callee: Node): boolean => {
      if (Node.isPropertyAccessExpression(callee)) return heads.has(callee.getName());
      if (!Node.isIdentifier(callee)) return false;
      if (heads.has(callee.getText())) return true;
      const sym = callee.getSymbol();
      return sym?.isAlias() === true && heads.has(sym.getAliasedSymbol()?.getName() ?? '');
    };
    // a field's lookup: `x.links.get(id)` with chains under "links.get"
    const fieldNamed = (callee: Node): boolean => {
      const on = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
      return on !== undefined && Node.isPropertyAccessExpression(on) && heads.has(on.getName());
    };
    for (const decl of sf.getDescendantsOfKind(morphTs.SyntaxKind.VariableDeclaration)) {
      const call = storedCall(decl);
      const found = call && calleeNamed(call.getExpression()) && lookupHeadOf(call);
      if (found) storedLookupLocal(decl, call, found.head, found.about, found.field);
      const onField = !found && call && fieldNamed(call.getExpression()) ? fieldLookupHeadOf(call) : undefined;
      if (onField && call) storedLookupLocal(decl, call, onField.head, onField.about, onField.field, onField.access);
    }
  }

  sf.forEachDescendant((node) => {
    if (Node.isIdentifier(node)) {
      const inst = destructuredInits.has(node) ? undefined : an.instanceOf(node);
      if (inst) instanceRead(node, inst.spec, inst.index);
      // a free function read as a value, not called (functions[])
      else if (an.freeFunctions.any && isValueRead(node)) {
        const fn = an.freeFunctionOf(node);
        if (fn) freeFunctionValue(node, fn);
      }
      // a class used through its statics read as a value or named as a type (classes[].statics)
      // (only an imported binding can name a legacy class outside its module: the checker's type is asked for those alone)
      if (an.statics.any && !Node.isNewExpression(node.getParent()) && (isValueRead(node) || Node.isTypeQuery(node.getParent())) && node.getSymbol()?.isAlias()) {
        const cls = an.statics.classOfValue(an.typeOf(node));
        if (cls && an.freeFunctions.moduleOf(sf) !== normalizeId(manifest.classes[cls.index]!.module).replace(/\/index$/, '')) staticClassRead(node, cls, Node.isTypeQuery(node.getParent()));
      }
      return;
    }
    if (Node.isPropertyAccessExpression(node)) {
      if (storedCalls.has(node)) return;
      const parent = node.getParent();
      if (Node.isCallExpression(parent) && parent.getExpression() === node) return;
      // `m.optionalMember!()`: the call below is the member's
      const asserted = Node.isNonNullExpression(parent) ? parent.getParent() : undefined;
      if (Node.isCallExpression(asserted) && asserted.getExpression() === parent) return;
      // an adapter's own property naming the user/thread/run it acts for (adapters[].scope): the
      // unwrapped manager carries it in its context
      const recv = node.getExpression();
      const a = an.adapterOfType(recv.getType());
      const field = a?.scope ? Object.entries(a.scope).find(([, prop]) => prop === node.getName())?.[0] : undefined;
      if (field !== undefined && Node.isSuperExpression(recv)) {
        keptAdapters.add(a!);
        return todo(node, `\`super.${node.getName()}\` reads the adapter ${a!.class}'s own ${node.getName()} (adapters[].scope ${field}), and a subclass of the adapter has no wrapped manager to read it from: rewrite the subclass by hand`);
      }
      if (field !== undefined) {
        nodeEdits.push({ start: pos(node.getStart()), end: pos(node.getEnd()), adapter: a!, make: (render) => `${asOperand(render(recv))}.context.${field}` });
        return;
      }
      const fn = an.freeFunctionOf(node);
      if (fn) return freeFunctionValue(node, fn);
      const st = an.statics.of(node);
      if (st) return staticRead(node, st);
      member(node, undefined);
      return;
    }
    if (Node.isVariableDeclaration(node) && Node.isObjectBindingPattern(node.getNameNode())) {
      const init = node.getInitializer();
      const spec = init && (an.classes.specOf(init.getType(), node) ?? commonJsNamespaceSpec(init, node));
      const followed = spec && init ? destructuredMembers(node, init, spec) : false;
      if (followed === true) return;
      if (typeof followed === 'string') {
        const bare = bareInit(init!);
        destructuredInits.add(Node.isPropertyAccessExpression(bare) ? bare.getNameNode() : bare);
        // as before these reasons were given: a class's marker names no member (an object manager's names the object)
        todo(node, followed, an.classes.isObjectManager(spec!) ? spec!.class : undefined);
        if (an.classes.isObjectManager(spec!)) {
          const key = `${spec!.module}#${spec!.class}`;
          (an.objectUses.get(key) ?? an.objectUses.set(key, new Map()).get(key)!).set(file, true);
          countObjectUse(key, false);
          countObjectUse(key, true);
        }
        return;
      }
      // the legacy object stays read here (its members are): not the replacement an instances[] entry gives its other reads
      if (spec && init) {
        const bare = bareInit(init);
        destructuredInits.add(Node.isPropertyAccessExpression(bare) ? bare.getNameNode() : bare);
      }
      if (spec) todo(node, `members of a legacy ${spec.class} are destructured; call them on the object so their templates apply, or rewrite by hand`);
      // an object manager's members taken out of it stay on the legacy object: a use kept (index.ts then moves its calls in no file)
      if (spec && an.classes.isObjectManager(spec)) {
        const key = `${spec.module}#${spec.class}`;
        (an.objectUses.get(key) ?? an.objectUses.set(key, new Map()).get(key)!).set(file, true);
        countObjectUse(key, false);
        countObjectUse(key, true);
      }
      return;
    }
    if (Node.isAsExpression(node) || Node.isTypeAssertion(node)) {
      const held = an.constructions.castOf(node);
      if (held) storedCast(node, held);
      return;
    }
    if (Node.isNewExpression(node)) {
      const boot = an.constructions.entryOf(node);
      if (boot) {
        construction(node, boot.spec, boot.index);
        return;
      }
      // a class re-declared elsewhere (a strangled barrel's `export const Adapter = …`) is known by what it constructs
      const a = an.adapterOfDecl(resolved(node.getExpression().getSymbol())?.getDeclarations()[0]) ?? an.adapterOfType(node.getType());
      if (!a) return;
      const arg = node.getArguments()[a.unwrapArg];
      if (!arg) {
        todo(node, `new ${a.class}(…) has no argument ${a.unwrapArg} (the wrapped manager); replace it by hand`);
        return;
      }
      nodeEdits.push({ start: pos(node.getStart()), end: pos(node.getEnd()), adapter: a, make: (render) => unwrap(arg, render) });
      return;
    }
    if (Node.isCallExpression(node)) {
      if (storedCalls.has(node)) return;
      const callee = node.getExpression();
      // an optional member of an interface asserted present (`m.count!()`) is called like any other
      if (Node.isNonNullExpression(callee) && Node.isPropertyAccessExpression(callee.getExpression()) && member(callee.getExpression(), node)) return;
      const fn = Node.isIdentifier(callee) || Node.isPropertyAccessExpression(callee) ? an.freeFunctionOf(callee) : undefined;
      if (fn) return freeFunctionCall(node, fn);
      const st = Node.isPropertyAccessExpression(callee) ? an.statics.of(callee) : undefined;
      if (st && Node.isPropertyAccessExpression(callee)) return staticCall(node, callee, st);
      const made = an.adapterFactoryOf(node);
      if (made) {
        const arg = made.arg === undefined ? undefined : node.getArguments()[made.arg];
        if (!arg) todo(node, `${made.spec.class}.${made.method}(…) builds the adapter but no single argument of it is the wrapped manager; replace it by hand`);
        else nodeEdits.push({ start: pos(node.getStart()), end: pos(node.getEnd()), adapter: made.spec, make: (render) => unwrap(arg, render) });
        return;
      }
      if (Node.isPropertyAccessExpression(callee)) {
        const a = an.adapterOfType(callee.getExpression().getType());
        const template = a?.methods[callee.getName()];
        const recv = callee.getExpression();
        // an adapter its own static method builds without a manager argument stays an adapter
        const builder = Node.isCallExpression(recv) ? an.adapterFactoryOf(recv) : undefined;
        const kept = builder !== undefined && builder.arg === undefined;
        if (a && template !== undefined && !kept) {
          const args = node.getArguments();
          const what = `${a.class}.${callee.getName()}`;
          // adapter templates repeat arguments for payload aliases (`{ reasoning: $1, text: $1 }`):
          // one with side effects is evaluated once, ahead of the template (with the receiver, when it must wait)
          const usesReceiver = templateUses(template).names.has('m');
          // `super.notify(…)` in a subclass of the adapter: `$m` is the manager an adapter wraps, which `super` does not name
          if (usesReceiver && Node.isSuperExpression(recv)) {
            keptAdapters.add(a);
            todo(node, `the template of ${what} uses $m, the manager the adapter wraps, and \`super.${callee.getName()}(…)\` in a subclass of ${a.class} has no such manager to give it: rewrite the subclass by hand`);
            return;
          }
          const plan = planArguments(template, args, what, `the template of ${what} (adapters[].methods)`, usesReceiver ? { receiver: recv } : {});
          if ('problem' in plan) {
            keptAdapters.add(a);
            todo(node, plan.problem);
            return;
          }
          const { bound } = plan;
          // `adapter?.notify(…)`: the optional call stays optional (an unwrapped `undefined` must
          // not start throwing); a template that starts on the manager keeps the `?.` there
          const optional = callee.hasQuestionDotToken();
          if (node.hasQuestionDotToken() && mayBeAbsent(callee)) {
            keptAdapters.add(a);
            todo(node, `${what} is called only when present (\`?.()\`), which its template cannot test; rewrite it by hand`);
            return;
          }
          const onManager = /^\s*\$m\s*\./.exec(template);
          // (the receiver is read by the null test, then again by the template or the arguments evaluated ahead of it)
          if (optional && (!onManager || bound.length > 0) && !isPure(recv)) {
            keptAdapters.add(a);
            todo(node, `${a.class}.${callee.getName()} is called optionally on \`${recv.getText()}\`, which may have side effects; bind it to a const first`);
            return;
          }
          nodeEdits.push({
            start: pos(node.getStart()),
            end: pos(node.getEnd()),
            site: true,
            adapter: a,
            at: node,
            make: (render) => {
              const m = asOperand(render(recv));
              // arguments parenthesised where they would bind differently (`a || b` before `?? d`), as in member templates
              const fill = (t: string): string =>
                bindTemplate(bound, expandTemplate(t, { arg: (n) => partText(bound, n, () => (args[n - 1] ? render(args[n - 1]!) : undefined)), placeholder: (p) => (p === 'm' ? partText(bound, 0, () => m)! : `$${p}`), parenthesize: true, quote: quote() }), render);
              if (!optional) return fill(template);
              // (arguments evaluated ahead of the template would run where the optional call skips them)
              if (onManager && !bound.length) return fill(`$m?.${template.slice(onManager[0].length)}`);
              return `(${m} == null ? undefined : ${fill(template)})`;
            },
          });
          return;
        }
        if (member(callee, node)) return;
      }
      if (an.isFactoryCall(node) && !isDropped(node)) {
        const ctx = an.contextFor(node);
        if ('missing' in ctx) onMissingContext(node, `${callee.getText()}() is the shared legacy manager: ${ctx.missing}`, todo);
        else {
          const replacement = manifest.factory?.replacement ?? `${an.canonicalFactory}($ctx)`;
          const args = node.getArguments();
          nodeEdits.push({
            factory: true,
            callee: { start: pos(callee.getStart()), end: pos(callee.getEnd()) },
            start: pos(node.getStart()),
            end: pos(node.getEnd()),
            // rendered like every other template: placeholders and the factory's (possibly aliased)
            // name are identifiers, never text inside a string or a property name; literals in the file's quote
            make: (render) =>
              expandTemplate(replacement, {
                arg: (n) => (args[n - 1] ? render(args[n - 1]!) : undefined),
                placeholder: (p) => (p === 'ctx' ? (ctx.optional ? `${ctx.text}!` : ctx.text) : `$${p}`),
                identifier: (name) => (name === an.canonicalFactory ? factoryName : undefined),
                parenthesize: true,
                quote: quote(),
              }),
          });
        }
      } else if (an.isBareCanonicalFactoryCall(node)) {
        const ctx = an.contextFor(node);
        if ('missing' in ctx) onMissingContext(node, `${callee.getText()}() is the canonical factory called without its context: ${ctx.missing}`, todo);
        else nodeEdits.push({ start: pos(node.getStart()), end: pos(node.getEnd()), site: true, make: (render) => `${render(callee)}(${ctx.optional ? `${ctx.text}!` : ctx.text})` });
      }
      return;
    }
    if (Node.isTypeReference(node)) {
      const a = an.adapterOfDecl(resolved(node.getTypeName().getSymbol())?.getDeclarations()[0]) ?? an.adapterOfType(node.getType());
      if (!a) return;
      const managerType = managerTypeOf(manifest, a, node);
      if (!managerType) {
        todo(node, `type ${a.class}: no canonical manager type is known for its wrapped manager; replace it by hand`);
        return;
      }
      nodeEdits.push({ start: pos(node.getStart()), end: pos(node.getEnd()), adapter: a, type: managerType, make: () => managerType });
    }
  });
  // an adapter one of whose calls stays (marked) stays whole in this file: unwrapped or retyped
  // around that call it would no longer have the method
  if (keptAdapters.size) nodeEdits.splice(0, nodeEdits.length, ...nodeEdits.filter((e) => !e.adapter || !keptAdapters.has(e.adapter)));
  for (const e of nodeEdits) if (e.type !== undefined) canonicalTypes.add(e.type);
  const dead = deadManagerValues(an, sf, isDropped);
  // a dead parameter default: its legacy type and the factory call go; the parameter goes too
  // when every caller is known and editable here, else it stays (callers may pass it)
  const decided = new Map(dead.parameters.map((p) => [p, droppedParameter(an, p, sf)] as const));
  const drops = new Map([...decided].map(([p, d]) => [p, 'ranges' in d ? d.ranges : undefined] as const));
  const whyKept = new Map([...decided].flatMap(([p, d]) => ('why' in d ? [[p, d.why] as const] : [])));
  // a constructor these edits leave with no parameter and no statement goes whole
  const emptied = emptiedConstructors(text, pos, drops, dead.statements);
  const inEmptied = (n: Node): boolean => emptied.some((c) => n.getStart() >= c.getStart() && n.getEnd() <= c.getEnd());
  const removed = [
    // a class member takes a blank line with it where one would be left doubled or leading
    ...dead.statements.filter((st) => !inEmptied(st)).map((st) => (Node.isPropertyDeclaration(st) ? memberLineRange : statementLineRange)(text, pos(st.getStart()), pos(st.getEnd()))),
    ...emptied.map((c) => memberLineRange(text, pos(c.getStart()), pos(c.getEnd()))),
    ...bootRemoved.map((st) => blockStatementRange(text, pos(st.getStart()), pos(st.getEnd()))),
  ];
  const retyped = dead.parameters.flatMap((p) => {
    const ranges = drops.get(p);
    if (!ranges && injectedParameter(p)) {
      // retyped `unknown` its decorator (or the class's recorded metadata) would still ask the container for the legacy service, and
      // without it the container finds no token: it goes with its callers' arguments, or a person decides
      todo(p, `${p.getName()} is read no more once its calls go to the canonical module, but ${whyKept.get(p) ?? 'its constructor cannot change'}: drop it, its decorator and those arguments, or keep the legacy service`, an.classes.specOf(p.getType(), p)?.class);
      return [];
    }
    if (!ranges) return [{ start: pos(p.getStart()), end: pos(p.getEnd()), text: unusedParameterText(p) }];
    // the parameter's own range goes with its emptied constructor; the arguments callers passed still go
    return (inEmptied(p) ? ranges.slice(1) : ranges).map((r) => ({ start: pos(r.start), end: pos(r.end), text: '' }));
  });
  // arguments of this file's calls whose injected parameter another file's plan removed (droppedInjected)
  for (const r of input.removals ?? []) retyped.push({ start: pos(r.start), end: pos(r.end), text: '' });
  const inRemoved = (at: number): boolean => [...removed, ...retyped].some((r) => at >= r.start && at < r.end);
  if (removed.length || retyped.length) {
    nodeEdits.splice(0, nodeEdits.length, ...nodeEdits.filter((e) => !inRemoved(e.start)));
    for (const at of [...todos.keys()]) if (inRemoved(at) || (todoSites.get(at) ?? []).every(inRemoved)) todos.delete(at);
    for (const r of reviewAt.filter((r) => inRemoved(r.at))) {
      needsReview.splice(needsReview.indexOf(r.item), 1);
      reviewAt.splice(reviewAt.indexOf(r), 1);
    }
  }
  if (nodeEdits.length === 0 && todos.size === 0 && removed.length === 0 && retyped.length === 0) return undefined;
  if (nodeEdits.some((e) => e.factory || e.needs?.includes('factory'))) {
    factoryName = canonicalBinding(file, text, an.canonicalFactory, manifest.canonical.module, nodeEdits);
    canonicalValues.add(factoryName === an.canonicalFactory ? factoryName : `${an.canonicalFactory} as ${factoryName}`);
  }
  if (nodeEdits.some((e) => e.needs?.includes('hub'))) {
    hubName = canonicalBinding(file, text, HUB_EXPORT, manifest.canonical.module, nodeEdits);
    canonicalValues.add(hubName === HUB_EXPORT ? hubName : `${HUB_EXPORT} as ${hubName}`);
  }

  // resolve nested splices innermost first: an outer template renders its parts already rewritten
  const sorted = [...nodeEdits].sort((x, y) => x.end - x.start - (y.end - y.start));
  const done = new Map<NodeEdit, string>();
  const inside = (inner: { start: number; end: number }, outer: { start: number; end: number }): boolean => inner !== outer && inner.start >= outer.start && inner.end <= outer.end;
  const renderRange = (start: number, end: number): string => {
    const within = [...done.keys()].filter((e) => e.start >= start && e.end <= end);
    const top = within.filter((e) => !within.some((o) => inside(e, o)));
    return applyEdits(text.slice(start, end), top.map((e) => ({ start: e.start - start, end: e.end - start, text: done.get(e)! })));
  };
  for (const e of sorted) done.set(e, e.make((n) => renderRange(pos(n.getStart()), pos(n.getEnd()))));
  const topEdits = sorted.filter((e) => !sorted.some((o) => inside(e, o)));
  const edits: Edit[] = topEdits.map((e) => ({ start: e.start, end: e.end, text: e.at ? asiGuard(e.at, done.get(e)!) : done.get(e)! }));
  const eol = detectEol(text);
  for (const r of removed) edits.push({ ...r, text: '' });
  edits.push(...retyped);
  for (const [at, line] of todos) edits.push({ start: at, end: at, text: line + eol });
  // `createWebSocketManager(ctx)` of a legacy import of that same name becomes the canonical one
  const callees = nodeEdits.flatMap((e) => (e.callee ? [e.callee] : []));
  edits.push(...importEdits(file, text, edits, canonicalValues, canonicalTypes, manifest, eol, callees, instanceReads, destructurings));
  const spliced = applyEdits(text, edits);
  const shiftBy = (list: readonly Edit[], at: number): number => at + list.filter((e) => e.end <= at).reduce((d, e) => d + e.text.length - (e.end - e.start), 0);
  // one `const hub = hubOperations()` where a stretch calls it more than once and nothing between can replace the hub (hoist-hub.ts)
  const wroteHub = [...canonicalValues].some((v) => v === HUB_EXPORT || v.startsWith(`${HUB_EXPORT} as `));
  // only calls this phase wrote (the app's own `hubOperations()` calls are its code)
  const written = edits.filter((e) => e.text.includes(`${hubName}(`)).map((e) => {
    const start = shiftBy(edits.filter((f) => f !== e), e.start);
    return { start, end: start + e.text.length };
  });
  const hoisted = wroteHub ? hoistHubEdits(file, spliced, hubName, (at) => written.some((w) => at >= w.start && at < w.end)) : [];
  const after = hoisted.length ? applyEdits(spliced, hoisted) : spliced;
  // where an input offset landed in the output: shifted by every edit before it (then by the hoist's)
  const outStart = (at: number): number => shiftBy(hoisted, shiftBy(edits, at));
  // lines as committed (markers inserted above calls, imports added or removed)
  for (const { item, at } of reviewAt) item.line = lineColumn(after, outStart(at)).line;
  if (after === text) return undefined;
  const checker = sf.getProject().getTypeChecker().compilerObject;
  const sites = topEdits.filter((e) => e.site).map((e) => {
    const start = outStart(e.start);
    const legacy = sf.getDescendantAtStartWithWidth(e.start - shift, e.end - e.start);
    const wasPromise = legacy !== undefined && isPromiseLike(checker, checker.getTypeAtLocation(legacy.compilerNode));
    // the site's end in the spliced text, then moved by the hoist's edits up to it (a `hubOperations()` inside it became a name)
    const end = shiftBy(hoisted, shiftBy(edits, e.start) + done.get(e)!.length);
    return { start, end, ...(wasPromise ? { wasPromise } : {}) };
  });
  return { after, edits: topEdits.length, sites };
}

/**
 * A legacy manager value nothing reads once the member templates dropped its receivers (each
 * template builds what it needs): `const m = getWebSocketManager()`, a private field assigned
 * one (`this.m = Factory.shared()`, its declaration and those assignments go), a parameter typed by an interface a classes[] entry describes, or whose
 * default is one. Only what this phase made dead: at least one reference was a dropped receiver.
 * The holders are held.ts's, as for analyze.ts's question whether a factory call needs a context.
 */
function deadManagerValues(an: Analyzer, sf: SourceFile, isDropped: (n: Node) => boolean): { statements: Node[]; parameters: ParameterDeclaration[] } {
  const statements: Node[] = [];
  const parameters: ParameterDeclaration[] = [];
  const factoryCall = (n: Node | undefined): boolean => {
    while (n && (Node.isAwaitExpression(n) || Node.isParenthesizedExpression(n) || Node.isNonNullExpression(n))) n = n.getExpression();
    return n !== undefined && Node.isCallExpression(n) && an.isFactoryCall(n);
  };
  const here = (n: Node): boolean => n.getSourceFile() === sf;
  /** Read at least once, and only as receivers this phase dropped. */
  const deadReads = (reads: readonly Node[]): boolean => reads.some(isDropped) && reads.every((r) => here(r) && isDropped(r));
  const seen = new Set<Node>();
  for (const call of sf.getDescendantsOfKind(morphTs.SyntaxKind.CallExpression)) {
    const held = an.isFactoryCall(call) ? heldValue(call) : undefined;
    if (!held || seen.has(held.holder)) continue;
    seen.add(held.holder);
    if (!deadReads(held.reads)) continue;
    const { holder, writes } = held;
    if (Node.isVariableStatement(holder)) statements.push(holder);
    else if (Node.isParameterDeclaration(holder)) {
      if (writes.length === 0) parameters.push(holder);
    } else {
      // a field: its initialiser (if any) and every write are the factory's, each write `this.f = …;` on its own
      const init = holder.getInitializer();
      const factoryWrite = (w: (typeof writes)[number]): boolean => here(w) && Node.isThisExpression((w.getLeft() as PropertyAccessExpression).getExpression()) && factoryCall(w.getRight()) && Node.isExpressionStatement(w.getParent());
      if ((init === undefined || factoryCall(init)) && writes.every(factoryWrite)) statements.push(holder, ...writes.map((w) => w.getParent()!));
    }
  }
  // a legacy-class view of another value (`const m = app.manager as Legacy`) that only dropped
  // receivers read: nothing is left to view (and the place may hold a canonical value by now)
  for (const cast of [...sf.getDescendantsOfKind(morphTs.SyntaxKind.AsExpression), ...sf.getDescendantsOfKind(morphTs.SyntaxKind.TypeAssertionExpression)]) {
    if (!isPure(cast.getExpression()) || an.classes.specOf(cast.getType(), cast) === undefined) continue;
    const held = heldValue(cast);
    if (!held || seen.has(held.holder) || !Node.isVariableStatement(held.holder)) continue;
    seen.add(held.holder);
    if (deadReads(held.reads)) statements.push(held.holder);
  }
  // a parameter typed by an interface a classes[] entry describes itself (nothing but its members'
  // templates stands behind it once they are rewritten): no value to follow, its reads alone. So
  // is a constructor parameter of a class a DI container builds typed by a described class (an
  // injected legacy service, `@inject(S) private s: S`): the container, not this code, made it
  for (const p of sf.getDescendantsOfKind(morphTs.SyntaxKind.Parameter)) {
    const nameNode = p.getNameNode();
    if (p.getInitializer() !== undefined || p.getTypeNode() === undefined || !Node.isIdentifier(nameNode) || (p.isParameterProperty() && !p.hasModifier(morphTs.SyntaxKind.PrivateKeyword))) continue;
    const ctor = p.getParent();
    const injected = Node.isConstructorDeclaration(ctor) && containerBuilt(ctor) && an.classes.specOf(p.getType(), p) !== undefined;
    if (!injected && an.classes.ownInterfaceSpecOf(p.getType(), p) === undefined) continue;
    const { reads, writes } = bindingUses(nameNode);
    // an injected service nothing reads at all is the same decision (and a second run meets it so)
    if (writes.length === 0 && (deadReads(reads) || (injected && reads.length === 0))) parameters.push(p);
  }
  return { statements, parameters };
}

/**
 * Constructors this phase's own edits leave empty: every parameter dropped (no caller passes
 * it), every statement a dead manager assignment, nothing else inside (no comment either), and
 * nothing that makes an empty constructor mean something: no overloads, no modifier but
 * `public` (a `private`/`protected` one restricts who may construct), no base class (its
 * implicit constructor would forward arguments), no comment above it.
 */
function emptiedConstructors(text: string, pos: (n: number) => number, drops: ReadonlyMap<ParameterDeclaration, unknown>, deadStatements: readonly Node[]): ConstructorDeclaration[] {
  const ctors = new Set<ConstructorDeclaration>();
  for (const [p, ranges] of drops) {
    const fn = p.getParent();
    if (ranges !== undefined && Node.isConstructorDeclaration(fn)) ctors.add(fn);
  }
  for (const st of deadStatements) {
    const fn = st.getParent()?.getParent();
    if (Node.isConstructorDeclaration(fn)) ctors.add(fn);
  }
  return [...ctors].filter((c) => {
    const body = c.getBody();
    if (!body || !Node.isBlock(body) || c.getOverloads().length > 0 || c.getLeadingCommentRanges().length > 0) return false;
    if (c.getModifiers().some((m) => m.getKind() !== morphTs.SyntaxKind.PublicKeyword)) return false;
    const cls = c.getParent();
    if (!Node.isClassDeclaration(cls) && !Node.isClassExpression(cls)) return false;
    if (cls.getHeritageClauses().some((h) => h.getToken() === morphTs.SyntaxKind.ExtendsKeyword)) return false;
    if (!c.getParameters().every((p) => drops.get(p) !== undefined)) return false;
    const statements = body.getStatements();
    if (!statements.every((st) => deadStatements.includes(st))) return false;
    // what is left of the body once the dead statements go: braces and whitespace only
    let inner = text.slice(pos(body.getStart()) + 1, pos(body.getEnd()) - 1);
    for (const st of [...statements].reverse()) inner = inner.slice(0, pos(st.getStart()) - pos(body.getStart()) - 1) + inner.slice(pos(st.getEnd()) - pos(body.getStart()) - 1);
    return /^\s*$/.test(inner);
  });
}

/**
 * A class member's line range (statementLineRange), and the blank line after it when it was
 * the first member or stood between blank lines, so no doubled or leading blank line is left.
 */
function memberLineRange(text: string, start: number, end: number): { start: number; end: number } {
  const r = statementLineRange(text, start, end);
  if (r.start === start) return r;
  const blankAt = (at: number): number => {
    const m = /^[ \t]*\r?\n/.exec(text.slice(at));
    return m ? m[0].length : 0;
  };
  const after = blankAt(r.end);
  if (after === 0) return r;
  const prevLine = text.slice(lineStartOf(text, Math.max(0, r.start - 1)), r.start);
  return /\{[ \t]*\r?\n$/.test(prevLine) || /^[ \t]*\r?\n$/.test(prevLine) ? { start: r.start, end: r.end + after } : r;
}

/** A statement's lines, and the blank line above it when it was the block's last (no blank line left before the `}`). */
function blockStatementRange(text: string, start: number, end: number): { start: number; end: number } {
  const r = memberLineRange(text, start, end);
  if (r.start === start || r.start === 0 || !/^[ \t]*\}/.test(text.slice(r.end))) return r;
  const prevStart = lineStartOf(text, r.start - 1);
  return /^[ \t]*\r?\n$/.test(text.slice(prevStart, r.start)) ? { start: prevStart, end: r.end } : r;
}

/**
 * An unused parameter keeps its place (a caller that passes it still compiles) but names no
 * legacy type and calls no legacy factory: `unknown`, optional. Removing it changes the
 * signature, a person's decision.
 */
function unusedParameterText(p: ParameterDeclaration): string {
  const after = p.getNextSiblings().filter((q): q is ParameterDeclaration => Node.isParameterDeclaration(q));
  const optionalTail = after.every((q) => q.isOptional() || q.hasInitializer() || q.isRestParameter());
  const name = p.getNameNode().getText();
  return optionalTail ? `${name}?: unknown` : `${name}: unknown = undefined`;
}

/**
 * The ranges that drop an unused parameter and its argument at each call, when the function is
 * no public API and every call is in the repo (the checker finds them): the parameter is the
 * last one, or no call passes an argument at its place. A call in another file would need an
 * edit this per-file plan cannot make, so the parameter then stays.
 */
function droppedParameter(an: Analyzer, p: ParameterDeclaration, sf: SourceFile): { ranges: Array<{ start: number; end: number }> } | { why: string } {
  const fn = p.getParent();
  if (!an.callersOf || !isFn(fn) || Node.isArrowFunction(fn) && fn.getParameters().length === 1 && !fn.getFirstChildByKind(morphTs.SyntaxKind.OpenParenToken)) return { why: 'its callers are not known' };
  const params = fn.getParameters();
  if (params.some((q) => q.getName() === 'this' || q.isRestParameter())) return { why: 'the constructor has a rest or `this` parameter' };
  if ((Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn) || Node.isConstructorDeclaration(fn)) && fn.getOverloads().length > 0) return { why: 'the constructor is overloaded' };
  const r = an.callersOf(fn);
  if ('boundary' in r) return { why: r.boundary };
  const idx = params.indexOf(p);
  const last = idx === params.length - 1;
  const passed = r.calls.filter((c) => c.getArguments().length > idx);
  if (injectedParameter(p)) return droppedInjected(an, p, idx, passed);
  if (passed.length && (!last || passed.some((c) => c.getSourceFile() !== sf || c.getArguments().length > idx + 1))) return { why: 'a call of it outside this file passes it' };
  return { ranges: [listItemRange(params, idx), ...passed.map((c) => listItemRange(c.getArguments(), idx))] };
}

/**
 * A parameter of a constructor a DI container builds (context-threading/boundary.ts containerBuilt:
 * a parameter decorator, or the class's decorator under emitDecoratorMetadata): the container
 * injects it by the metadata its signature records, so it can go but never be retyped.
 */
function injectedParameter(p: ParameterDeclaration): boolean {
  const fn = p.getParent();
  return Node.isConstructorDeclaration(fn) && containerBuilt(fn);
}

/**
 * An injected legacy service (`@inject(S) private s: S`) goes with its decorator; the container
 * asks for it no more, and each `new` of the class (every one a plain `new` with no spread, or
 * callersOf named the boundary) loses the argument at its place, in whichever file it is:
 * the file's own edit here, another file's through `an.removals` (analyze.ts plans that file
 * with it). An argument that may do more than build the legacy value is left to a person, as
 * retyping the parameter `unknown` cannot help: its decorator would still ask the container for it.
 */
function droppedInjected(an: Analyzer, p: ParameterDeclaration, idx: number, passed: ReadonlyArray<CallExpression | NewExpression>): { ranges: Array<{ start: number; end: number }> } | { why: string } {
  const sf = p.getSourceFile();
  for (const c of passed) {
    const arg = c.getArguments()[idx]!;
    if (!droppableArgument(an, arg)) return { why: `the argument \`${oneLineText(arg.getText())}\` at ${relativeAt(an, arg)} may do more than build it` };
  }
  const elsewhere = passed.find((c) => c.getSourceFile() !== sf && an.plannable?.(an.relative(c.getSourceFile())) !== true);
  if (elsewhere) return { why: `the call at ${relativeAt(an, elsewhere)} passes it, in a file this phase leaves untouched` };
  const ranges = [listItemRange((p.getParent() as ConstructorDeclaration).getParameters(), idx)];
  for (const c of passed) {
    const range = listItemRange(c.getArguments(), idx);
    if (c.getSourceFile() === sf) ranges.push(range);
    else an.removeIn(c.getSourceFile(), range);
  }
  return { ranges };
}

/** An argument whose evaluation builds the value and nothing else: pure, a legacy call, or a `new` of a class a legacy module declares. */
function droppableArgument(an: Analyzer, arg: Node): boolean {
  if (isPure(arg) || an.isLegacyCall(arg)) return true;
  if (!Node.isNewExpression(arg) || !isPure(arg.getExpression()) || !(arg.getArguments() ?? []).every((a) => droppableArgument(an, a))) return false;
  return an.isLegacyDeclaration(resolved(arg.getExpression().getSymbol())?.getDeclarations()[0]);
}

const oneLineText = (t: string): string => (t.length > 60 ? `${t.slice(0, 57)}...` : t).replace(/\s+/g, ' ');

function relativeAt(an: Analyzer, n: Node): string {
  return `${an.relative(n.getSourceFile())}:${n.getStartLineNumber()}`;
}

/** listItemRange over compiler nodes (a declaration of a `const a = …, b = …` list). */
function listItemTextRange(items: ts.NodeArray<ts.Node>, idx: number): { start: number; end: number } {
  const item = items[idx]!;
  if (idx > 0) return { start: items[idx - 1]!.end, end: item.end };
  const next = items[idx + 1];
  return { start: item.getStart(), end: next ? next.getStart() : item.end };
}

/** One item of a comma-separated list with its separating comma (the one before it, or the one after for the first). */
function listItemRange(items: readonly Node[], idx: number): { start: number; end: number } {
  const item = items[idx]!;
  if (idx > 0) return { start: items[idx - 1]!.getEnd(), end: item.getEnd() };
  const next = items[idx + 1];
  return { start: item.getStart(), end: next ? next.getStart() : item.getEnd() };
}

/** The canonical type replacing an adapter type: the legacy symbol map's name for the wrapped manager's type. */
function managerTypeOf(manifest: SsotManifest, a: AdapterSpec, at: Node): string | undefined {
  const project = at.getProject();
  for (const sf of project.getSourceFiles()) {
    const cls = sf.getClass(a.class);
    if (!cls) continue;
    const p = cls.getConstructors()[0]?.getParameters()[a.unwrapArg];
    const t = p?.getType();
    const name = (t?.getAliasSymbol() ?? t?.getSymbol())?.getName();
    if (!name) continue;
    for (const l of manifest.legacy) {
      const target = l.symbols[name];
      if (target !== undefined && manifest.canonical.exports.includes(target)) return target;
    }
  }
  return undefined;
}

/**
 * Imports: bindings whose every reference this phase replaced are removed (and nothing else);
 * canonical names the new code needs are merged into an existing import of the canonical module.
 */
function importEdits(file: string, text: string, replaced: readonly Edit[], values: ReadonlySet<string>, types: ReadonlySet<string>, manifest: SsotManifest, eol: string, callees: ReadonlyArray<{ start: number; end: number }> = [], reads: ReadonlySet<number> = new Set(), destructurings: ReadonlySet<number> = new Set()): Edit[] {
  const { sf } = parseSource(file, text);
  const scope = buildScopeIndex(sf);
  // a replaced instance read (`{ m }` → `m: hubOperations()`) keeps its name as a property key only
  const inCallee = (n: ts.Node): boolean => reads.has(n.getStart()) || callees.some((c) => n.getStart() >= c.start && n.end <= c.end);
  // a reference inside a replaced range survives when the replacement still names it (`new A(m)` → `m`)
  const namesOf = new Map<Edit, ReadonlySet<string>>();
  const stillNames = (e: Edit, name: string): boolean => {
    let names = namesOf.get(e);
    if (!names) namesOf.set(e, (names = referencedNames(e.text)));
    return names.has(name);
  };
  const edits: Edit[] = [];
  const inReplaced = (n: ts.Node): boolean => inCallee(n) || [...replaced, ...edits].some((e) => e.end > e.start && n.getStart() >= e.start && n.end <= e.end && !stillNames(e, n.getText()));
  const spec = manifest.canonical.module;
  let canonicalDecl: ts.ImportDeclaration | undefined;
  const removedNames = new Set<string>();
  // a reference inside the scope of a nested declaration of the name (a parameter) is not the import's
  const deadBinding = (id: ts.Identifier): boolean => {
    const refs = bindingReferences(id, scope.declared.get(id.text) ?? [], scope.references.get(id.text) ?? []);
    return refs.length > 0 && refs.every(inReplaced);
  };
  // members destructured from a legacy object (planFile's destructuredMembers) whose every call was
  // rewritten, or that nothing reads, leave the destructuring; with none left it goes, and its read
  // of the object with it (first: the object's import may go with that read)
  const unused = (id: ts.Identifier): boolean => bindingReferences(id, scope.declared.get(id.text) ?? [], scope.references.get(id.text) ?? []).length === 0;
  const trimmed = new Set<ts.Node>();
  const trim = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) && destructurings.has(n.getStart())) {
      trimmed.add(n);
      const els = n.name.elements;
      // a rest element's value depends on which members are named before it
      if (els.some((e) => e.dotDotDotToken !== undefined)) return;
      const dead = els.filter((e) => ts.isIdentifier(e.name) && e.initializer === undefined && (unused(e.name) || deadBinding(e.name)));
      const list = n.parent;
      if (!ts.isVariableDeclarationList(list)) return;
      const st = list.parent;
      if (dead.length === els.length && ts.isVariableStatement(st) && list.declarations.length === 1) {
        const r = lineRangeKeepingOneBlank(text, statementLineRange(text, st.getStart(), st.end));
        edits.push({ start: r.start, end: r.end, text: '' });
      } else if (dead.length === els.length) edits.push({ ...listItemTextRange(list.declarations, list.declarations.indexOf(n)), text: '' });
      else if (dead.length) edits.push(...removeElements(els as unknown as ts.NodeArray<ts.ImportSpecifier>, new Set(dead)));
      dead.forEach((e) => removedNames.add((e.name as ts.Identifier).text));
      return;
    }
    ts.forEachChild(n, trim);
  };
  if (destructurings.size) trim(sf);
  for (const st of sf.statements) {
    // `import mod = require('…')` whose every use this phase replaced goes, as a whole import does
    if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && deadBinding(st.name)) {
      const r = statementLineRange(text, st.getStart(), st.end);
      edits.push({ start: r.start, end: r.end, text: '' });
      removedNames.add(st.name.text);
      continue;
    }
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    if (st.moduleSpecifier.text === spec && !st.importClause?.isTypeOnly) canonicalDecl ??= st;
    else if (st.moduleSpecifier.text === spec) canonicalDecl ??= st;
    const clause = st.importClause;
    if (!clause) continue;
    const bindings: Array<{ node: ts.Node; name: string; id: ts.Identifier }> = [];
    if (clause.name) bindings.push({ node: clause.name, name: clause.name.text, id: clause.name });
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) bindings.push({ node: nb, name: nb.name.text, id: nb.name });
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) bindings.push({ node: el, name: el.name.text, id: el.name });
    const gone = bindings.filter((b) => deadBinding(b.id));
    if (gone.length === 0) continue;
    gone.forEach((b) => removedNames.add(b.name));
    if (gone.length === bindings.length) {
      const r = statementLineRange(text, st.getStart(), st.end);
      edits.push({ start: r.start, end: r.end, text: '' });
      if (st === canonicalDecl) canonicalDecl = undefined;
      continue;
    }
    if (nb && ts.isNamedImports(nb)) {
      const goneEls = new Set(gone.map((b) => b.node).filter((n) => ts.isImportSpecifier(n)));
      if (goneEls.size === nb.elements.length && clause.name) edits.push({ start: clause.name.end, end: nb.end, text: '' });
      else if (goneEls.size) edits.push(...removeElements(nb.elements, goneEls));
    }
    if (clause.name && gone.some((b) => b.node === clause.name)) edits.push({ start: clause.name.getStart(), end: nb ? nb.getStart() : clause.name.end, text: '' });
  }
  // the same for names destructured from `await import('…')` / `require('…')`
  const visit = (n: ts.Node): void => {
    const d = ts.isVariableStatement(n) && n.declarationList.declarations.length === 1 ? n.declarationList.declarations[0]! : undefined;
    // `const mod = require('…')` (the module object), or `const m = require('…').m` (one export), whose every use this phase replaced
    const loaded = (e: ts.Expression): boolean => moduleLoadOf(e) !== undefined || (ts.isPropertyAccessExpression(e) && moduleLoadOf(e.expression) !== undefined);
    if (d && ts.isIdentifier(d.name) && d.initializer && loaded(d.initializer) && !(n as ts.VariableStatement).modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && deadBinding(d.name)) {
      const r = lineRangeKeepingOneBlank(text, statementLineRange(text, n.getStart(), n.end));
      edits.push({ start: r.start, end: r.end, text: '' });
      removedNames.add(d.name.text);
      return;
    }
    const els = d && !trimmed.has(d) && ts.isObjectBindingPattern(d.name) && d.initializer && moduleLoadOf(d.initializer) ? d.name.elements : undefined;
    if (els?.every((e) => ts.isIdentifier(e.name) && !e.dotDotDotToken)) {
      const dead = els.filter((e) => deadBinding(e.name as ts.Identifier));
      if (dead.length === els.length) {
        const r = lineRangeKeepingOneBlank(text, statementLineRange(text, n.getStart(), n.end));
        edits.push({ start: r.start, end: r.end, text: '' });
      } else if (dead.length) edits.push(...removeElements(els as unknown as ts.NodeArray<ts.ImportSpecifier>, new Set(dead)));
      dead.forEach((e) => removedNames.add((e.name as ts.Identifier).text));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const needed: NamedSpec[] = [];
  // a local binding of the same canonical value (`const { f } = require(canonical)`) only shadows it
  const taken = (name: string): boolean => !removedNames.has(name) && (scope.declared.get(name) ?? []).some((id) => loadedFrom(id) !== spec);
  for (const v of values) {
    const [name, alias = name] = v.split(' as ') as [string, string?];
    if (!taken(alias) || importsFrom(sf, spec, alias)) needed.push({ name, alias, typeOnly: false });
  }
  for (const t of types) if (!values.has(t) && (!taken(t) || importsFrom(sf, spec, t))) needed.push({ name: t, alias: t, typeOnly: true });
  if (needed.length === 0) return edits;
  if (canonicalDecl) {
    const merged = mergeInto(canonicalDecl, needed, text, eol);
    if (merged) return [...edits, ...merged];
  }
  const { quote, semi } = sourcePunctuation(sf);
  // a CommonJS script gets a require(): an import statement would turn it into an ES module (no require, module or exports left)
  if (isCommonJsScript(sf.fileName, sf)) {
    const values = needed.filter((n) => !n.typeOnly).map((n) => (n.name === n.alias ? identifierText(n.name, 'canonical import') : `${identifierText(n.name, 'canonical import')} as ${identifierText(n.alias, 'canonical import alias')}`));
    return values.length ? [...edits, importInsertion(sf, requireLine(values, stringLiteral(spec, quote), semi), eol, edits)] : edits;
  }
  const allTypes = needed.every((n) => n.typeOnly);
  const list = needed
    .map((n) => (n.typeOnly && !allTypes ? 'type ' : '') + (n.name === n.alias ? identifierText(n.name, 'canonical import') : `${identifierText(n.name, 'canonical import')} as ${identifierText(n.alias, 'canonical import alias')}`))
    .join(', ');
  const line = `import ${allTypes ? 'type ' : ''}{ ${list} } from ${stringLiteral(spec, quote)}${semi}`;
  return [...edits, importInsertion(sf, line, eol, edits)];
}

/**
 * The local name for the canonical factory: its own name unless the file already binds that
 * name to something else that stays (a local declaration, or a legacy import still used).
 */
function canonicalBinding(file: string, text: string, name: string, spec: string, edits: readonly NodeEdit[]): string {
  const { sf } = parseSource(file, text);
  const scope = buildScopeIndex(sf);
  const replaced = (n: ts.Node): boolean => edits.some((e) => e.factory && n.getStart() >= e.start && n.end <= e.end);
  const clash = (scope.declared.get(name) ?? []).some((id) => {
    const p = id.parent;
    // a name destructured from `require('…')` / `await import('…')` is bound as an import is (it goes once unused)
    const loaded = loadedFrom(id);
    const isImport = ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p);
    if (loaded !== undefined) return loaded !== spec && (scope.references.get(name) ?? []).some((r) => !replaced(r));
    if (!isImport) return true;
    let decl: ts.Node = p;
    while (!ts.isImportDeclaration(decl)) decl = decl.parent;
    if (ts.isStringLiteral(decl.moduleSpecifier) && decl.moduleSpecifier.text === spec) return false;
    return (scope.references.get(name) ?? []).some((r) => !replaced(r));
  });
  if (!clash) return name;
  let alias = `canonical${name[0]!.toUpperCase()}${name.slice(1)}`;
  while (scope.declared.has(alias)) alias += '_';
  return alias;
}

/** A name destructured from `require('…')` / `await import('…')` (bound as an import is): that load's specifier. */
function loadedFrom(id: ts.Identifier): string | undefined {
  const p = id.parent;
  if (!ts.isBindingElement(p) || p.name !== id || !ts.isObjectBindingPattern(p.parent) || !ts.isVariableDeclaration(p.parent.parent) || !p.parent.parent.initializer) return undefined;
  return moduleLoadOf(p.parent.parent.initializer)?.text;
}

function importsFrom(sf: ts.SourceFile, spec: string, name: string): boolean {
  return sf.statements.some((s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === spec && s.importClause?.namedBindings !== undefined && ts.isNamedImports(s.importClause.namedBindings) && s.importClause.namedBindings.elements.some((e) => e.name.text === name));
}

/**
 * The statement a wiring call stands for: its own expression statement, or, when it is all a
 * listener does (`wss.on('connection', (ws, req) => m.handleConnection(ws, req))`), the
 * registration of that listener. Undefined when the call is part of something else.
 */
export type { NewExpression };
