/**
 * The domain map: what the stack declares, as plain JSON. It is a stack output of the
 * program (`pulumi stack output domainMap --json`) and part of the offline plan's
 * `--json`, and it is what `verify` checks against the live internet and what
 * `handover` writes up. It never holds a secret value.
 *
 * One zod schema is the contract: the program produces it (lib/site-plan.ts domainMapOf,
 * checked against the schema by a test), and every reader parses with `parseDomainMap`.
 * Maps written by earlier releases still parse: notes kept in `edge.notes` move to `notes`, a host target given as "cname:<host>" is
 * read into its structured form, and fields added since take their defaults.
 */
import { PROTECT_KINDS, type ProtectKind } from "./state/protect";
import { z } from "zod";
import { targetSchema } from "./config/schema";
import { PLAN_TIERS } from "./provider-facts/tiers";

export type Environment = "production" | "staging";
import { ENV_TARGETS, EnvTarget } from "../policies/shared/bar";

export { ENV_TARGETS };
export type { EnvTarget };

/** A host target as earlier maps wrote it ("vercel", "cname:x", "ipv4:a", "ipv6:a") becomes the config's structured form. */
function legacyTarget(v: unknown): unknown {
  if (typeof v !== "string" || v === "vercel") return v;
  const [kind, ...rest] = v.split(":");
  const value = rest.join(":");
  return kind === "cname" || kind === "ipv4" || kind === "ipv6" ? { [kind]: value } : v;
}

const dnsRecordEntry = z.object({
  /** Fully-qualified name, e.g. "www.example.com" or "_dmarc.example.com". */
  name: z.string(),
  type: z.enum(["A", "AAAA", "CNAME", "TXT", "MX", "CAA"]),
  content: z.string(),
  proxied: z.boolean(),
  ttl: z.number(),
  priority: z.number().optional(),
  /** Why the record exists: "web", "redirect", "spf", "dkim", "dmarc", "mx", "no-mail", "verification". */
  purpose: z.string(),
  /** The record existed before the stack (zone.existingRecords): imported, and left in the zone by `pulumi destroy`. */
  adopted: z.boolean().optional(),
});

const adoptionEntry = z.object({
  kind: z.enum(["record", "ruleset"]),
  /** The record key or the ruleset's phase, as in zone.existingRecords / zone.existingRulesets. */
  key: z.string(),
  /** The record's name or the ruleset's phase. */
  name: z.string(),
  id: z.string(),
  phase: z.enum(["import", "adopted"]),
  /** In phase "import": what phase two (after `npm run adopt -- --finish`) changes, field by field. */
  changes: z.array(z.string()),
});

const hostEntry = z.object({
  hostname: z.string(),
  role: z.enum(["canonical", "redirect", "subdomain"]),
  /** What it points to: "vercel", { cname }, { ipv4 } or { ipv6 }, as in the stack config. */
  target: z.preprocess(legacyTarget, targetSchema),
  proxied: z.boolean(),
  /** For role "redirect": where it 301-redirects to (the canonical origin). */
  redirectsTo: z.string().optional(),
});

const emailSenderEntry = z.object({
  name: z.string(),
  kind: z.string(),
  /** The From domain this sender signs for; its DKIM keys live under it, e.g. "example.com". */
  sendingDomain: z.string(),
  /**
   * The name whose SPF authorises this sender: its MAIL FROM (Return-Path) domain when
   * the provider uses one, e.g. "mail.example.com" for SES, else the From domain.
   */
  spfDomain: z.string(),
  spfInclude: z.string().optional(),
  dkimSelectors: z.array(z.string()),
});

export const monitorEntrySchema = z.object({
  name: z.string(),
  url: z.string(),
  /** Text the response body must contain, when configured. */
  expect: z.string().optional(),
  critical: z.boolean(),
  /** p95 latency target in milliseconds. */
  latencyTargetMs: z.number(),
  failureThreshold: z.number(),
  intervalSeconds: z.number(),
  regions: z.array(z.string()),
  /** Route 53 measures time to first byte (chosen when the check is created). */
  measureLatency: z.boolean().optional(),
  /** Uptime target over a day (percent), and the level below which a day alerts; absent in maps of earlier releases. */
  availabilityTarget: z.number().optional(),
  availabilityAlertBelow: z.number().optional(),
});

const envEntry = z.object({
  key: z.string(),
  sensitive: z.boolean(),
  /** "generated": another resource's output fills it at deploy time (the Turnstile widget's keys). */
  source: z.enum(["secret-config", "plain", "generated"]),
  generatedBy: z.string().optional(),
  /** The secret stack config key a secret comes from, without the project namespace (e.g. "openaiApiKeyProduction"). */
  configKey: z.string().optional(),
});

/**
 * What a plan says a founder should know, each under the concern it belongs to: the handover
 * and `npm run plan` list them; a reader may pick one concern's (the order is the plan's).
 */
export const NOTE_TOPICS = ["edge", "dns", "alerts", "email", "hosting", "uptime", "secrets"] as const;
export type NoteTopic = (typeof NOTE_TOPICS)[number];
export const planNoteSchema = z.object({ topic: z.enum(NOTE_TOPICS), text: z.string() });
export type PlanNote = z.infer<typeof planNoteSchema>;

export const domainMapSchema = z.object({
  stack: z.string(),
  /** The plan's notes, every concern's in one list. */
  notes: z.array(planNoteSchema),
  environment: z.enum(["production", "staging"]),
  zone: z.object({
    name: z.string(),
    id: z.string(),
    plan: z.enum(PLAN_TIERS),
    managesZoneSettings: z.boolean().default(true),
    /** Phases whose entrypoint ruleset existed before the stack (zone.existingRulesets): imported, kept on destroy. */
    adoptedRulesets: z.array(z.string()).optional(),
    /**
     * Each adopted record and ruleset with its adoption phase: "import" (declared as the zone holds
     * it, so `pulumi up` only imports) and what phase two changes, or "adopted" (phase one is over).
     */
    adoption: z.array(adoptionEntry).optional(),
  }),
  /** e.g. "https://example.com" */
  canonicalOrigin: z.string(),
  canonicalHost: z.string(),
  hosts: z.array(hostEntry),
  records: z.array(dnsRecordEntry),
  email: z.object({
    senders: z.array(emailSenderEntry),
    /** FQDNs that send mail: each has exactly one SPF record. */
    sendingDomains: z.array(z.string()),
    /** FQDNs locked down as sending no mail. */
    nonSendingDomains: z.array(z.string()),
    dmarc: z.object({ name: z.string(), record: z.string(), policy: z.string(), rua: z.array(z.string()) }),
    /** SMTP TLS reporting (RFC 8460) where the zone receives mail; absent in earlier maps. */
    tlsReporting: z.object({ names: z.array(z.string()), record: z.string(), rua: z.array(z.string()) }).optional(),
  }),
  edge: z.object({
    hsts: z.object({ maxAge: z.number(), includeSubdomains: z.boolean(), preload: z.boolean() }),
    minTlsVersion: z.string(),
    rateLimits: z.array(z.object({ name: z.string(), paths: z.array(z.string()), requests: z.number(), periodSeconds: z.number(), action: z.string() })),
    cachedPaths: z.array(z.string()),
    bypassPaths: z.array(z.string()),
    /** Headers the edge adds where the app sends none; absent in earlier maps. */
    securityHeaders: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    /** CAA at the apex: the authorities allowed besides Cloudflare's, for which hosts; absent in earlier maps. */
    caa: z
      .object({ published: z.boolean(), issuers: z.array(z.object({ issuer: z.string(), hosts: z.array(z.string()) })), iodef: z.string().optional() })
      .optional(),
    /** The zone is DNSSEC-signed by this stack (the DS record is the stack output dnssecDs); absent in earlier maps. */
    dnssec: z.boolean().optional(),
    /** The origin lock (edge.originLock): the header Cloudflare sets and the hosts; `bypass` when turned off by choice. Absent in earlier maps. */
    originLock: z.object({ on: z.boolean(), header: z.string().optional(), hosts: z.array(z.string()), bypass: z.string().optional() }).optional(),
  }),
  hosting: z.object({
    provider: z.literal("vercel"),
    projectId: z.string(),
    /** Variable names per target; values never appear here. */
    env: z.object(Object.fromEntries(ENV_TARGETS.map((t) => [t, z.array(envEntry)])) as Record<EnvTarget, z.ZodArray<typeof envEntry>>),
  }),
  monitors: z.array(monitorEntrySchema),
  alerts: z.object({
    emails: z.array(z.string()),
    slack: z.boolean(),
    webhooks: z.number(),
    /** The AWS Chatbot Slack channel the alerts go to, when declared: workspace, channel and the Chatbot configuration's region; absent in earlier maps. */
    slackChannel: z.object({ workspaceId: z.string(), channelId: z.string(), region: z.string() }).optional(),
    /** Each webhook subscription by its key; `secretKey` names the secret config key holding a token-bearing URL (never the URL); absent in earlier maps. */
    webhookEndpoints: z.array(z.object({ name: z.string(), secretKey: z.string().optional() })).optional(),
    /** The stack's CloudWatch dashboard (every monitor's status, availability and latency against its targets); absent in earlier maps. */
    dashboardUrl: z.string().optional(),
  }),
  /** CORS origins the API accepts, checked by verify. */
  apiCorsOrigins: z.array(z.string()),
  /** True when site.apiCorsOrigins is not set and the list is its default (the canonical origin); absent in earlier maps. */
  apiCorsOriginsDefaulted: z.boolean().optional(),
  /** The Turnstile widget, when the stack declares one: the hosts it covers and the variables it fills. */
  turnstile: z.object({ domains: z.array(z.string()), mode: z.string(), siteKeyVar: z.string(), secretVar: z.string() }).optional(),
  /** Which kinds of resource carry Pulumi's `protect` option (lib/state/protect.ts); absent in earlier maps. */
  protect: z.object(Object.fromEntries(PROTECT_KINDS.map((k) => [k, z.boolean()])) as Record<ProtectKind, z.ZodBoolean>).optional(),
  /** Who owns each account and whom to call (config `owners`); absent in earlier maps. */
  owners: z
    .object({
      registrar: z.string().optional(),
      cloudflare: z.string().optional(),
      aws: z.string().optional(),
      vercel: z.string().optional(),
      mail: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
      onCall: z.string().optional(),
      escalation: z.string().optional(),
    })
    .optional(),
  /** What the declared stack costs per month at list prices (lib/cost/monthly.ts); absent in earlier maps. */
  monthlyCost: z
    .object({
      currency: z.literal("USD"),
      lines: z.array(
        z.object({ item: z.string(), quantity: z.number(), unitUsd: z.number().nullable(), monthlyUsd: z.number().nullable(), source: z.string() }),
      ),
      totalUsd: z.number(),
      notes: z.array(z.string()),
      pricesRead: z.string(),
    })
    .optional(),
});

export type DomainMap = z.infer<typeof domainMapSchema>;
export type DnsRecordEntry = DomainMap["records"][number];
export type HostEntry = DomainMap["hosts"][number];
export type EmailSenderEntry = DomainMap["email"]["senders"][number];
export type MonitorEntry = z.infer<typeof monitorEntrySchema>;

export class DomainMapError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is not a domain map:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DomainMapError";
  }
}

const KINDS: Record<string, string> = { string: "a string", boolean: "true or false", number: "a number", array: "a list", object: "an object" };

/**
 * Maps of earlier releases kept every note, untagged, in `edge.notes`: they become the top-level
 * list under "edge", where they were written.
 */
function withLegacyNotes(value: Record<string, unknown>): Record<string, unknown> {
  const edge = value.edge as { notes?: unknown } | undefined;
  if (value.notes !== undefined || typeof edge !== "object" || edge === null || !Array.isArray(edge.notes)) return value;
  const { notes, ...rest } = edge;
  return { ...value, notes: (notes as unknown[]).map((text) => ({ topic: "edge", text })), edge: rest };
}

/** Every way `value` misses the contract, as "path must be ..." lines; empty when it is a domain map. */
export function domainMapProblems(value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["the domain map must be a JSON object"];
  const parsed = domainMapSchema.safeParse(withLegacyNotes(value as Record<string, unknown>));
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => {
    const path =
      i.path
        .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
        .join("")
        .replace(/^\./, "") || "the map";
    if (i.code === "invalid_type") return `${path} must be ${KINDS[i.expected] ?? i.expected}`;
    if (i.code === "invalid_value") return `${path} must be one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
    return `${path}: ${i.message}`;
  });
}

/** The map inside stack outputs (`pulumi stack output --json`), or the value itself when it is not outputs. */
export function unwrapOutputs(json: unknown): unknown {
  return typeof json === "object" && json !== null && !Array.isArray(json) && "domainMap" in json ? (json as { domainMap: unknown }).domainMap : json;
}

/** Parses a domain map (or stack outputs holding one); throws a DomainMapError listing every problem. */
export function parseDomainMap(json: unknown, source = "input"): DomainMap {
  const candidate = unwrapOutputs(json);
  const problems = domainMapProblems(candidate);
  if (problems.length) throw new DomainMapError(source, problems);
  return domainMapSchema.parse(withLegacyNotes(candidate as Record<string, unknown>));
}
