/** redis-server's CPU so far, shared by the redis-bus suite and its side benches (rounds, A/B, arrival, floor). */
import type { Redis } from 'ioredis';

/** CPU seconds redis-server has used so far (INFO cpu): a load-independent cost per event, unlike wall time. */
export async function redisCpuSeconds(info: Redis): Promise<number> {
  const text = await info.info('cpu');
  const get = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(text)?.[1] ?? 0);
  return get('used_cpu_user') + get('used_cpu_sys');
}
