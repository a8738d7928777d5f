/**
 * The flat keys `pulumi new` prompts for (Pulumi.yaml `template.config`). The CLI sets each prompt
 * as one string under the project's name and cannot write a structured key
 * (lib/provider-facts/engine.json pulumiNewTemplate), so the program also reads these: each is one
 * value of the structured config, e.g. `mybot:domain` is `zone.name`. A stack sets a value in one
 * form or the other, never both.
 */
import type { ConfigIssue } from "../site-plan";

export interface FlatKey {
  /** Where the value goes in the structured config. */
  path: readonly string[];
  /** The structured value is a list: the flat key holds its one item. */
  list?: boolean;
}

export const FLAT_KEYS = {
  domain: { path: ["zone", "name"] },
  zoneId: { path: ["zone", "id"] },
  accountId: { path: ["zone", "accountId"] },
  zonePlan: { path: ["zone", "plan"] },
  vercelProjectId: { path: ["hosting", "projectId"] },
  vercelTeamId: { path: ["hosting", "teamId"] },
  alertEmail: { path: ["alerts", "emails"], list: true },
  dmarcReportEmail: { path: ["email", "dmarc", "rua"], list: true },
} as const satisfies Record<string, FlatKey>;

export type FlatKeyName = keyof typeof FLAT_KEYS;
export const FLAT_KEY_NAMES = Object.keys(FLAT_KEYS) as FlatKeyName[];

/** "zone.name", "alerts.emails": a flat key's place, as config messages write it. */
export function flatKeyTarget(name: FlatKeyName): string {
  return FLAT_KEYS[name].path.join(".");
}

export interface ExpandedConfig {
  /** The structured config, each flat key's value in its place (flat keys removed). */
  config: Record<string, unknown>;
  /** Structured path ("zone.id") -> the flat key that set it ("zoneId"), so messages name what the stack file holds. */
  origins: Map<string, FlatKeyName>;
  /** Flat keys whose place the structured form also sets (path below the project namespace). */
  issues: ConfigIssue[];
}

/** Moves each flat key's value into the structured config. `raw` is not changed. */
export function expandFlatKeys(raw: Record<string, unknown>): ExpandedConfig {
  const config: Record<string, unknown> = structuredClone(raw);
  const origins = new Map<string, FlatKeyName>();
  const issues: ConfigIssue[] = [];
  for (const name of FLAT_KEY_NAMES) {
    const value = config[name];
    delete config[name];
    if (value === undefined) continue;
    const { path } = FLAT_KEYS[name];
    const list = "list" in FLAT_KEYS[name];
    const parent = path.slice(0, -1).reduce<Record<string, unknown> | undefined>((node, key) => {
      if (node === undefined) return undefined;
      if (node[key] === undefined) node[key] = {};
      const next = node[key];
      return typeof next === "object" && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : undefined;
    }, config);
    const leaf = path[path.length - 1];
    // A structured key that is not a mapping is reported by the schema; the flat value then waits.
    if (parent === undefined) continue;
    if (parent[leaf] !== undefined) {
      issues.push({
        key: name,
        message: `sets ${path.join(".")}, which ${path[0]} also sets in this stack: keep one (remove ${name}, or ${path.join(".")} from ${path[0]})`,
      });
      continue;
    }
    parent[leaf] = list ? [value] : value;
    origins.set(path.join("."), name);
  }
  return { config, origins, issues };
}

/** The flat key an issue at this structured path ("zone.id", "alerts.emails[0]") came from, if any. */
export function flatOrigin(origins: ReadonlyMap<string, FlatKeyName>, path: string): FlatKeyName | undefined {
  for (const [target, name] of origins) if (path === target || path.startsWith(`${target}[`) || path.startsWith(`${target}.`)) return name;
  return undefined;
}
