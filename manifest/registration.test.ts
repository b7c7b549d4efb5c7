/**
 * Registration members (classes[].registration, functions[].registration): found from templates
 * calling canonical's registration operations unless the entry names them; a named one needs a
 * template (its other side), and the error names the field.
 */
import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifest, registrationMembers, templateRegisters } from './index.js';

describe('registrationMembers', () => {
  it('finds the templates calling the hub’s connect/disconnect or a manager’s add/removeConnection, not the ones that only send or look up', () => {
    expect(templateRegisters('$hub.connect($1, $2)')).toBe(true);
    expect(templateRegisters('void $hub . disconnect($1)')).toBe(true);
    expect(templateRegisters('$hub.disconnectAll()')).toBe(true);
    expect(templateRegisters('$hub.hub.removeConnection($1)')).toBe(true);
    expect(templateRegisters('$user($1.userId).addConnection($1)')).toBe(true);
    expect(templateRegisters('$run($2).removeConnection($1)')).toBe(true);
    expect(templateRegisters('$hub.sendToUser($1, $2)')).toBe(false);
    expect(templateRegisters('$hub.connectionCount($1)')).toBe(false);
    expect(templateRegisters('$hub.hub.getConnection($1)')).toBe(false);
    // a legacy API's own names are not canonical's registration operations
    expect(templateRegisters('$legacy.connect($1)')).toBe(false);
    expect(templateRegisters('$legacy.addConnection($1)')).toBe(false);
  });

  it('uses the explicit list when there is one ([] turns it off), drops chains and names served from legacy code alone', () => {
    const templates = { attach: '$hub.connect($1, $2)', detach: '$hub.disconnect($1)', send: '$hub.sendToUser($1, $2)', 'getSocket.send': '$hub.connect($1, $2)' };
    expect(registrationMembers(templates, undefined)).toEqual(['attach', 'detach']);
    expect(registrationMembers(templates, undefined, new Set(['detach']))).toEqual(['attach']);
    expect(registrationMembers(templates, ['send'])).toEqual(['send']);
    expect(registrationMembers(templates, [])).toEqual([]);
  });
});

describe('registration in the manifest', () => {
  const base = () => ({
    canonical: { module: 'src/ws/canonical', exports: ['hubOperations', 'createWebSocketManager'], contextType: 'Ctx', factory: 'createWebSocketManager' },
    legacy: [{ id: 'WSM001', module: 'src/ws/old', symbols: {} }],
    verify: { typecheck: 'npx tsc --noEmit', test: 'npx vitest run' },
  });
  const message = (extra: Record<string, unknown>): string => {
    try {
      parseManifest(JSON.stringify({ ...base(), ...extra }), 'ssot.config.json');
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestError);
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('accepts named members with templates, and [] (off)', () => {
    const m = parseManifest(JSON.stringify({ ...base(), classes: [{ module: 'src/ws/old', class: 'hub', members: { add: '$hub.connect($1, $2)' }, registration: ['add'] }], functions: [{ module: 'src/ws/old', templates: { addClient: '$hub.connect($1, $2)' }, registration: [] }] }));
    expect(m.classes[0]!.registration).toEqual(['add']);
    expect(m.functions[0]!.registration).toEqual([]);
  });

  it('refuses a named member with no template (or served by legacy code), naming the field', () => {
    expect(message({ classes: [{ module: 'src/ws/old', class: 'hub', members: { add: '$hub.connect($1, $2)' }, registration: ['add', 'drop'] }] })).toContain(
      'classes[0].registration[1]: "drop" has no template in classes[0].members',
    );
    expect(message({ classes: [{ module: 'src/ws/old', class: 'hub', members: { add: '$hub.connect($1, $2)' }, legacyMembers: ['add'], registration: ['add'] }] })).toContain('classes[0].registration[0]');
    expect(message({ functions: [{ module: 'src/ws/old', templates: { addClient: '$hub.connect($1, $2)' }, registration: ['removeClient'] }] })).toContain(
      'functions[0].registration[0]: "removeClient" has no template in functions[0].templates',
    );
    expect(message({ classes: [{ module: 'src/ws/old', class: 'hub', members: {}, registration: ['not an identifier'] }] })).toContain('classes[0].registration[0]');
  });
});
