/**
 * The slice of the realtime hub notification code needs. Declared here rather than importing
 * the realtime module so notifications can be unit-tested with a two-method fake.
 */
export interface RealtimeHubApi {
  publishToUser(userId: string, event: { type: string; [field: string]: unknown }): number;
  isOnline(userId: string): boolean;
}
