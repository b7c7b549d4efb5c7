/**
 * The dashboard's Host check (DNS rebinding): a page on evil.example whose name the attacker
 * re-points at 127.0.0.1 reaches the dashboard with `Host: evil.example:<port>` — so a request is
 * served only when its Host names this server exactly: one of the configured host names or a
 * literal address of it (the loopback addresses; the bound address; with a wildcard bind, the
 * machine's interface addresses), and the port it listens on. `127.evil.example` and
 * `127.0.0.1.nip.io` are names, not addresses, and are refused like any other.
 */
import { isIP, isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Host names allowed when none are configured. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['localhost'];

/** `name[:port]` / `[v6][:port]` → lower-cased name (IPv6 keeps its brackets) and port; undefined if malformed. */
export function parseHostHeader(header: string | undefined): { name: string; port: number | undefined } | undefined {
  if (!header) return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(header);
  if (!m) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && port > 65535) return undefined;
  return { name: m[1]!.toLowerCase(), port };
}

/** 127.0.0.0/8 written as an IPv4 address, or [::1]. */
export function isLiteralLoopback(name: string): boolean {
  return name === '[::1]' || (isIPv4(name) && name.startsWith('127.'));
}

const bracket = (address: string) => (isIP(address) === 6 ? `[${address.toLowerCase()}]` : address);

/**
 * Returns the check for a server bound to `bindHost`. `port()` is read per request (the port is
 * known once listening). A Host without a port means port 80.
 */
export function createHostCheck(bindHost: string, allowedHosts: readonly string[] = DEFAULT_ALLOWED_HOSTS, port: () => number): (header: string | undefined) => boolean {
  const names = new Set(allowedHosts.map((h) => h.trim().toLowerCase()).filter(Boolean));
  const addresses = new Set<string>();
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) addresses.add(bracket(i.address));
  } else if (isIP(bindHost)) {
    addresses.add(bracket(bindHost));
  } else {
    names.add(bindHost.toLowerCase()); // bound by name: that name is one of its own
  }
  return (header) => {
    const host = parseHostHeader(header);
    if (!host) return false;
    if ((host.port ?? 80) !== port()) return false;
    return names.has(host.name) || isLiteralLoopback(host.name) || addresses.has(host.name);
  };
}
