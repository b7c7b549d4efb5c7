import { registry } from '../legacy/registry';

/** A method of an object literal: no caller can be given the context its field template needs; marked, naming the member and the chain. */
export const hooks = {
  tell(id: string, frame: object): void {
    // TODO(ssot)[Registry.outbox.get.send]: Registry.outbox.get.send becomes canonical code that needs the request's context: no value of type UserExecutionContext in scope, and threading it stops at a boundary: registry.outbox.get(id)!.send() at src/app/fm-ctx-boundary.ts:6 → tell (src/app/fm-ctx-boundary.ts:5) → boundary: method tell of an object literal
    registry.outbox.get(id)!.send(JSON.stringify(frame));
  },
};
