/**
 * Runtime validator for ssot.config.json. Its output type is exactly `SsotManifest`
 * (checked at compile time at the bottom of this file); ssot.schema.json is generated
 * from it (manifest/write-schema.ts), so the editor schema and the loader agree.
 */
import type { z as Zod } from 'zod';
import { expressionProblem } from './expression.js';
import { MEMBER_KEY, isFieldMemberKey, memberKey } from './field-members.js';
import { parsePublicReplacement } from './public-api.js';
import { HUB_EXPORT, usesHub } from './templates.js';
import type { SsotManifest } from './types.js';
import { z } from './zod.js';

const ID_PATTERN = /^[A-Z]+\d{3}$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Anything that looks like a template placeholder ($1..$9, $m, $ctx, $10…). */
const PLACEHOLDER_LIKE = /\$(?:\d|m\b|ctx\b)/;
const SOURCE_EXTENSION = /\.(?:d\.ts|[cm]?[jt]sx?)$/;

/** Where each key was first listed: duplicate checks report the earlier index of an entry listed twice. */
class FirstIndex {
  private readonly first = new Map<string, number>();
  /** Records `key` at `index` unless it was listed before; returns the earlier index, or undefined the first time. */
  claim(key: string, index: number): number | undefined {
    const earlier = this.first.get(key);
    if (earlier === undefined) this.first.set(key, index);
    return earlier;
  }
  has(key: string): boolean {
    return this.first.has(key);
  }
  get(key: string): number | undefined {
    return this.first.get(key);
  }
}

/** Why `value` is not a repo-relative path, or undefined when it is one. */
function relativePathProblem(value: string): string | undefined {
  if (value === '') return 'expected a non-empty repo-relative path';
  if (/\s/.test(value)) return `expected a path without whitespace, got "${value}"`;
  if (value.includes('\\')) return `expected "/" separators, got "${value}"`;
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value)) return `expected a repo-relative path, got the absolute path "${value}"`;
  if (value.startsWith('./')) return `expected a path without a leading "./" (write "${value.slice(2)}")`;
  const segments = value.split('/');
  if (segments.some((s) => s === '..')) return `expected a path inside the repo, got "${value}" (contains "..")`;
  if (segments.some((s) => s === '' || s === '.')) return `expected a normalized path, got "${value}"`;
  if (value.includes('$')) return `expected a path without "$" (placeholders belong in templates only), got "${value}"`;
  return undefined;
}

/**
 * What a module path or specifier may hold: it is written into import statements, so only the
 * characters of package names, subpaths and file names (letters and digits of any script, and
 * @ . _ - / + ~ # :) — never a quote, ";", a bracket, whitespace or a control character.
 */
const SPECIFIER_CHARS = /^[\p{L}\p{N}@._\-/+~#:]+$/u;

function modulePathProblem(value: string): string | undefined {
  const bad = [...value].find((c) => !SPECIFIER_CHARS.test(c));
  if (bad !== undefined && value !== '') {
    const shown = /[\p{Cc}\s]/u.test(bad) ? `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(bad);
    return `expected a module path or specifier (letters, digits and @ . _ - / + ~ # :), got ${JSON.stringify(value)} with ${shown}; a manifest value is never written into code unless it is one`;
  }
  const problem = relativePathProblem(value);
  if (problem) return problem;
  if (SOURCE_EXTENSION.test(value)) {
    return `expected a module path without extension (write "${value.replace(SOURCE_EXTENSION, '')}")`;
  }
  return undefined;
}

const modulePath = z
  .string()
  .superRefine((value, ctx) => {
    const problem = modulePathProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ pattern: '^(?!\\.\\.?/)(?![/])(?!.*(?:^|/)\\.\\.?(?:/|$))(?!.*\\.(?:d\\.ts|[cm]?[jt]sx?)$)[^\\s\\\\$\'"`;(){}\\[\\]<>|*?!=,&^%]+$' });

const repoFile = z
  .string()
  .superRefine((value, ctx) => {
    const problem = relativePathProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ pattern: '^(?!\\.\\.?/)(?![/])(?!.*(?:^|/)\\.\\.?(?:/|$))[^\\s\\\\$]+$' });

const identifier = z
  .string()
  .regex(IDENTIFIER, { message: 'expected a JavaScript identifier' })
  .refine((v) => !PLACEHOLDER_LIKE.test(v), { message: 'placeholders ($m, $1..$9, $ctx) are only allowed in templates' });

/** An export name: an identifier, or "default" for a module's default export. */
const exportName = identifier;

const deprecationId = z
  .string()
  .regex(ID_PATTERN, { message: 'expected an id like "WSM001" (capital letters, then exactly three digits)' });

/** Checks the placeholders a template uses against the ones its context allows. */
function templateSchema(allowed: readonly string[], what: string) {
  return z
    .string()
    .min(1, { message: `expected a non-empty ${what}` })
    .superRefine((value, ctx) => {
      for (const match of value.matchAll(/\$(?!\{)([A-Za-z_]\w*|\d+)/g)) {
        const name = match[1] ?? '';
        const ok = /^\d+$/.test(name) ? /^[1-9]$/.test(name) && allowed.includes('$n') : allowed.includes(`$${name}`);
        if (!ok) {
          const list = allowed.map((a) => (a === '$n' ? '$1..$9' : a)).join(', ');
          ctx.addIssue({ code: 'custom', message: `unknown placeholder "$${name}" in ${what}; allowed: ${list}` });
        }
      }
      // written into generated code: exactly one expression, never statements
      const problem = value.trim() === '' ? undefined : expressionProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `${what}: ${problem}` });
    });
}

export const canonicalSpecSchema = z.strictObject({
  module: modulePath.describe('Bare specifier (written verbatim) or repo-relative path without extension'),
  exports: z.array(identifier).min(1, { message: 'expected at least one canonical export' }),
  contextType: identifier.optional().describe('The per-user context type the factory rewrite looks for in scope (required by strangle, and by remove-adapters when "factory" is given)'),
  factory: identifier.optional().describe('The canonical factory function name (required by strangle, and by remove-adapters when "factory" is given)'),
});

export const legacyModuleSchema = z.strictObject({
  id: deprecationId,
  module: modulePath,
  symbols: z.record(exportName, identifier).describe('legacyName -> canonicalName'),
  replacement: z.string().min(1).optional(),
  healed: z.array(exportName).optional().describe('keys of symbols the module deliberately no longer exports (dangling imports the rewrite heals)'),
});

export const adapterScopeSchema = z.strictObject({
  userId: identifier.describe('adapter instance property holding the user id'),
  threadId: identifier.optional(),
  runId: identifier.optional(),
});

export const adapterSpecSchema = z.strictObject({
  id: deprecationId,
  module: modulePath,
  class: identifier,
  unwrapArg: z.int().min(0, { message: 'expected a constructor argument index (0 or more)' }),
  methods: z.record(identifier, templateSchema(['$m', '$n'], 'adapter method template')),
  scope: adapterScopeSchema.optional(),
});

/** Placeholders a static's template may use: a free function's (a static has no receiver: no `$m`, `$self`, `$legacy`). */
export const STATIC_TEMPLATE_PLACEHOLDERS = ['$n', '$ctx', '$hub', '$user', '$run'] as const;

function staticTemplate() {
  return templateSchema(STATIC_TEMPLATE_PLACEHOLDERS, 'static template').superRefine((value, ctx) => {
    for (const m of value.matchAll(/\$(user|run)\b(?!\s*\()/g)) ctx.addIssue({ code: 'custom', message: `"$${m[1]}" is written as a call: $${m[1]}(<expression>)` });
    // the receiver placeholders are unknown here already; say why, since they are valid in members
    if (/\$(m|self|legacy)\b/.test(value)) ctx.addIssue({ code: 'custom', message: 'a static has no receiver: $m, $self and $legacy are member placeholders (write the static\'s canonical code with $hub, $user(x), $run(x), $ctx and $1..$9)' });
  });
}

/** Placeholders a class member template may use (`$user(…)`, `$run(…)` are written as calls). */
export const CLASS_TEMPLATE_PLACEHOLDERS = ['$n', '$ctx', '$hub', '$user', '$run', '$legacy', '$self', '$m'] as const;

/**
 * A `classes[].members` key: a member, or `field.member` / `field.get.send` for a use of a member of
 * a field (manifest/field-members.ts).
 */
const memberKeySchema = z
  .string()
  .regex(MEMBER_KEY, { message: 'expected a member name, or "field.member" (a chain of identifiers joined by ".")' })
  .refine((v) => !PLACEHOLDER_LIKE.test(v), { message: 'placeholders ($m, $1..$9, $ctx) are only allowed in templates' });

/** A `functions[].templates` / `classes[].statics` key: a name, or `lookup.send` for a use of what its call returns (manifest/field-members.ts). */
function chainKeySchema(what: string) {
  return z
    .string()
    .regex(MEMBER_KEY, { message: `expected ${what}, or "name.member" (a chain on what its call returns: identifiers joined by ".")` })
    .refine((v) => !PLACEHOLDER_LIKE.test(v), { message: 'placeholders ($m, $1..$9, $ctx) are only allowed in templates' });
}

export const legacyClassSchema = z.strictObject({
  module: modulePath,
  class: identifier.describe('the class, or an interface / type alias of the module (no legacyMembers, $legacy or $self then)'),
  members: z
    .record(
      memberKeySchema,
      templateSchema(CLASS_TEMPLATE_PLACEHOLDERS, 'member template').superRefine((value, ctx) => {
        for (const m of value.matchAll(/\$(user|run)\b(?!\s*\()/g)) ctx.addIssue({ code: 'custom', message: `"$${m[1]}" is written as a call: $${m[1]}(<expression>)` });
      }),
    )
    .describe('member -> canonical template; "field.member" (or a chain "field.get.send") templates a use of a member of a field, $1.. the chain\'s call arguments in order'),
  legacyMembers: z.array(identifier).optional().describe('members deliberately served by the frozen legacy code'),
  registration: z
    .array(identifier)
    .optional()
    .describe('members that register or unregister a connection, run on both sides in every mode so a runtime flip serves every connection (object managers and exported instances); absent: the templated members calling the hub\'s connect/disconnect; [] turns it off'),
  statics: z
    .record(chainKeySchema('a static name'), staticTemplate())
    .optional()
    .describe('static -> canonical template, for a class used through its statics ($1..$9 the call arguments, $hub, $user(x), $run(x), $ctx; no receiver: no $m, $self, $legacy); "lookup.send" templates a use of what the static returns, $1.. the chain\'s call arguments in order'),
});

/** Placeholders a free-function template may use: a member template's, less the object's own (`$legacy`, `$self`). */
export const FUNCTION_TEMPLATE_PLACEHOLDERS = ['$n', '$ctx', '$hub', '$user', '$run'] as const;

export const legacyFunctionsSchema = z.strictObject({
  module: modulePath.describe('the legacy module (listed under "legacy") exporting the functions'),
  templates: z
    .record(
      chainKeySchema('an exported function name'),
      templateSchema(FUNCTION_TEMPLATE_PLACEHOLDERS, 'function template').superRefine((value, ctx) => {
        for (const m of value.matchAll(/\$(user|run)\b(?!\s*\()/g)) ctx.addIssue({ code: 'custom', message: `"$${m[1]}" is written as a call: $${m[1]}(<expression>)` });
      }),
    )
    .describe('exported function -> canonical template ($1..$9 the call arguments, $hub, $user(x), $run(x), $ctx); "lookup.send" (a chain) templates a use of what the function returns, $1.. the chain\'s call arguments in order'),
  registration: z
    .array(identifier)
    .optional()
    .describe('functions that register or unregister a connection, run on both sides in every mode so a runtime flip serves every connection; absent: the templated functions calling the hub\'s connect/disconnect; [] turns it off'),
});

export const factoryEntrySchema = z.strictObject({
  module: modulePath,
  call: z
    .string()
    .regex(/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?$/, { message: 'expected "name" or "Class.method"' })
    .refine((v) => !PLACEHOLDER_LIKE.test(v), { message: 'placeholders ($m, $1..$9, $ctx) are only allowed in templates' }),
});

export const factorySpecSchema = z.strictObject({
  id: deprecationId,
  entries: z.array(factoryEntrySchema).min(1, { message: 'expected at least one factory entry' }),
  replacement: templateSchema(['$ctx', '$n'], 'factory replacement template'),
});

export const constructionSpecSchema = z.strictObject({
  module: modulePath.describe('the legacy module declaring the class'),
  class: identifier.describe('the legacy class the app constructs with new (server wiring at boot)'),
  replacement: templateSchema(['$n', '$hub'], 'construction replacement template').describe('what `new Class(...)` becomes: one expression; $1..$9 the constructor arguments, $hub the privileged hub operations; canonical exports it names are imported'),
  wiring: z.array(identifier).optional().describe('members called on the instance that wired it to the server and that the replacement does itself: their call statements go (with a listener left empty)'),
  type: identifier.optional().describe('the canonical export typing the replacement value: casts of the stored instance are retyped to it'),
  instance: z.enum(['keep', 'drop']).optional().describe('keep (default): the variable and its stores hold the replacement; drop: they go (refused while anything else reads it)'),
});

export const instanceSpecSchema = z.strictObject({
  module: modulePath.describe('the legacy module exporting the instance'),
  name: identifier.describe('the exported name of the instance (e.g. `export const wsManager = Manager.getInstance()`)'),
  replacement: templateSchema(['$hub'], 'instance replacement template').describe('what a read of the instance outside legacy code becomes (member calls follow classes[]): one expression; $hub the privileged hub operations; canonical exports it names are imported'),
});

export const contextSourceSchema = z.strictObject({
  type: identifier.describe('the type name of a value in scope the context is built from, e.g. "Request"'),
  module: modulePath.optional().describe('repo-relative module (no extension) or package specifier declaring the type; absent: any declaration of that name'),
  expression: templateSchema(['$value'], 'context source expression').describe('one expression building the context from the value, e.g. "$value.ctx"'),
  imports: z
    .array(z.strictObject({ name: identifier, module: modulePath }))
    .optional()
    .describe('names the expression calls and the module (repo-relative or package) exporting each; imported where the expression is written'),
});

export const publicApiSchema = z.strictObject({
  module: modulePath,
  exports: z.array(exportName).min(1, { message: 'expected at least one export (leave "exports" out for every export of the module)' }).optional().describe('exported names whose signatures must not change; absent: every export'),
  replacements: z
    .record(
      identifier,
      z.array(
        z.string().refine((v) => parsePublicReplacement(v) !== undefined, { message: 'expected "Name", "type Name" or "Name as Public" (a canonical export, and the name this module exports it as)' }),
      ),
    )
    .optional()
    .describe('public name re-exporting a legacy value -> what the module exports instead (canonical exports: "Name", "type Name", "Name as Public"; [] drops it): a breaking change a person decides'),
});

export const duplicateTypeSpecSchema = z.strictObject({
  name: identifier,
  canonicalModule: modulePath,
});

export const moveSpecSchema = z.strictObject({
  from: modulePath,
  name: identifier,
  to: modulePath,
});

export const splitSpecSchema = z.strictObject({
  module: modulePath.describe('the legacy module declaring the class (listed under "legacy", described by a classes[] entry)'),
  class: identifier.describe('the class to split: it moves whole to "to" and keeps its name (a DI provider stays its own injection token)'),
  to: modulePath.describe('repo-relative module (no extension) the app class moves to; created when missing; not a legacy module'),
  keep: z
    .array(identifier.refine((v) => v !== 'constructor', { message: 'the constructor always stays (its parameters are what a DI container injects); leave it out of keep' }))
    .min(1, { message: 'expected at least one member that stays app code (with none, describe the class in classes[] and its construction in constructions[] instead)' })
    .describe('members (methods, properties, accessors) that stay app code in the moved class; every other member is rewritten through classes[].members at remove-adapters and then deleted'),
});

export const deletionSpecSchema = z.strictObject({
  path: repoFile.describe('repo-relative file path (with its extension) the migration deletes, or that declares the declaration it deletes'),
  declaration: identifier.optional().describe('one top-level declaration of the file to delete instead of the whole file (with the imports only it uses)'),
  reason: z.string().trim().min(1, { message: 'expected a reason: why does this file go?' }).describe('why it goes; recorded in the remove-shim commit'),
});

export const commentsSpecSchema = z.strictObject({
  legacyMentions: z
    .enum(['report', 'rewrite'], { message: 'expected "report" (list every mention of legacy code in comments) or "rewrite" (rename mapped names, drop a sentence naming the rest with the rest of its paragraph)' })
    .default('report')
    .describe('legacy names and module paths in comments once the code is migrated: "report" lists them (remove-shim commit, status); "rewrite" renames mapped names and drops the sentences naming the rest, with the rest of their paragraph'),
  terms: z
    .array(z.string().trim().min(2, { message: 'expected a phrase of at least two characters' }).regex(/^[^\n]*\w[^\n]*$/, { message: 'expected a one-line phrase with a letter or digit' }))
    .optional()
    .describe('phrases the comments use for legacy code without naming it (e.g. "the legacy factory"), matched case-insensitively as whole words, handled as mentions of an unmapped name'),
});

export const verifySpecSchema = z.strictObject({
  typecheck: z.string().trim().min(1, { message: 'expected a shell command' }),
  test: z.string().trim().min(1, { message: 'expected a shell command' }),
  testReport: repoFile.optional(),
});

/** Phase names are kebab-case; which names exist is the phase registry's business (codemods/phase). */
const PHASE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const phaseName = z.string().regex(PHASE_NAME, { message: 'expected a kebab-case phase name such as "rewrite-imports"' });
const MODULE_FILE = /\.(?:[cm]?js|[cm]?ts)$/;

export const customPhaseSpecSchema = z
  .strictObject({
    name: phaseName,
    description: z.string().min(1).optional(),
    kind: z.enum(['jscodeshift', 'module']),
    path: repoFile.refine((p) => MODULE_FILE.test(p), { message: 'expected a .js, .mjs, .cjs, .ts, .mts or .cts module' }),
    after: phaseName.optional(),
    before: phaseName.optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    parser: z.enum(['babel', 'babylon', 'flow', 'ts', 'tsx']).optional(),
    prefilter: z.array(z.string().min(1, { message: 'expected a non-empty string' })).min(1).optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.after === undefined) === (c.before === undefined)) ctx.addIssue({ code: 'custom', path: ['after'], message: 'give exactly one of "after" or "before" (the phase it runs next to)' });
    if (c.after === c.name || c.before === c.name) ctx.addIssue({ code: 'custom', path: [c.after === c.name ? 'after' : 'before'], message: 'a phase cannot be placed next to itself' });
    if (c.parser !== undefined && c.kind !== 'jscodeshift') ctx.addIssue({ code: 'custom', path: ['parser'], message: 'only a jscodeshift phase takes a parser' });
  });

export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    canonical: canonicalSpecSchema,
    legacy: z.array(legacyModuleSchema),
    adapters: z.array(adapterSpecSchema).default(() => []),
    classes: z.array(legacyClassSchema).default(() => []),
    functions: z.array(legacyFunctionsSchema).default(() => []),
    factory: factorySpecSchema.optional(),
    constructions: z.array(constructionSpecSchema).optional(),
    instances: z.array(instanceSpecSchema).optional(),
    contextSources: z.array(contextSourceSchema).default(() => []),
    publicApi: z.array(publicApiSchema).default(() => []),
    duplicateTypes: z.array(duplicateTypeSpecSchema).default(() => []),
    moves: z.array(moveSpecSchema).default(() => []),
    splits: z.array(splitSpecSchema).default(() => []),
    deletions: z.array(deletionSpecSchema).default(() => []),
    phases: z.array(phaseName).min(1, { message: 'expected at least one phase' }).optional(),
    customPhases: z.array(customPhaseSpecSchema).default(() => []),
    comments: commentsSpecSchema.default(() => ({ legacyMentions: 'report' as const })),
    verify: verifySpecSchema,
    exclude: z.array(z.string().min(1, { message: 'expected a non-empty glob' })).default(() => []),
    tsconfig: repoFile.default('tsconfig.json'),
  })
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

    // Deprecation ids are unique across legacy modules, adapters and the factory.
    const seenIds = new Map<string, string>();
    const claimId = (id: string, path: (string | number)[]) => {
      const where = formatPath(path);
      const first = seenIds.get(id);
      if (first) issue(path, `duplicate id "${id}" (already used at ${first})`);
      else seenIds.set(id, where);
    };
    m.legacy.forEach((l, i) => claimId(l.id, ['legacy', i, 'id']));
    m.adapters.forEach((a, i) => claimId(a.id, ['adapters', i, 'id']));
    if (m.factory) claimId(m.factory.id, ['factory', 'id']);

    const exportsSet = new Set<string>();
    m.canonical.exports.forEach((name, i) => {
      if (exportsSet.has(name)) issue(['canonical', 'exports', i], `duplicate export "${name}"`);
      exportsSet.add(name);
    });
    if (m.canonical.factory !== undefined && !exportsSet.has(m.canonical.factory)) {
      issue(['canonical', 'factory'], `"${m.canonical.factory}" is not listed in canonical.exports`);
    }

    const seenModules = new FirstIndex();
    m.legacy.forEach((l, i) => {
      const first = seenModules.claim(l.module, i);
      if (first !== undefined) issue(['legacy', i, 'module'], `module "${l.module}" is already declared at legacy[${first}]`);
      for (const [legacyName, canonicalName] of Object.entries(l.symbols)) {
        if (!exportsSet.has(canonicalName)) {
          issue(['legacy', i, 'symbols', legacyName], `"${canonicalName}" is not listed in canonical.exports`);
        }
      }
      l.healed?.forEach((name, j) => {
        if (!Object.hasOwn(l.symbols, name)) issue(['legacy', i, 'healed', j], `"${name}" is not a key of legacy[${i}].symbols (healed names are symbols the module no longer exports)`);
      });
    });

    const seenClasses = new FirstIndex();
    m.classes.forEach((c, i) => {
      const key = `${c.module}#${c.class}`;
      const first = seenClasses.claim(key, i);
      if (first !== undefined) issue(['classes', i, 'class'], `class "${c.class}" of "${c.module}" is already described at classes[${first}]`);
      if (!seenModules.has(c.module) && !m.adapters.some((a) => a.module === c.module)) {
        issue(['classes', i, 'module'], `"${c.module}" is not a legacy module (list it under "legacy" first)`);
      }
      for (const [key, template] of Object.entries(c.members)) {
        if (!isFieldMemberKey(key)) continue;
        const { field } = memberKey(key);
        // a field's member is rewritten at the call site only: the shim serves the field whole (or from legacy code), the receiver is the field's value
        const only = /\$(legacy|self|m)\b/.exec(template);
        if (only) issue(['classes', i, 'members', key], `a chain template (on ${field}: a member of a field, or of what a lookup returns) is written at each use by remove-adapters: $${only[1]} is not available there (use $hub, $user(x), $run(x), $ctx and $1..$9, the chain's call arguments in order)`);
        if (c.legacyMembers?.includes(field)) issue(['classes', i, 'members', key], `"${field}" is listed at classes[${i}].legacyMembers (served by legacy code) and its members are templated here; choose one`);
      }
      (c.registration ?? []).forEach((name, j) => {
        // the other side of a registration is its template: a member with none has only one side
        if (!Object.hasOwn(c.members, name) || c.legacyMembers?.includes(name)) issue(['classes', i, 'registration', j], `"${name}" has no template in classes[${i}].members (or is served by legacy code, legacyMembers): a registration runs the member on both sides, so it needs a template`);
      });
      (c.legacyMembers ?? []).forEach((name, j) => {
        // both: the shim serves it from legacy code, the static rewrite (which knows the context in scope) writes the template; one that itself needs the legacy object serves neither
        if (Object.hasOwn(c.members, name) && /\$(legacy|self)\b/.test(c.members[name]!)) issue(['classes', i, 'legacyMembers', j], `"${name}" is listed as served by legacy code and its template in members uses $legacy or $self, which only the shim has; choose one`);
      });
    });

    const seenFunctionModules = new FirstIndex();
    m.functions.forEach((f, i) => {
      const first = seenFunctionModules.claim(f.module, i);
      if (first !== undefined) issue(['functions', i, 'module'], `module "${f.module}" is already described at functions[${first}] (one entry per module)`);
      if (!seenModules.has(f.module)) issue(['functions', i, 'module'], `"${f.module}" is not a legacy module (list it under "legacy" first: its id is the functions' deprecation id)`);
      (f.registration ?? []).forEach((name, j) => {
        if (!Object.hasOwn(f.templates, name)) issue(['functions', i, 'registration', j], `"${name}" has no template in functions[${i}].templates: a registration runs the function on both sides, so it needs a template`);
      });
      const symbols = m.legacy.find((l) => l.module === f.module)?.symbols ?? {};
      for (const key of Object.keys(f.templates)) {
        // one name, one decision: renamed to a canonical export (symbols), or expanded at each call (templates, plain or chains on its result)
        const name = memberKey(key).field;
        if (Object.hasOwn(symbols, name)) issue(['functions', i, 'templates', key], `"${name}" is also mapped in legacy[${seenModules.get(f.module)}].symbols; a function is either renamed to a canonical export (symbols) or expanded at each call (templates): choose one`);
      }
    });

    const seenConstructions = new FirstIndex();
    m.constructions?.forEach((c, i) => {
      const key = `${c.module}#${c.class}`;
      const first = seenConstructions.claim(key, i);
      if (first !== undefined) issue(['constructions', i, 'class'], `the construction of "${c.class}" of "${c.module}" is already described at constructions[${first}]`);
      if (!seenModules.has(c.module)) issue(['constructions', i, 'module'], `"${c.module}" is not a legacy module (list it under "legacy" first)`);
      if (c.type !== undefined && !exportsSet.has(c.type)) issue(['constructions', i, 'type'], `"${c.type}" is not listed in canonical.exports (the type of the replacement's value is a canonical export)`);
      if (c.instance === 'drop' && c.type !== undefined) issue(['constructions', i, 'type'], 'a dropped instance is stored nowhere: nothing to retype (leave type out, or keep the instance)');
      const wiring = new Set<string>();
      c.wiring?.forEach((w, j) => {
        if (wiring.has(w)) issue(['constructions', i, 'wiring', j], `"${w}" is listed twice`);
        wiring.add(w);
      });
    });

    const seenInstances = new FirstIndex();
    m.instances?.forEach((x, i) => {
      const key = `${x.module}#${x.name}`;
      const first = seenInstances.claim(key, i);
      if (first !== undefined) issue(['instances', i, 'name'], `the instance "${x.name}" of "${x.module}" is already described at instances[${first}]`);
      if (!seenModules.has(x.module)) issue(['instances', i, 'module'], `"${x.module}" is not a legacy module (list it under "legacy" first)`);
    });

    // a phase writes `$hub` as an import of the canonical hub operations: unlisted, that import is one discover
    // calls dangling (it counts against compliance) although the canonical module exports it
    if (!exportsSet.has(HUB_EXPORT)) {
      const missing = `uses $hub, which a phase imports as "${HUB_EXPORT}" from canonical.module: list "${HUB_EXPORT}" in canonical.exports`;
      m.classes.forEach((c, i) => {
        for (const [name, template] of Object.entries(c.members)) if (usesHub(template)) issue(['classes', i, 'members', name], missing);
        for (const [name, template] of Object.entries(c.statics ?? {})) if (usesHub(template)) issue(['classes', i, 'statics', name], missing);
      });
      m.functions.forEach((f, i) => {
        for (const [name, template] of Object.entries(f.templates)) if (usesHub(template)) issue(['functions', i, 'templates', name], missing);
      });
      m.constructions?.forEach((c, i) => {
        if (usesHub(c.replacement)) issue(['constructions', i, 'replacement'], missing);
      });
      m.instances?.forEach((x, i) => {
        if (usesHub(x.replacement)) issue(['instances', i, 'replacement'], missing);
      });
    }

    const seenTypes = new Set<string>();
    m.duplicateTypes.forEach((d, i) => {
      if (seenTypes.has(d.name)) issue(['duplicateTypes', i, 'name'], `duplicate type "${d.name}"`);
      seenTypes.add(d.name);
    });

    const seenMoves = new FirstIndex();
    m.moves.forEach((mv, i) => {
      const key = `${mv.from}#${mv.name}`;
      const first = seenMoves.claim(key, i);
      if (first !== undefined) issue(['moves', i, 'name'], `${mv.name} of "${mv.from}" is already moved at moves[${first}]`);
      if (mv.from === mv.to) issue(['moves', i, 'to'], 'a declaration cannot move to the module it is in');
    });

    const seenSplits = new FirstIndex();
    m.splits.forEach((sp, i) => {
      const key = `${sp.module}#${sp.class}`;
      const first = seenSplits.claim(key, i);
      if (first !== undefined) issue(['splits', i, 'class'], `class "${sp.class}" of "${sp.module}" is already split at splits[${first}]`);
      if (!seenModules.has(sp.module)) issue(['splits', i, 'module'], `"${sp.module}" is not a legacy module (list it under "legacy" first)`);
      if (seenModules.has(sp.to)) issue(['splits', i, 'to'], `"${sp.to}" is a legacy module; the app class moves to a module that stays`);
      if (sp.to === sp.module) issue(['splits', i, 'to'], 'the app class cannot move to the module it is in');
      const described = m.classes.findIndex((c) => c.module === sp.module && c.class === sp.class);
      if (described < 0) issue(['splits', i, 'class'], `no classes[] entry describes "${sp.class}" of "${sp.module}": its members that do not stay need their templates there`);
      const kept = new Set<string>();
      sp.keep.forEach((name, j) => {
        if (kept.has(name)) issue(['splits', i, 'keep', j], `"${name}" is listed twice`);
        kept.add(name);
        const c = described < 0 ? undefined : m.classes[described]!;
        if (c && Object.hasOwn(c.members, name)) issue(['splits', i, 'keep', j], `"${name}" is kept here and templated at classes[${described}].members.${name}; a member either stays app code or is rewritten: choose one`);
        const perMember = c === undefined ? undefined : Object.keys(c.members).find((k) => isFieldMemberKey(k) && memberKey(k).field === name);
        if (perMember !== undefined) issue(['splits', i, 'keep', j], `"${name}" is kept here and its members are templated at classes[${described}].members["${perMember}"]; a field either stays app code or is rewritten: choose one`);
        if (c?.legacyMembers?.includes(name)) issue(['splits', i, 'keep', j], `"${name}" is kept here and listed at classes[${described}].legacyMembers; a kept member is app code, not served by legacy code: choose one`);
      });
      if (m.moves.some((mv) => mv.from === sp.module && mv.name === sp.class)) issue(['splits', i, 'class'], `"${sp.class}" of "${sp.module}" is also listed under moves; a split moves it: remove the moves entry`);
    });

    const seenDeletions = new FirstIndex();
    m.deletions.forEach((d, i) => {
      const key = d.declaration === undefined ? d.path : `${d.path}#${d.declaration}`;
      const first = seenDeletions.claim(key, i);
      if (first !== undefined) issue(['deletions', i, d.declaration === undefined ? 'path' : 'declaration'], `${d.declaration === undefined ? '' : `${d.declaration} of `}"${d.path}" is already listed at deletions[${first}]`);
    });
    m.deletions.forEach((d, i) => {
      const whole = seenDeletions.get(d.path);
      if (d.declaration !== undefined && whole !== undefined) issue(['deletions', i, 'declaration'], `"${d.path}" is deleted whole at deletions[${whole}]; a declaration of it needs no entry of its own`);
    });

    m.publicApi.forEach((p, i) => {
      const replaced = Object.keys(p.replacements ?? {});
      for (const [from, items] of Object.entries(p.replacements ?? {})) {
        const aliases = new Set<string>();
        items.forEach((item, j) => {
          const r = parsePublicReplacement(item);
          if (!r) return; // the item's own check reported it
          const at = ['publicApi', i, 'replacements', from, j];
          if (!exportsSet.has(r.name)) issue(at, `"${r.name}" is not listed in canonical.exports (a replacement is a canonical export)`);
          if (replaced.includes(r.alias)) issue(at, `"${r.alias}" is itself replaced (publicApi[${i}].replacements.${r.alias}); replace it by its final name`);
          if (aliases.has(r.alias)) issue(at, `"${r.alias}" is listed twice`);
          aliases.add(r.alias);
        });
      }
    });

    // Which names exist and in which order they run is checked against the phase registry
    // when the repo is opened (codemods/phase/order.ts); here only the shape.
    const seenPhases = new Set<string>();
    m.phases?.forEach((p, i) => {
      if (seenPhases.has(p)) issue(['phases', i], `"${p}" is listed twice`);
      seenPhases.add(p);
    });
    const seenCustom = new Set<string>();
    m.customPhases.forEach((c, i) => {
      if (seenCustom.has(c.name)) issue(['customPhases', i, 'name'], `custom phase "${c.name}" is declared twice`);
      seenCustom.add(c.name);
    });

    if (!m.tsconfig.endsWith('.json')) issue(['tsconfig'], `expected a .json file, got "${m.tsconfig}"`);
    m.exclude.forEach((glob, i) => {
      if (glob.startsWith('/')) issue(['exclude', i], `expected a repo-relative glob, got "${glob}"`);
    });
  });

/** `legacy[1].symbols.Foo` — the path form used in every manifest error. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** The JSON Schema published as manifest/ssot.schema.json (describes the input: defaults optional). */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(manifestSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://github.com/ssot-migrate/ssot-migrate/manifest/ssot.schema.json',
    title: 'ssot-migrate manifest (ssot.config.json)',
  };
}

// Compile-time proof that the validator produces exactly SsotManifest.
type Parsed = Zod.output<typeof manifestSchema>;
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const exact: Exact<Parsed, SsotManifest> = true;
void exact;
