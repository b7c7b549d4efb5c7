export class LegacyManager {}
