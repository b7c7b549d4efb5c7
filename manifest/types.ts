/**
 * The one table that drives everything: `ssot.config.json` in the target repo.
 * Codemods, shim facades, the ratchet check and the reports all read this; nothing else
 * repeats a legacy name. The runtime validator (schema.ts) must produce exactly this shape.
 */

export interface CanonicalSpec {
  /**
   * A bare specifier (written verbatim into imports, e.g. "ssot-migrate/canonical") or a
   * repo-relative path without extension (written as a relative import from each file).
   */
  module: string;
  /** Names the canonical module exports (used to check rewritten imports resolve). */
  exports: string[];
  /**
   * The per-user context type the factory rewrite looks for in scope. Optional: required by the
   * phases that declare it (strangle; remove-adapters when `factory` is given), see codemods/phase.
   */
  contextType?: string;
  /** The canonical factory function name, e.g. "createWebSocketManager". Optional like `contextType`. */
  factory?: string;
}

export interface LegacyModule {
  /** Deprecation id, e.g. "WSM001". Unique across legacy modules and adapters. */
  id: string;
  /** Repo-relative path without extension, e.g. "src/websocket_core/unified_manager". */
  module: string;
  /** legacyName -> canonicalName, for every name this module exports that users import. */
  symbols: Record<string, string>;
  /** Human text naming the replacement, shown in warnings and strict-mode errors. */
  replacement?: string;
  /**
   * Keys of `symbols` that the module deliberately no longer exports (dangling imports the
   * rewrite heals). Every other key must be exported by the module (checked against the repo).
   */
  healed?: string[];
}

export interface AdapterSpec {
  id: string;
  /** Repo-relative module path without extension that declares the adapter class. */
  module: string;
  class: string;
  /** Index of the constructor argument that is the wrapped manager. */
  unwrapArg: number;
  /**
   * adapterMethod -> canonical call template. `$m` is the unwrapped manager expression,
   * `$1`..`$9` the call's arguments in order, e.g. "$m.emit('agent_started', { agentName: $1 })".
   */
  methods: Record<string, string>;
  /** The adapter instance's properties naming the user/thread/run it acts for. */
  scope?: AdapterScope;
}

/**
 * A legacy class (a manager, or any class whose instances legacy code calls) and, member by
 * member, the canonical code that serves it. The shim's canonical mode is generated from this
 * table (strangle), and the static rewrite reads the same table.
 */
export interface LegacyClassSpec {
  /** Repo-relative module path without extension that declares the class (aliases and re-exports follow it). */
  module: string;
  /**
   * The class, or an interface / type alias of the module (a contract values are typed with that
   * no described class implements): then remove-adapters rewrites its members on values typed by
   * it, strangle has no object to proxy, and no member may be left to legacy code.
   */
  class: string;
  /**
   * member -> canonical template (a TypeScript expression). Placeholders: `$1`..`$9` the call's
   * arguments; `$ctx` the user context bound to the object (shim) or found in scope (rewrite);
   * `$hub` the privileged hub operations (canonical `hubOperations`); `$user(x)` the canonical
   * per-user manager acting for user id `x`; `$run(x)` the manager of the run a context-shaped
   * value `x` names; `$legacy` the frozen legacy object behind this one; `$self` the whole binding.
   * A property (no call) is a template without `$n`. A key `field.member` (or a chain,
   * `field.get.send`) templates a use of a member of a field's value (`this.sockets.set(id, ws)`):
   * the template stands for the chain up to its last member, `$1`.. the chain's call arguments in
   * order; remove-adapters only (manifest/field-members.ts).
   */
  members: Record<string, string>;
  /** Members deliberately served by the frozen legacy code for now (on `$legacy`). */
  legacyMembers?: string[];
  /**
   * Members that register or unregister a connection. For an object manager and an exported
   * instance the shim runs them on both sides in every mode (the side that does not serve only
   * records the socket, never writes to it), so a runtime flip serves every connection. Absent:
   * the templated members whose template calls the hub's connect/disconnect (registrationMembers);
   * `[]` turns it off.
   */
  registration?: string[];
  /**
   * static -> canonical template, for a class the app uses through its statics
   * (`Clients.emitDataToUser(id, type, data)`, never `new`): the free-function template language,
   * `$1`..`$9` the call's arguments, `$hub`, `$user(x)`, `$run(x)`, `$ctx` (the context in scope at
   * the call site; `undefined` in the shim). A static has no receiver: `$m`, `$self` and `$legacy`
   * are refused. A static read without a call (a data property) is a template without `$n`.
   * remove-adapters rewrites each static call and read; strangle routes each static per mode.
   */
  statics?: Record<string, string>;
}

/**
 * A legacy module of free functions (no class: functions over module-level state, e.g.
 * `sendToUser(userId, msg)` over a `Map` of sockets) and, function by function, the canonical code
 * that serves each call. The module's legacy entry gives the deprecation id. strangle routes each
 * templated function through the shim (canonical: the template; legacy: the frozen function;
 * strict: throw; shadow), and remove-adapters rewrites every call to the same template.
 */
export interface LegacyFunctionsSpec {
  /** Repo-relative module path without extension exporting the functions (a `legacy` module). */
  module: string;
  /**
   * exported function -> canonical template (one TypeScript expression), the member-template
   * language without an object: `$1`..`$9` the call's arguments, `$hub` the privileged hub
   * operations, `$user(x)`, `$run(x)`, `$ctx` (the context in scope at the call site; `undefined` in
   * the shim). `$legacy` and `$self` are refused (a module has no object).
   */
  templates: Record<string, string>;
  /** Functions that register or unregister a connection, run on both sides in every mode (as `classes[].registration`). */
  registration?: string[];
}

/**
 * Where an adapter keeps the user/thread/run it acts for when that is not one context argument:
 * names of the adapter instance's properties (read after construction, so instances made by the
 * adapter's own static factories are covered too), e.g. `RunEventPusher`'s `userId`, `runId`, `threadId`.
 */
export interface AdapterScope {
  userId: string;
  threadId?: string;
  runId?: string;
}

export interface FactoryEntry {
  /** Repo-relative module path without extension. */
  module: string;
  /**
   * The legacy call, as "Name" for a function or "Class.method" for a static method,
   * e.g. "getWebSocketManager", "WebSocketManagerFactory.getInstance".
   */
  call: string;
}

export interface FactorySpec {
  id: string;
  entries: FactoryEntry[];
  /** The canonical replacement template, `$ctx` being the context found in scope. */
  replacement: string;
}

/**
 * A legacy manager constructed by the app itself (server wiring at boot: `new WebSocketManager(wss)`,
 * often stored on a module variable or a global), and what that construction becomes. remove-adapters
 * applies it: the construction is replaced by `replacement`, the `wiring` calls on the instance go, and
 * casts of the places it is stored in are retyped to `type`. While no entry covers a construction,
 * the values stored from it stay typed as the legacy class (and remove-shim stays refused).
 */
export interface ConstructionSpec {
  /** Repo-relative module (without extension) declaring the class; a legacy module. */
  module: string;
  /** The legacy class constructed with `new`. */
  class: string;
  /**
   * What `new Class(…)` becomes: one TypeScript expression. Placeholders: `$1`..`$9` the
   * constructor's arguments, `$hub` the canonical privileged hub operations. Canonical exports it
   * names (e.g. `createWebSocketServer`) are imported; other names must be in scope at the construction.
   */
  replacement: string;
  /**
   * Members called on the constructed instance that wired the legacy manager to the server (e.g.
   * `handleConnection` in `wss.on('connection', (ws, req) => m.handleConnection(ws, req))`) and that
   * the replacement does itself: each such call statement goes, and a listener it leaves empty goes
   * with its registration.
   */
  wiring?: string[];
  /**
   * The canonical export typing the replacement's value (e.g. `CanonicalWebSocketServer`): a cast
   * or annotation of the legacy class on the instance or a place it is stored in (a variable, a
   * property of `globalThis`) is retyped to it. Absent: such casts are left to a person (TODO).
   */
  type?: string;
  /**
   * What happens to the variable holding the instance and the places it is stored in:
   * `keep` (default) — they hold the replacement's value; `drop` — the variable and each statement
   * that only stores it (`global.m = m`) go, refused (TODO) while anything else still reads it.
   */
  instance?: 'keep' | 'drop';
}

/**
 * An instance a legacy module builds itself and exports (`export const wsManager =
 * WebSocketManager.getInstance()`), and what its users get instead. remove-adapters applies it:
 * member calls on the instance follow `classes[].members` as on any legacy-typed value, and every
 * other read of it outside legacy code (passed along, stored, `{ wsManager }`) becomes `replacement`;
 * the import then goes. Without an entry those reads keep the legacy module imported (remove-shim
 * refuses, naming them).
 */
export interface InstanceSpec {
  /** Repo-relative module (without extension) exporting the instance; a legacy module. */
  module: string;
  /** The exported name of the instance. */
  name: string;
  /**
   * What a read of the instance becomes: one TypeScript expression; `$hub` the canonical privileged
   * hub operations. Canonical exports it names are imported; other names must be in scope at each read.
   */
  replacement: string;
}

/**
 * An entry point's context: where a function has no context in scope but a value of a named type
 * (an HTTP request, a job payload), the context is built from that value. Context threading
 * stops there instead of adding a parameter to the function.
 */
export interface ContextSourceSpec {
  /** The value's type name, e.g. "Request" (interface, class or type alias). */
  type: string;
  /**
   * Where that type is declared: a repo-relative module path without extension, or a package
   * specifier (e.g. "express"). Absent: any declaration of that name.
   */
  module?: string;
  /** One expression building the context from the value, `$value` being it, e.g. "$value.ctx". */
  expression: string;
  /**
   * Names the expression calls and where they are exported (repo-relative module or package),
   * e.g. `[{ "name": "scopeFromRequest", "module": "src/services/request-scope" }]`: imported
   * into each file the expression is written to, unless the file binds the name already.
   */
  imports?: ContextSourceImport[];
}

export interface ContextSourceImport {
  name: string;
  module: string;
}

/**
 * Exports whose signatures must not change (a library's public API, what other services call):
 * context threading stops there and leaves the call site for a person.
 */
export interface PublicApiSpec {
  /** Repo-relative module path without extension. */
  module: string;
  /** The exported names; absent: every export of the module. */
  exports?: string[];
  /**
   * Public names that re-export a legacy value no rewrite can carry over (its canonical name is a
   * type only, or the public name is itself legacy), and what the module exports instead, a
   * breaking change for its consumers and so a person's decision: public name -> canonical
   * exports, each written `Name`, `type Name` or `Name as Public` (manifest/public-api.ts), e.g.
   * `{ "WebSocketManager": ["createWebSocketManager", "type ScopedWebSocketManager"] }`; `[]`
   * drops the name. Applied by rewrite-imports to the module's `export … from` a legacy module.
   */
  replacements?: Record<string, string[]>;
}

export interface DuplicateTypeSpec {
  name: string;
  /** Repo-relative module path without extension of the declaration that stays canonical. */
  canonicalModule: string;
}

/**
 * A declaration that is not legacy but lives in a legacy module, moved out before strangle
 * freezes the module (move-declarations): TypeScript's "Move to file".
 */
export interface MoveSpec {
  /** Repo-relative module path without extension that declares it now. */
  from: string;
  /** The top-level declaration's name. */
  name: string;
  /** Repo-relative module path without extension it moves to (created when missing). */
  to: string;
}

/**
 * A legacy class that is two things at once — the socket layer the canonical hub replaces, and
 * app state (a cache, a log, presence written to a database) — split by a person's decision:
 * move-declarations moves the class whole (decorators, constructor and name kept: it stays the
 * app's class, e.g. a DI provider whose class is its injection token) to `to`; remove-adapters
 * rewrites every use of its other members (on any value of the class, `this` in its kept members
 * included) through the `classes[]` entry's templates and then deletes those members. The
 * constructor always stays.
 */
export interface SplitSpec {
  /** Repo-relative module (without extension) declaring the class now; a legacy module. */
  module: string;
  /** The class; a `classes[]` entry of the same module describes its socket members. */
  class: string;
  /** Repo-relative module (without extension) the app class moves to (created when missing); not a legacy module. */
  to: string;
  /** The members (methods, properties, accessors) that stay app code; every other member goes at remove-adapters. */
  keep: string[];
}

/**
 * A file, or one top-level declaration of a file, the migration deletes (dead code a person
 * decided to drop: never compiled, only importing names that never existed, a function nobody
 * calls that hands out a legacy module): remove-shim deletes it with the shim, refusing while
 * code that stays still imports or references it. Until then no phase's gate counts its legacy
 * imports (those inside a declaration, and the imports only it uses, which go with it).
 */
export interface DeletionSpec {
  /** Repo-relative file path, with its extension. */
  path: string;
  /**
   * The name of one top-level declaration of the file (function with its overloads, class,
   * variable, type, interface, enum) to delete instead of the whole file; the imports only it
   * used go with it.
   */
  declaration?: string;
  /** Why it goes (recorded in remove-shim's commit). */
  reason: string;
}

export interface VerifySpec {
  /** Shell command run in the repo; its TypeScript error count must not grow. */
  typecheck: string;
  /** Shell command run in the repo; no test that passed before may fail after. */
  test: string;
  /** Optional JUnit XML path (repo-relative) the test command writes. */
  testReport?: string;
}

/**
 * A phase the target repo adds to the built-in ones: a jscodeshift transform module
 * (`(file, api, options) => string | undefined | null`) or a module exporting a function that
 * plans writes from the repo snapshot. It runs through the same runner (verified commit,
 * review, rollback). Names and positions are checked against the phase registry when the
 * repo is opened (codemods/phase).
 */
export interface CustomPhaseSpec {
  /** kebab-case, unique, not a built-in phase's name. */
  name: string;
  /** One line shown in status and help. */
  description?: string;
  kind: 'jscodeshift' | 'module';
  /** Repo-relative path of the module (.js, .mjs, .cjs, .ts, .mts, .cts). */
  path: string;
  /** Runs right after this phase (built-in or custom). Exactly one of after / before. */
  after?: string;
  /** Runs right before this phase. */
  before?: string;
  /** Passed to the transform as its options (jscodeshift's third argument). */
  options?: Record<string, unknown>;
  /** jscodeshift parser; default: the module's exported `parser`, else "tsx". */
  parser?: 'babel' | 'babylon' | 'flow' | 'ts' | 'tsx';
  /** Only files containing at least one of these strings are handed to the transform. */
  prefilter?: string[];
}

/**
 * What the migration does with comments that still name legacy code once the code no longer
 * does (remove-shim, after the last legacy import is gone). A person's decision: docs are never
 * edited silently.
 */
export interface CommentsSpec {
  /**
   * `report` (default): every mention (a legacy name, alias or module path in a JSDoc, line or
   * block comment) is listed, file:line, in remove-shim's commit and in `status`.
   * `rewrite`: a name the manifest maps is renamed to its canonical name; a sentence naming an
   * unmapped name, a legacy module or a URL into legacy code is dropped with the rest of its
   * paragraph (the whole comment when nothing is left); every edit is listed. Tool directives and license headers are never edited.
   */
  legacyMentions: 'report' | 'rewrite';
  /**
   * Phrases this repo's comments use for legacy code without naming it (e.g. "the legacy
   * factory", "the compat module"): matched case-insensitively as whole words and handled as a
   * mention of an unmapped name (reported; with `rewrite`, their sentence goes).
   */
  terms?: string[];
}

export interface SsotManifest {
  $schema?: string;
  canonical: CanonicalSpec;
  legacy: LegacyModule[];
  /** Adapter classes remove-adapters removes (default []). */
  adapters: AdapterSpec[];
  /** Legacy classes and their member templates (default []). */
  classes: LegacyClassSpec[];
  /** Legacy modules of free functions and their per-function templates (default []). */
  functions: LegacyFunctionsSpec[];
  factory?: FactorySpec;
  /** Legacy managers the app constructs itself (server wiring at boot) and what each construction becomes (remove-adapters). */
  constructions?: ConstructionSpec[];
  /** Instances legacy modules export and what their users get instead (remove-adapters). */
  instances?: InstanceSpec[];
  /** Where entry points get their context from (context threading; default []). */
  contextSources: ContextSourceSpec[];
  /** Exports whose signatures context threading must not change (default []). */
  publicApi: PublicApiSpec[];
  /** Types declared more than once, for consolidate-types (default []). */
  duplicateTypes: DuplicateTypeSpec[];
  /** Declarations moved out of legacy modules, for move-declarations (default []). */
  moves: MoveSpec[];
  /** Legacy classes split into the app class that stays and the socket members the hub replaces (default []). */
  splits: SplitSpec[];
  /** Files and top-level declarations the migration deletes, each with its reason, for remove-shim (default []). */
  deletions: DeletionSpec[];
  /**
   * Which phases this migration uses (built-in and custom names), in run order. Absent: every
   * built-in phase plus every custom phase, in the registry's order (codemods/phase).
   */
  phases?: string[];
  /** Phases the repo adds (jscodeshift transforms or modules), each at a position. */
  customPhases: CustomPhaseSpec[];
  /** The policy for legacy mentions in comments (default `{ "legacyMentions": "report" }`). */
  comments: CommentsSpec;
  verify: VerifySpec;
  /** Glob patterns (repo-relative) of files to leave alone, on top of .gitignore. */
  exclude: string[];
  /** Repo-relative tsconfig used for path aliases and type-aware phases. Default "tsconfig.json". */
  tsconfig: string;
}
