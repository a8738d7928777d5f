/**
 * The domain map: what the stack declares, as plain JSON. It is a stack output of the
 * program (`pulumi stack output domainMap --json`) and part of the offline plan's
 * `--json`, and it is what `verify` checks against the live internet and what
 * `handover` writes up. It never holds a secret value.
 */

export type Environment = "production" | "staging";
export type PlanTier = "free" | "pro" | "business" | "enterprise";
export type EnvTarget = "production" | "preview" | "development";

export interface DnsRecordEntry {
  /** Fully-qualified name, e.g. "www.example.com" or "_dmarc.example.com". */
  name: string;
  type: "A" | "AAAA" | "CNAME" | "TXT" | "MX" | "CAA";
  content: string;
  proxied: boolean;
  ttl: number;
  priority?: number;
  /** Why the record exists: "web", "redirect", "spf", "dkim", "dmarc", "mx", "no-mail", "verification". */
  purpose: string;
  /** The record existed before the stack (zone.existingRecords): imported, and left in the zone by `pulumi destroy`. */
  adopted?: boolean;
}

export interface HostEntry {
  hostname: string;
  role: "canonical" | "redirect" | "subdomain";
  /** What it points to: "vercel", "cname:<target>", "ipv4:<addr>", "ipv6:<addr>". */
  target: string;
  proxied: boolean;
  /** For role "redirect": where it 301-redirects to (the canonical origin). */
  redirectsTo?: string;
}

export interface EmailSenderEntry {
  name: string;
  kind: string;
  /** The From domain this sender signs for; its DKIM keys live under it, e.g. "example.com". */
  sendingDomain: string;
  /**
   * The name whose SPF authorises this sender: its MAIL FROM (Return-Path) domain when
   * the provider uses one, e.g. "mail.example.com" for SES, else the From domain.
   */
  spfDomain: string;
  spfInclude?: string;
  dkimSelectors: string[];
}

export interface MonitorEntry {
  name: string;
  url: string;
  /** Text the response body must contain, when configured. */
  expect?: string;
  critical: boolean;
  /** p95 latency target in milliseconds. */
  latencyTargetMs: number;
  failureThreshold: number;
  intervalSeconds: number;
  regions: string[];
  /** Route 53 measures time to first byte (chosen when the check is created). */
  measureLatency?: boolean;
}

export interface DomainMap {
  stack: string;
  environment: Environment;
  zone: { name: string; id: string; plan: PlanTier; managesZoneSettings: boolean };
  /** e.g. "https://example.com" */
  canonicalOrigin: string;
  canonicalHost: string;
  hosts: HostEntry[];
  records: DnsRecordEntry[];
  email: {
    senders: EmailSenderEntry[];
    /** FQDNs that send mail: each has exactly one SPF record. */
    sendingDomains: string[];
    /** FQDNs locked down as sending no mail. */
    nonSendingDomains: string[];
    dmarc: { name: string; record: string; policy: string; rua: string[] };
  };
  edge: {
    hsts: { maxAge: number; includeSubdomains: boolean; preload: boolean };
    minTlsVersion: string;
    rateLimits: Array<{ name: string; paths: string[]; requests: number; periodSeconds: number; action: string }>;
    cachedPaths: string[];
    bypassPaths: string[];
    notes: string[];
  };
  hosting: {
    provider: "vercel";
    projectId: string;
    /**
     * Variable names per target; values never appear here. `configKey` names the
     * secret stack config key a secret comes from, without the project namespace
     * (e.g. "openaiApiKeyProduction" for `launch-ready:openaiApiKeyProduction`).
     */
    env: Record<EnvTarget, Array<{ key: string; sensitive: boolean; source: "secret-config" | "plain"; configKey?: string }>>;
  };
  monitors: MonitorEntry[];
  alerts: { emails: string[]; slack: boolean; webhooks: number };
  /** CORS origins the API accepts, checked by verify. */
  apiCorsOrigins: string[];
}
