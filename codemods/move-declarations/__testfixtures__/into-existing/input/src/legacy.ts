export class LegacyManager {}

export class Registry {
  list(): string[] {
    return [];
  }
}
