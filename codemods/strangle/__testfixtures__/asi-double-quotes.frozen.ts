/** A legacy module in standard style (double quotes, no semicolons): its facade is written the same way. */
import type { Protocol } from "./manager-module.legacy.js"

export enum AsiMode {
  UNIFIED = "unified",
  ISOLATED = "isolated",
}

export class AsiManager {
  constructor(readonly name = "asi") {}
  send(userId: string, message: object): boolean {
    return userId.length > 0 && message !== null
  }
}

export function getAsiManager(): AsiManager {
  return new AsiManager()
}

export const ASI_VERSION = "1"

export type AsiSender = Pick<Protocol, "send">

export default AsiManager
