/** A factory that shares one manager and rebinds its context per call (the isolation bug). */
import type { UserExecutionContext } from '../context.js';
import { Manager, getManager } from './manager-module.legacy.js';

export class Factory {
  private static factory: Factory | undefined;

  static getInstance(ctx?: UserExecutionContext): Manager {
    void ctx;
    return getManager();
  }

  static getFactory(): Factory {
    Factory.factory ??= new Factory();
    return Factory.factory;
  }

  async createManager(label: string, ctx: UserExecutionContext): Promise<Manager> {
    void label;
    return Factory.getInstance(ctx);
  }
}

export function getFactoryManager(label: string, ctx?: UserExecutionContext): Manager {
  void label;
  return Factory.getInstance(ctx);
}
