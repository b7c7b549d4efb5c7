/**
 * Who can see what some files declare: those files and every file importing one of them,
 * transitively. One walk for the two import graphs that need it: the snapshot's lexer-scanned
 * graph (which files a type-aware phase must load) and a program's checker-resolved one (where a
 * reference search looks).
 */
export function withImporters<F>(start: Iterable<F>, importersOf: (file: F) => readonly F[] | undefined): Set<F> {
  const seen = new Set<F>(start);
  const todo = [...seen];
  while (todo.length) {
    for (const i of importersOf(todo.pop()!) ?? []) {
      if (!seen.has(i)) {
        seen.add(i);
        todo.push(i);
      }
    }
  }
  return seen;
}
