import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as vercel from "@pulumiverse/vercel";
import type { OriginLockPlan } from "../lib/edge/origin-lock";
import { declareRuleset, ZoneRef } from "./cloudflare-resources";
import { childName, childOptions } from "./naming";

export interface OriginLockArgs {
  zone: ZoneRef;
  /** The Vercel project the firewall rule belongs to, and its team. */
  projectId: pulumi.Input<string>;
  teamId?: pulumi.Input<string>;
  /** lib/edge/origin-lock.ts planOriginLock. */
  lock: OriginLockPlan;
}

/**
 * Only Cloudflare reaches the production deployment: a generated secret, set as a request header
 * by Cloudflare on the app's hosts and required by the Vercel project's firewall for production
 * requests. The secret exists only as a Pulumi secret; replacing the `secret` child rotates it
 * (both rules update in place to the new value).
 */
export class OriginLock extends pulumi.ComponentResource {
  /** The secret child's name, for the rotation command (`pulumi up --replace <its URN>`). */
  readonly secretUrn: pulumi.Output<string>;

  constructor(name: string, args: OriginLockArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launch-ready:edge:OriginLock", name, {}, opts);
    const password = new random.RandomPassword(childName(name, "secret"), { length: 48, special: false }, childOptions(this, "secret"));
    // The SDK marks `result` an additional secret output; wrapping keeps it secret under any engine or mock.
    const secret = pulumi.secret(password.result);
    declareRuleset(
      "http_request_late_transform",
      [args.lock.requestHeaderRule(secret)],
      args.zone,
      this,
      name,
      "Origin lock: the header Vercel requires of production requests (launch-ready)",
    );
    new vercel.FirewallConfig(
      childName(name, "vercel-firewall"),
      {
        projectId: args.projectId,
        ...(args.teamId ? { teamId: args.teamId } : {}),
        rules: { rules: [args.lock.firewallRule(secret) as unknown as vercel.types.input.FirewallConfigRulesRule] },
      },
      childOptions(this, "vercel-firewall"),
    );
    this.secretUrn = password.urn;
    this.registerOutputs({ hosts: args.lock.hosts, header: args.lock.header });
  }
}
