/**
 * Cloudflare Turnstile on signup and login: one widget for the hosts Vercel serves, its site
 * key into a browser-exposed variable and its secret into a sensitive server variable, both on
 * Vercel's production target only (preview deployments live on *.vercel.app, which the widget
 * does not cover: they use Cloudflare's documented test keys).
 */
import type { StackConfig } from "../config/schema";
import { servedByVercel, type WebHost } from "../dns/records";
import { isClientExposed } from "../../policies/shared/secret-detect";
import type { EnvVarSpec } from "./env";
import { factsFor } from "../provider-facts";
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";

export interface TurnstilePlan {
  widget: { name: string; mode: string; domains: string[] };
  vars: EnvVarSpec[];
}

/** Where a generated variable's value comes from: the widget's outputs. */
export type TurnstileOutput = "turnstile.siteKey" | "turnstile.secret";

export function planTurnstile(
  config: StackConfig,
  stack: string,
  hosts: readonly WebHost[],
): { turnstile?: TurnstilePlan; problems: Array<{ path: string; message: string }> } {
  const t = config.turnstile;
  if (!t.enabled) return { problems: [] };
  const problems: Array<{ path: string; message: string }> = [];
  // Sorted, as the API returns them: any other order shows a change on every refresh (cloudflare.json).
  const domains = hosts
    .filter(servedByVercel)
    .map((h) => h.fqdn)
    .sort();
  if (domains.length === 0)
    problems.push({ path: "enabled", message: "needs a host served by Vercel (the widget's keys go into the Vercel project): no host targets vercel" });
  const limit = factsFor(RESOURCE_TYPES.turnstileWidget)?.values.find((v) => v.path === "domains" && v.maxItems !== undefined);
  if (limit && domains.length > limit.maxItems!) {
    problems.push({
      path: "enabled",
      message: `one widget would cover ${domains.length} hosts served by Vercel, more than the ${limit.maxItems} a widget may list (${limit.source}): serve fewer hosts from Vercel or turn Turnstile off`,
    });
  }
  if (isClientExposed(t.secretVar)) {
    problems.push({
      path: "secretVar",
      message: `"${t.secretVar}" is exposed to the browser by its prefix: the Turnstile secret verifies tokens on the server only. Use a server name such as TURNSTILE_SECRET_KEY`,
    });
  }
  if (t.siteKeyVar === t.secretVar) problems.push({ path: "siteKeyVar", message: "must differ from turnstile.secretVar" });
  for (const key of [t.siteKeyVar, t.secretVar]) {
    if (key in config.hosting.env.production) {
      problems.push({
        path: key === t.siteKeyVar ? "siteKeyVar" : "secretVar",
        message: `"${key}" is also set in hosting.env.production: the widget sets it; remove it there`,
      });
    }
  }
  const vars: EnvVarSpec[] = [
    { target: "production", key: t.siteKeyVar, source: { generated: "turnstile.siteKey" }, sensitive: false, resourceName: `production-${t.siteKeyVar}` },
    { target: "production", key: t.secretVar, source: { generated: "turnstile.secret" }, sensitive: true, resourceName: `production-${t.secretVar}` },
  ];
  return { turnstile: { widget: { name: `${config.zone.name} ${stack} signup and login`, mode: t.mode, domains }, vars }, problems };
}
