/**
 * The reference's manager modes, with its string values. The canonical manager always behaves
 * as UNIFIED (per-user isolation through UserExecutionContext); the other members exist so
 * legacy code that passes a mode keeps compiling and can be migrated mechanically.
 */
export enum WebSocketManagerMode {
  UNIFIED = 'unified',
  ISOLATED = 'isolated',
  EMERGENCY = 'emergency',
  DEGRADED = 'degraded',
}
