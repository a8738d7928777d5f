/**
 * Generated stack configs for the benchmark: one site per stack (the program declares
 * one site per stack), each on its own zone brandNN.example with 8 subdomains and
 * 2 email senders, in the shape of Pulumi.prod.yaml (see lib/config/schema.ts).
 * Deterministic: site i always gets the same config.
 */
import { createHash } from "crypto";
import { PLAN_TIERS } from "../../lib/provider-facts/tiers";
import { projectName } from "../offline/stack-config";

export const SUBDOMAINS = ["app", "api", "docs", "status", "blog", "help", "admin", "cdn"] as const;
export const SENDERS = 2;
/** The zone plans the generated stacks cycle through, so every plan tier goes through the conformance stage. */
export const BENCH_PLANS = PLAN_TIERS;

export interface GeneratedStack {
  /** Stack name, e.g. "brand07". */
  stack: string;
  zone: string;
  /** The parsed stack file, as planStack's `stackFile` option takes it. */
  stackFile: { config: Record<string, unknown> };
}

const hex32 = (seed: string) => createHash("sha256").update(seed).digest("hex").slice(0, 32);
const alnum = (seed: string, n: number) =>
  createHash("sha256")
    .update(seed)
    .digest("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, n);

/** The config of site `i` (1-based). */
export function generateStack(i: number): GeneratedStack {
  const id = String(i).padStart(2, "0");
  const stack = `brand${id}`;
  const zone = `brand${id}.example`;
  const P = projectName();
  const subdomains = [
    { name: "app", target: "vercel", healthPath: "/login" },
    { name: "api", target: "vercel", api: true, healthPath: "/api/health", expect: '"status":"ok"' },
    { name: "docs", target: { cname: "hosting.gitbook.io" }, proxied: false, caIssuers: ["letsencrypt.org", "pki.goog"] },
    { name: "status", target: { cname: "statuspage.betteruptime.com" }, proxied: false, caIssuers: ["letsencrypt.org"] },
    { name: "blog", target: { cname: "domains.ghost.io" } },
    { name: "help", target: { cname: "custom.intercom.help" } },
    { name: "admin", target: "vercel", healthPath: "/admin/health" },
    { name: "cdn", target: { cname: `${stack}.b-cdn.net` } },
  ];
  const ses = [1, 2, 3].map((k) => alnum(`${stack}-ses-${k}`, 32).toLowerCase());
  const config: Record<string, unknown> = {
    "aws:region": "us-east-1",
    [`${P}:environment`]: "production",
    [`${P}:zone`]: { name: zone, id: hex32(`${stack}-zone`), accountId: hex32("bench-account"), plan: BENCH_PLANS[i % BENCH_PLANS.length] },
    [`${P}:site`]: {
      name: "@",
      canonical: "apex",
      target: "vercel",
      healthPath: "/",
      expect: `Brand ${id}`,
      apiCorsOrigins: [`https://${zone}`, `https://app.${zone}`],
    },
    [`${P}:subdomains`]: subdomains,
    [`${P}:edge`]: {
      hsts: { maxAge: 31536000, includeSubdomains: true, preload: false },
      minTlsVersion: "1.2",
      rateLimits: [
        { name: "login", paths: ["/api/auth/signin", "/login"], requests: 5, periodSeconds: 60, action: "managed_challenge" },
        { name: "signup", paths: ["/api/auth/signup", "/signup"], requests: 3, periodSeconds: 60 },
        { name: "chat", paths: ["/api/chat"], requests: 20, periodSeconds: 60 },
        { name: "webhooks", paths: ["/api/webhooks/"], requests: 100, periodSeconds: 60 },
      ],
      cache: {
        staticPaths: ["/_next/static/", "/_next/image", "/assets/", "/fonts/"],
        privatePaths: ["/api/", "/auth/", "/admin/", "/login", "/signup", "/account/", "/webhooks/"],
      },
      waf: { adminPaths: ["/admin"] },
    },
    [`${P}:email`]: {
      senders: [
        {
          name: "google",
          kind: "google-workspace",
          dkim: [{ selector: "google", type: "TXT", value: `v=DKIM1; k=rsa; p=${alnum(`${stack}-dkim`, 40)}IDAQAB` }],
        },
        {
          name: "ses",
          kind: "amazon-ses",
          mailFrom: "mail",
          dkim: ses.map((s) => ({ selector: s, type: "CNAME", value: `${s}.dkim.amazonses.com` })),
          records: [{ name: "mail", type: "MX", content: "feedback-smtp.us-east-1.amazonses.com", priority: 10 }],
        },
      ],
      spfAll: "~all",
      dmarc: { policy: "quarantine", rua: [`dmarc-reports@${zone}`] },
      mx: [{ priority: 1, host: "smtp.google.com" }],
    },
    [`${P}:hosting`]: {
      provider: "vercel",
      projectId: `prj_Brand${id}${alnum(`${stack}-prj`, 8)}`,
      teamId: "team_BenchFounder01",
      env: {
        production: {
          NEXT_PUBLIC_SITE_URL: `https://${zone}`,
          NEXTAUTH_URL: `https://${zone}`,
          OPENAI_API_KEY: { secret: "openaiApiKeyProduction" },
          DATABASE_URL: { secret: "databaseUrlProduction" },
          NEXTAUTH_SECRET: { secret: "nextauthSecretProduction" },
        },
        preview: { OPENAI_API_KEY: { secret: "openaiApiKeyPreview" }, DATABASE_URL: { secret: "databaseUrlPreview" } },
        development: { NEXT_PUBLIC_SITE_URL: "http://localhost:3000" },
      },
    },
    [`${P}:uptime`]: {
      regions: ["us-east-1", "eu-west-1", "ap-southeast-1"],
      failureThreshold: 3,
      intervalSeconds: 30,
      endpoints: [
        { name: "auth-callback", host: "@", path: "/api/auth/providers", expect: "google" },
        { name: "chat", host: "api", path: "/api/chat/health", expect: "ok" },
      ],
    },
    [`${P}:alerts`]: { emails: [`oncall@${zone}`], slack: { workspaceId: "T04BENCHFOUNDER", channelId: "C05ALERTS01" } },
  };
  return { stack, zone, stackFile: { config } };
}

/** Sites 1..n. */
export function generateEstate(n: number): GeneratedStack[] {
  return Array.from({ length: n }, (_, k) => generateStack(k + 1));
}

/** Host names a generated site serves: the apex, www (redirect twin) and the 8 subdomains. */
export function expectedHosts(g: GeneratedStack): string[] {
  return [g.zone, `www.${g.zone}`, ...SUBDOMAINS.map((s) => `${s}.${g.zone}`)];
}
