/** An adapter in standard style: the facade's method mappings, from the manifest's templates, take its double quotes. */
import type { UserExecutionContext } from "../context.js"
import type { Manager } from "./manager-module.legacy.js"

export class AsiAdapter {
  constructor(
    private readonly manager: Manager,
    private readonly ctx?: UserExecutionContext,
  ) {}

  async notifyStarted(agentName: string): Promise<void> {
    this.manager.send(this.ctx?.userId ?? "", agentName)
  }

  async notifyDone(finalResponse: string, status = "completed"): Promise<void> {
    this.manager.send(this.ctx?.userId ?? "", `${status}:${finalResponse}`)
  }
}
