/**
 * A script (no import or export: its declarations are global) or a file declaring `global` or
 * a module: what it declares reaches files that do not import it, so a type check of some files
 * must include it, and a change to it can reach any file. A text test, erring towards yes.
 */
export const reachesAnyFile = (text: string): boolean => !/^\s*(import|export)\b/m.test(text) || /\bdeclare\s+(global|module)\b/.test(text);
