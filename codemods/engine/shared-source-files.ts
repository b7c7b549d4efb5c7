/**
 * The source files a program reads from outside the code being migrated — TypeScript's libs,
 * node_modules' declarations, the canonical module — shared by every program built in this
 * process: parsing and binding them is most of what building a small repo's program costs, and
 * they are the same each time (init's tests build one program per case; every phase of `run --all`
 * opens its own snapshot, whose type setup builds its programs). TypeScript's document
 * registry does the sharing as its language service does: a file is reused under the same
 * compilation settings while its text is unchanged, and bound once.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import ts from './ts-api.js';

// made on first use: creating it loads TypeScript, which an entry that imports this module must not do
// (ts-api.ts loads it on first use, so git can start before it)
let registry: ts.DocumentRegistry | undefined;

/**
 * Makes `host` take the files `shared(file)` selects from the process-wide registry (read through
 * the host's own readFile), parsing and binding each only the first time.
 */
export function shareSourceFiles(host: ts.CompilerHost, options: ts.CompilerOptions, shared: (file: string) => boolean): void {
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    if (!shared(file) || shouldCreateNewSourceFile) return getSourceFile(file, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    const text = host.readFile(file);
    if (text === undefined) return getSourceFile(file, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    const version = createHash('sha1').update(text).digest('hex');
    registry ??= ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames);
    return registry.acquireDocument(file, options, ts.ScriptSnapshot.fromString(text), version, undefined, languageVersionOrOptions);
  };
}

/** Whether `file` is the repo's own code (under `repo`, outside any node_modules): what a program must parse afresh. */
function isRepoCode(repo: string, file: string): boolean {
  const rel = relative(repo, resolve(file));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('node_modules');
}

/**
 * `shareSourceFiles` for everything outside the repo's own code (TypeScript's libs, node_modules'
 * declarations, a linked package): the same for every program a run builds over `repo`.
 */
export function shareOutsideRepo(host: ts.CompilerHost, options: ts.CompilerOptions, repo: string): void {
  shareSourceFiles(host, options, (f) => !isRepoCode(repo, f));
}
