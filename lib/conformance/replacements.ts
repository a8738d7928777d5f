/**
 * Replacements: which property changes force a provider to replace a resource
 * (lib/provider-facts: replaceOnChanges, read from the provider sources), and what
 * moving from one plan to another would do to a deployed stack.
 */
import { factsFor } from "../provider-facts";
import { redactSecrets } from "../planned/secrets";
import type { Resource } from "./types";

/** What a deployed resource is pinned by: its URN and the values of its replace-forcing properties. */
export interface PinnedResource {
  urn: string;
  replaceKeys: Record<string, unknown>;
}

export function pin(resources: readonly Resource[]): PinnedResource[] {
  return resources
    .filter((r) => r.custom)
    .map((r) => {
      const keys = factsFor(r.type)?.replaceOnChanges.props ?? [];
      const props = redactSecrets(r.props) as Record<string, unknown>;
      return { urn: r.urn, replaceKeys: Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]])) };
    })
    .sort((a, b) => a.urn.localeCompare(b.urn));
}

export interface PlanChange {
  /** Deployed resources the new plan no longer declares (deleted by `pulumi up`). */
  deleted: string[];
  /** Resources the new plan adds. */
  created: string[];
  /** Deployed resources a replace-forcing property change would replace. */
  replaced: Array<{ urn: string; properties: string[] }>;
  /** Deployed resources that keep their state under a new URN through `aliases`. */
  moved: Array<{ from: string; to: string }>;
}

export function changeBetween(deployed: readonly PinnedResource[], next: readonly Resource[]): PlanChange {
  const pinnedNext = new Map(pin(next).map((p) => [p.urn, p]));
  const byAlias = new Map<string, string>();
  for (const r of next) for (const a of r.opts.aliases ?? []) byAlias.set(a, r.urn);
  const change: PlanChange = { deleted: [], created: [], replaced: [], moved: [] };
  const matched = new Set<string>();
  for (const old of deployed) {
    const urn = pinnedNext.has(old.urn) ? old.urn : byAlias.get(old.urn);
    if (!urn) {
      change.deleted.push(old.urn);
      continue;
    }
    if (urn !== old.urn) change.moved.push({ from: old.urn, to: urn });
    matched.add(urn);
    const now = pinnedNext.get(urn)!;
    const keys = new Set([...Object.keys(old.replaceKeys), ...Object.keys(now.replaceKeys)]);
    const properties = [...keys].filter((k) => JSON.stringify(old.replaceKeys[k]) !== JSON.stringify(now.replaceKeys[k]));
    if (properties.length) change.replaced.push({ urn, properties });
  }
  change.created = [...pinnedNext.keys()].filter((u) => !matched.has(u));
  return change;
}
