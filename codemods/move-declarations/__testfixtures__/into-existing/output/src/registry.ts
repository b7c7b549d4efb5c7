export class Registry {
  list(): string[] {
    return [];
  }
}

export const defaultRegistry = new Registry();
