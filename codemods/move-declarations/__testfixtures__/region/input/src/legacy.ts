// #region registry
/** Keeps the names the manager knows. */
export class Registry {
  list(): string[] {
    return [];
  }
}
// #endregion

//#region manager
export class LegacyManager {
  readonly registry = new Registry();
}
//#endregion
