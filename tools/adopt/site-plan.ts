/**
 * The stack's validated site plan (lib/site-plan.ts), read from its stack file as the program
 * reads it: what adoption matches the live zone against (npm run adopt, and the launch report's
 * audit with a token).
 */
import * as path from "path";
import { configKey } from "../../lib/config/project";
import { rawStackConfig, validateStackConfig } from "../../lib/config/validate";
import type { SitePlan } from "../../lib/site-plan";
import { stackConfigFor } from "../offline/stack-config";

/** The stack's validated site plan, read from its stack file as the program reads it, and the project's name. */
export function stackPlan(stack: string, dir: string): { plan: SitePlan; project: string } {
  const { config, secretKeys, project } = stackConfigFor(stack, { dir, program: path.join(dir, "index.ts") });
  const prefix = configKey(project, "");
  const raw = rawStackConfig((key) => config[`${prefix}${key}`]);
  const lookup = {
    has: (key: string) => `${prefix}${key}` in config,
    isSecret: (key: string) => secretKeys.includes(`${prefix}${key}`),
    keys: () =>
      Object.keys(config)
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length)),
  };
  return { plan: validateStackConfig(raw, stack, lookup, project).plan, project };
}
