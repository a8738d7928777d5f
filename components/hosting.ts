import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { ENV_TARGETS, EnvVarSpec } from "../lib/hosting/env";
import type { RecordSpec } from "../lib/dns/records";
import { vercelVerificationContent } from "../lib/hosting/verification";
import { declareRecord, ZoneRef } from "./cloudflare-resources";
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
  /**
   * Vercel's `_vercel` TXT per domain (lib/hosting/verification.ts), declared in this zone with the
   * value the domain's ProjectDomain asks for. Unset: the stack declares none.
   */
  verification?: { zone: ZoneRef; records: Record<string, RecordSpec> };
  /** Values other resources produce (the Turnstile widget's keys), for variables whose source is `generated`. */
  generated?: Partial<Record<"turnstile.siteKey" | "turnstile.secret", pulumi.Input<string>>>;
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
      const projectDomain = new vercel.ProjectDomain(
        childName(name, `domain-${domain}`),
        { projectId: args.projectId, domain, ...team },
        childOptions(this, `domain-${domain}`),
      );
      const spec = args.verification?.records[domain];
      if (spec) {
        const content = projectDomain.verifications.apply((v) => vercelVerificationContent(spec, domain, v));
        declareRecord(spec, args.verification!.zone, this, name, content);
      }
    }
    for (const v of args.vars) {
      new vercel.ProjectEnvironmentVariable(
        childName(name, v.resourceName),
        {
          projectId: args.projectId,
          ...team,
          key: v.key,
          value: valueOf(v, args),
          targets: [v.target],
          sensitive: v.sensitive,
          comment:
            "secretKey" in v.source
              ? `launch-ready: from secret config ${v.source.secretKey}`
              : "generated" in v.source
                ? `launch-ready: from the Turnstile widget (${v.source.generated})`
                : "launch-ready",
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

function valueOf(v: EnvVarSpec, args: HostingArgs): pulumi.Input<string> {
  if ("secretKey" in v.source) return args.secret(v.source.secretKey);
  if ("plain" in v.source) return v.source.plain;
  const value = args.generated?.[v.source.generated];
  if (value === undefined) throw new pulumi.RunError(`${v.key}: nothing provides ${v.source.generated} (pass it in HostingArgs.generated)`);
  // A sensitive variable's value stays a secret in the state even if its producer did not mark it.
  return v.sensitive ? pulumi.secret(value) : value;
}
