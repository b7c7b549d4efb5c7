// Standard style and no import at all: the inserted import takes the literals' double quotes and
// the statements' missing semicolons.

enum ManagerMode {
  UNIFIED = "unified",
  ISOLATED = "isolated",
}

export function modeLabel(mode: ManagerMode): string {
  const prefix = "mode:"
  return prefix + String(mode)
}

export const unified = modeLabel(ManagerMode.UNIFIED)
