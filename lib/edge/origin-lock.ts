/**
 * The origin lock (config edge.originLock): only Cloudflare reaches the production deployment.
 * Cloudflare sets a secret request header on the app's hosts (a Request Header Transform Rule,
 * phase http_request_late_transform), and a Vercel firewall rule denies production requests
 * without it, so `<project>.vercel.app` and Vercel's anycast address with the right Host header
 * meet the same WAF, rate limits and bot checks as the real hosts. Why this mechanism:
 * lib/provider-facts/vercel.json `originLock`. Pure data here; components/origin-lock.ts declares it.
 */
import type { StackConfig } from "../config/schema";
import { servedByVercel, type WebHost } from "../dns/records";
import { vercelFacts } from "../provider-facts";
import { quote } from "./expressions";
import type { RuleSpec } from "./rules";

/** The header Cloudflare adds. Cloudflare refuses names starting with cf- or x-cf- (cloudflare.json). */
export const ORIGIN_LOCK_HEADER = "x-launch-ready-origin";

/** A vercel.FirewallConfig custom rule in the SDK's input shape; `value` may be a Pulumi secret. */
export interface FirewallRuleSpec {
  name: string;
  description: string;
  active: boolean;
  conditionGroups: Array<{ conditions: Array<{ type: string; op: string; key?: string; value?: unknown; neg?: boolean }> }>;
  action: { action: string };
}

export interface OriginLockPlan {
  /** The proxied hosts Vercel serves: the header is set on these. */
  hosts: string[];
  header: string;
  /** The Cloudflare rule, its header value filled in by the component (the secret never enters plain data). */
  requestHeaderRule: (secret: unknown) => RuleSpec;
  /** The Vercel firewall rule, same. */
  firewallRule: (secret: unknown) => FirewallRuleSpec;
}

export type OriginLockDecision = { lock: OriginLockPlan; note: string } | { lock?: undefined; note?: string; trustIssue?: string };

/** Whether the lock is on: config edge.originLock, else on in production. */
export function originLockWanted(config: Pick<StackConfig, "edge" | "environment">): boolean {
  return config.edge.originLock ?? config.environment === "production";
}

export function planOriginLock(config: StackConfig, hosts: readonly WebHost[]): OriginLockDecision {
  const locked = hosts.filter((h) => h.proxied && servedByVercel(h)).map((h) => h.fqdn);
  const bypass = `the production deployment also answers on its *.vercel.app URLs and on Vercel's address with the app's Host header, where none of Cloudflare's WAF, rate limits or bot checks apply`;
  if (locked.length === 0) return {};
  if (!originLockWanted(config)) {
    return {
      note: `Origin lock off (edge.originLock ${config.edge.originLock === false ? "false" : `unset, ${config.environment}`}): ${bypass}.`,
      trustIssue: config.edge.originLock === false ? `edge.originLock is false: ${bypass}. Remove edge.originLock (on by default in production).` : undefined,
    };
  }
  if (!config.zone.manageZoneSettings) {
    return {
      note: `Origin lock: not declared here, since the zone's rulesets belong to the stack that manages ${config.zone.name} (zone.manageZoneSettings is false).`,
    };
  }
  const { wellKnownPrefix } = vercelFacts.originLock;
  return {
    lock: {
      hosts: locked,
      header: ORIGIN_LOCK_HEADER,
      requestHeaderRule: (secret) => ({
        ref: "origin_lock_header",
        description: `Mark requests to ${locked.join(", ")} as having passed Cloudflare (the origin lock; Vercel denies production requests without it)`,
        expression: locked.length === 1 ? `http.host eq ${quote(locked[0])}` : `http.host in {${locked.map(quote).join(" ")}}`,
        action: "rewrite",
        actionParameters: { headers: { [ORIGIN_LOCK_HEADER]: { operation: "set", value: secret } } },
        enabled: true,
      }),
      firewallRule: (secret): FirewallRuleSpec => ({
        name: "launch-ready origin lock",
        description: "Deny production requests that did not pass Cloudflare (no origin-lock header); previews and /.well-known/ are untouched",
        active: true,
        // One group: its conditions are ANDed. Production only, outside /.well-known/, header not the secret (absent included).
        conditionGroups: [
          {
            conditions: [
              { type: "environment", op: "eq", value: "production" },
              { type: "path", op: "pre", value: wellKnownPrefix, neg: true },
              { type: "header", key: ORIGIN_LOCK_HEADER, op: "eq", value: secret, neg: true },
            ],
          },
        ],
        action: { action: "deny" },
      }),
    },
    note:
      `Origin lock: Cloudflare sets ${ORIGIN_LOCK_HEADER} (a generated secret) on ${locked.join(", ")}, and the Vercel project's firewall denies production requests without it, ` +
      `so *.vercel.app and Vercel's address no longer walk around the edge; preview deployments are untouched. The project's firewall configuration is managed by this stack from now on (custom rules made in Vercel's dashboard are replaced). ` +
      `Rotate the secret with the command in the handover ("Cloudflare in front of Vercel").`,
  };
}

/** The one command that rotates the secret: a new value, and both rules updated in place to it. */
export function originLockRotateCommand(stack: string): string {
  return `pulumi up --stack ${stack} --replace "$(pulumi stack --stack ${stack} --show-urns | grep -o 'urn:pulumi:[^ ]*RandomPassword::[^ ]*origin-lock-secret')"`;
}
