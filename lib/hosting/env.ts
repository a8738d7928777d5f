/**
 * Vercel env var specs per target. Each (target, key) is its own variable, so
 * production, preview and development never share a value; secrets come from
 * secret stack config and are marked sensitive wherever Vercel allows it.
 */
import type { EnvValue, HostingConfig } from "../config/schema";
import type { EnvTarget } from "../domain-map";
import { isClientExposed, isPublicByDesignName, secretReason } from "../../policies/shared/secret-detect";

import { ENV_TARGETS } from "../../policies/shared/bar";
import { setSecretCommand } from "../config/project";

export { ENV_TARGETS };

export interface EnvVarSpec {
  target: EnvTarget;
  key: string;
  /**
   * Plain text, the secret config key whose value Pulumi decrypts at deploy time, or another
   * resource's output (the Turnstile widget's keys; lib/hosting/turnstile.ts).
   */
  source: { plain: string } | { secretKey: string } | { generated: "turnstile.siteKey" | "turnstile.secret" };
  /** Vercel refuses sensitive variables on the development target. */
  sensitive: boolean;
  /** Stable resource name. */
  resourceName: string;
}

export interface EnvPlan {
  vars: EnvVarSpec[];
  /** Secret config keys the stack must hold, with the target that uses each. */
  secretKeys: Array<{ key: string; target: EnvTarget; envKey: string }>;
  problems: Array<{ path: string; message: string }>;
  notes: string[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `project`: the config namespace, for the commands messages suggest. */
export function planEnv(hosting: HostingConfig, stack: string, project: string): EnvPlan {
  const vars: EnvVarSpec[] = [];
  const problems: EnvPlan["problems"] = [];
  const notes: string[] = [];
  const secretKeys: EnvPlan["secretKeys"] = [];
  const secretOwner = new Map<string, EnvTarget>();

  for (const target of ENV_TARGETS) {
    for (const [key, value] of Object.entries(hosting.env[target])) {
      const path = `env.${target}.${key}`;
      const problem = envProblem(key, value, stack, target, project);
      if (problem) {
        problems.push({ path, message: problem });
        continue;
      }
      if (typeof value !== "string") {
        const owner = secretOwner.get(value.secret);
        if (owner && owner !== target) {
          problems.push({
            path,
            message: `reuses secret "${value.secret}" from ${owner}: each environment needs its own value (e.g. ${value.secret}${capitalise(target)}), so a preview build can never read production data`,
          });
          continue;
        }
        secretOwner.set(value.secret, target);
        secretKeys.push({ key: value.secret, target, envKey: key });
      }
      const secret = typeof value !== "string";
      vars.push({
        target,
        key,
        source: secret ? { secretKey: value.secret } : { plain: value },
        sensitive: secret && target !== "development",
        resourceName: `${target}-${key}`,
      });
    }
  }
  // Vercel has no sensitive development variables: one note naming every secret that lands there.
  const devSecrets = vars.filter((v) => v.target === "development" && "secretKey" in v.source).map((v) => v.key);
  if (devSecrets.length)
    notes.push(
      `${devSecrets.join(", ")} (development): Vercel does not allow sensitive development variables, so ${devSecrets.length > 1 ? "they are" : "it is"} stored encrypted but readable by \`vercel env pull\`; use development-only credentials.`,
    );
  return { vars, secretKeys, problems, notes };
}

/** Why a variable may not be declared as written, or undefined. */
export function envProblem(key: string, value: EnvValue, stack: string, target: EnvTarget, project: string): string | undefined {
  if (!KEY.test(key)) return `"${key}" is not a valid variable name: use letters, digits and underscores, not starting with a digit`;
  if (/^(VERCEL|NOW)_/.test(key)) return `"${key}" is a Vercel system variable name: Vercel sets it; choose another name`;
  const exposed = isClientExposed(key);
  if (typeof value !== "string") {
    if (exposed) {
      return `"${key}" is exposed to the browser by its prefix, but takes the secret "${value.secret}": every visitor could read it. Rename it without the public prefix and use it only on the server`;
    }
    return undefined;
  }
  const reason = secretReason(key, value);
  if (!reason) return undefined;
  if (exposed && isPublicByDesignName(key) && !reason.startsWith("its value")) return undefined;
  const configKey = suggestConfigKey(key, target);
  if (exposed) {
    return `"${key}" is exposed to the browser by its prefix and ${reason}: never put a secret in a client-exposed variable; move it to a server-side name set from secret config`;
  }
  return (
    `${reason}, but it is written in plain text in the stack file. Store it as a secret: ` +
    `${setSecretCommand(project, configKey, stack)} (it prompts for the value), then write { secret: ${configKey} }`
  );
}

function suggestConfigKey(envKey: string, target: EnvTarget): string {
  return envKey.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) + capitalise(target);
}

function capitalise(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
