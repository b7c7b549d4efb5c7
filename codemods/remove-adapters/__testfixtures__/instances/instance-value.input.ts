import { register, takes } from './plugin.js';
import { sessionHub, LIMIT } from '../legacy/hub.js';

// the instance handed on as a value: a property, a shorthand property, an argument, a variable
export function boot(): number {
  register({ hub: sessionHub });
  const hub = sessionHub;
  takes(sessionHub);
  const options = { sessionHub, LIMIT };
  return hub.count() + options.LIMIT;
}
