import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { ENV_TARGETS, EnvVarSpec } from "../lib/hosting/env";
import { childName, childOptions } from "./naming";

export interface HostingArgs {
  /** The Vercel project id ("prj_..."): a string from config, or a vercel.Project's id. */
  projectId: pulumi.Input<string>;
  /** The Vercel team id; unset: the token's personal account. */
  teamId?: pulumi.Input<string>;
  /** Hosts served by the Vercel project. */
  domains: string[];
  vars: EnvVarSpec[];
  /** Reads a secret stack config key; the value stays a Pulumi secret end to end. */
  secret: (configKey: string) => pulumi.Output<string>;
}

/**
 * The Vercel project's domains and env vars, one variable per (target, key).
 * Secrets are sensitive (write-only in Vercel) wherever Vercel allows it.
 */
export class Hosting extends pulumi.ComponentResource {
  /** Variable names per target: names only, never values. */
  readonly envNames: Record<string, string[]>;

  constructor(name: string, args: HostingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launch-ready:hosting:Hosting", name, {}, opts);
    const team = args.teamId ? { teamId: args.teamId } : {};
    for (const domain of args.domains) {
      new vercel.ProjectDomain(childName(name, `domain-${domain}`), { projectId: args.projectId, domain, ...team }, childOptions(this, `domain-${domain}`));
    }
    for (const v of args.vars) {
      new vercel.ProjectEnvironmentVariable(
        childName(name, v.resourceName),
        {
          projectId: args.projectId,
          ...team,
          key: v.key,
          value: "secretKey" in v.source ? args.secret(v.source.secretKey) : v.source.plain,
          targets: [v.target],
          sensitive: v.sensitive,
          comment: "secretKey" in v.source ? `launch-ready: from secret config ${v.source.secretKey}` : "launch-ready",
        },
        // A replacement must delete the old variable first: Vercel refuses a second
        // variable with the same key and target (ENV_ALREADY_EXISTS).
        childOptions(this, v.resourceName, [], { deleteBeforeReplace: true }),
      );
    }
    this.envNames = Object.fromEntries(ENV_TARGETS.map((t) => [t, args.vars.filter((v) => v.target === t).map((v) => v.key)]));
    this.registerOutputs({ envNames: this.envNames });
  }
}
