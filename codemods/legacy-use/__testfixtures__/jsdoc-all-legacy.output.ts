export function wire(): void {}

export class Holder {
  run(): void {}
}
