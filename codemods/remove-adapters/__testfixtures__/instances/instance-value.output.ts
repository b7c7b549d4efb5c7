import { register, takes } from './plugin.js';
import { LIMIT } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

// the instance handed on as a value: a property, a shorthand property, an argument, a variable
export function boot(): number {
  register({ hub: hubOperations() });
  const hub = hubOperations();
  takes(hubOperations());
  const options = { sessionHub: hubOperations(), LIMIT };
  return hubOperations().connectionCount() + options.LIMIT;
}
