
/** The upstream a client is piped to (stays: the barrel's users read it). */
export const upstreamUrl = (): string => process.env['UPSTREAM_URL'] ?? '';
