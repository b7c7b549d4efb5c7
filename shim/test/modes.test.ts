import { describe, expect, it } from 'vitest';
import { ModeRegistry, parseModeSpec } from '../modes.js';
import { ShimConfigError } from '../errors.js';

describe('parseModeSpec', () => {
  it('reads id=mode pairs including the wildcard', () => {
    expect([...parseModeSpec(' WSM001=legacy, *=canonical ,')]).toEqual([
      ['WSM001', 'legacy'],
      ['*', 'canonical'],
    ]);
  });
  it('refuses an unknown mode or a missing = with a clear error', () => {
    expect(() => parseModeSpec('WSM001=legazy')).toThrow(ShimConfigError);
    expect(() => parseModeSpec('WSM001=legazy')).toThrow(/legazy/);
    expect(() => parseModeSpec('WSM001')).toThrow(/expected id=mode/);
  });
});

describe('ModeRegistry', () => {
  it('defaults to canonical', () => {
    expect(new ModeRegistry().get('WSM009')).toBe('canonical');
  });

  it('prefers an exact id over * within one source', () => {
    const r = new ModeRegistry();
    r.replaceLayer('env', parseModeSpec('WSM001=legacy,*=strict'));
    expect(r.get('WSM001')).toBe('legacy');
    expect(r.get('WSM002')).toBe('strict');
  });

  it('lets the most recent change win across sources, and hands back on removal', () => {
    const r = new ModeRegistry();
    r.replaceLayer('env', parseModeSpec('WSM001=legacy'));
    r.set('WSM001', 'strict');
    expect(r.get('WSM001')).toBe('strict');
    r.replaceLayer('file', new Map([['*', 'shadow']]));
    expect(r.get('WSM001')).toBe('shadow');
    // Re-reading an unchanged file does not beat a later API call.
    r.set('WSM001', 'canonical');
    r.replaceLayer('file', new Map([['*', 'shadow']]));
    expect(r.get('WSM001')).toBe('canonical');
    r.clear('WSM001');
    expect(r.get('WSM001')).toBe('shadow');
    r.replaceLayer('file', new Map());
    expect(r.get('WSM001')).toBe('legacy');
  });

  it('records every flip with time, id, from, to and source', () => {
    let t = 1000;
    const r = new ModeRegistry({ now: () => t });
    r.get('WSM001');
    r.replaceLayer('env', parseModeSpec('WSM001=legacy'));
    t = 2000;
    r.replaceLayer('file', new Map([['WSM001', 'strict'], ['WSM004', 'legacy']]));
    t = 3000;
    r.set('WSM001', 'strict'); // no effective change, no flip
    expect(r.flips()).toEqual([
      { at: 1000, id: 'WSM001', from: 'canonical', to: 'legacy', source: 'env' },
      { at: 2000, id: 'WSM001', from: 'legacy', to: 'strict', source: 'file' },
      { at: 2000, id: 'WSM004', from: 'canonical', to: 'legacy', source: 'file' },
    ]);
  });

  it('notifies listeners and survives a throwing one', () => {
    const r = new ModeRegistry();
    const seen: string[] = [];
    r.onFlip(() => {
      throw new Error('listener bug');
    });
    r.onFlip((f) => seen.push(`${f.id}:${f.to}`));
    r.set('*', 'legacy');
    expect(seen).toEqual(['*:legacy']);
    expect(r.get('anything')).toBe('legacy');
  });

  it('refuses bad API input', () => {
    const r = new ModeRegistry();
    expect(() => r.set('WSM001', 'nope' as never)).toThrow(/unknown shim mode/);
    expect(() => r.set('bad id!', 'legacy')).toThrow(/invalid deprecation id/);
  });
});

describe('startup precedence', () => {
  it('at startup an exact id beats *, whichever source holds it; a later flip of * beats both', () => {
    const r = new ModeRegistry();
    r.replaceLayer('env', parseModeSpec('WSM001=legacy'), { initial: true });
    r.replaceLayer('file', new Map([['*', 'canonical']]), { initial: true });
    expect(r.get('WSM001')).toBe('legacy');
    expect(r.get('WSM002')).toBe('canonical');
    r.replaceLayer('file', new Map([['WSM001', 'shadow']]), { initial: true });
    expect(r.get('WSM001')).toBe('shadow'); // file outranks env on a tie
    r.replaceLayer('file', new Map([['*', 'strict']]));
    expect(r.get('WSM001')).toBe('strict');
  });
});
