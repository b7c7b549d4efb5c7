import { describe, expect, it } from 'vitest';
import { createUserExecutionContext, InvalidContextError, isUserExecutionContext } from './index.js';

describe('createUserExecutionContext', () => {
  it('returns a frozen context with the given ids', () => {
    const ctx = createUserExecutionContext({ userId: 'u-1', threadId: 't-1', runId: 'r-1', requestId: 'req-1' });
    expect(ctx).toEqual({ userId: 'u-1', threadId: 't-1', runId: 'r-1', requestId: 'req-1' });
    expect(Object.isFrozen(ctx)).toBe(true);
    expect('connectionId' in ctx).toBe(false);
  });

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ['empty userId', { userId: '', threadId: 't', runId: 'r' }, 'userId', /empty/],
    ['blank threadId', { userId: 'u', threadId: '   ', runId: 'r' }, 'threadId', /blank/],
    ['placeholder "test"', { userId: 'test', threadId: 't', runId: 'r' }, 'userId', /placeholder/],
    ['placeholder "MOCK" (case-insensitive)', { userId: 'u', threadId: 'MOCK', runId: 'r' }, 'threadId', /placeholder/],
    ['placeholder "Default"', { userId: 'u', threadId: 't', runId: 'Default' }, 'runId', /placeholder/],
    ['non-string runId', { userId: 'u', threadId: 't', runId: 42 }, 'runId', /string/],
    ['missing runId', { userId: 'u', threadId: 't' }, 'runId', /string/],
    ['padded userId', { userId: ' u ', threadId: 't', runId: 'r' }, 'userId', /whitespace/],
    ['placeholder requestId', { userId: 'u', threadId: 't', runId: 'r', requestId: 'test' }, 'requestId', /placeholder/],
    ['empty connectionId', { userId: 'u', threadId: 't', runId: 'r', connectionId: '' }, 'connectionId', /empty/],
    ['a control character in threadId (log/header injection)', { userId: 'u', threadId: 't\r\nX-Evil: 1', runId: 'r' }, 'threadId', /control/],
    ['NUL in runId', { userId: 'u', threadId: 't', runId: 'r\u0000' }, 'runId', /control/],
  ];
  for (const [name, input, field, reason] of bad) {
    it(`refuses ${name}, naming the field`, () => {
      let caught: unknown;
      try {
        createUserExecutionContext(input as never);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InvalidContextError);
      expect((caught as InvalidContextError).code).toBe('ERR_INVALID_CONTEXT');
      expect((caught as InvalidContextError).field).toBe(field);
      expect((caught as Error).message).toMatch(reason);
    });
  }

  it('accepts ids that merely contain a placeholder word', () => {
    expect(createUserExecutionContext({ userId: 'test-user-7', threadId: 'default-thread-2', runId: 'mock_run_3' }).userId).toBe('test-user-7');
  });
});

describe('isUserExecutionContext (made contexts are trusted, nothing else is)', () => {
  it('a made context: frozen, only the given fields as own keys, trusted as is', () => {
    const ctx = createUserExecutionContext({ userId: 'u-1', threadId: 't-1', runId: 'r-1' });
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(Object.keys(ctx)).toEqual(['userId', 'threadId', 'runId']);
    expect('requestId' in ctx).toBe(false);
    expect(JSON.stringify(ctx)).toBe('{"userId":"u-1","threadId":"t-1","runId":"r-1"}');
    expect(isUserExecutionContext(ctx)).toBe(true);
    const full = createUserExecutionContext({ userId: 'u-1', threadId: 't-1', runId: 'r-1', requestId: 'q-1', connectionId: 'c-1' });
    expect(Object.keys(full)).toEqual(['userId', 'threadId', 'runId', 'requestId', 'connectionId']);
  });

  it('a look-alike with bad ids is validated, whatever its prototype or copied properties', () => {
    const ctx = createUserExecutionContext({ userId: 'u-1', threadId: 't-1', runId: 'r-1' });
    const forged = Object.freeze(Object.assign(Object.create(Object.getPrototypeOf(ctx) as object) as object, { userId: 'default', threadId: 't-1', runId: 'r-1' }));
    expect(isUserExecutionContext(forged)).toBe(false);
    expect(isUserExecutionContext(Object.freeze({ ...ctx, userId: 'mock' }))).toBe(false);
    expect(isUserExecutionContext(Object.freeze({ ...ctx }))).toBe(true); // valid ids: validated, and they pass
  });
});
