/** Keeps the names the manager knows. */
export class Registry {
  list(): string[] {
    return [];
  }
}

export const REGISTRY_VERSION = 2;
