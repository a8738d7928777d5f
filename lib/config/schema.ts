/**
 * The stack configuration, as zod schemas. Every key lives under the project's name
 * (`<project>:zone`, `<project>:site`..., ./project.ts), one schema per key.
 * Defaults are the safe choice; rules across keys live in lib/site-plan.ts and ./validate.ts.
 */
import { z } from "zod";
import { isValidDomain, relativeNameProblem } from "../../policies/shared/names";
import { isSpfDomain } from "../../policies/shared/spf";
import { SENDER_KIND_NAMES } from "../../policies/shared/senders";
import { HSTS_MIN_MAX_AGE } from "../../policies/shared/bar";
import { credentialInsteadOfKeyName, urlCredentialKind } from "../../policies/shared/secret-detect";
import { awsFacts, cloudflarePlans } from "../provider-facts";
import { PLAN_TIERS } from "../provider-facts/tiers";
import { recordInputsSchema, rulesetInputsSchema, type Adopted } from "../adopt/phases";

const CHATBOT_REGIONS = awsFacts.serviceRegions.find((s) => s.types.includes("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration"))!.regions as [
  string,
  ...string[],
];

import { FLAT_KEY_NAMES } from "./flat-keys";

/** The stack config keys, in the order they are documented and validated. */
export const CONFIG_KEYS = [
  "environment",
  "zone",
  "site",
  "subdomains",
  "edge",
  "email",
  "hosting",
  "uptime",
  "alerts",
  "turnstile",
  "protect",
  "owners",
] as const;

const hex32 = (what: string) => z.string().regex(/^[0-9a-f]{32}$/, `must be the 32-character hex ${what} (Cloudflare dashboard > Overview > API)`);

/**
 * An adopted resource in the stack file: its id alone (phase one is over), or `{ id, live }`
 * (phase one: the program declares `live`, what the zone held when `npm run adopt` read it).
 */
function adopted<Live>(what: string, live: z.ZodType<Live>) {
  const id = z.string().regex(/^[0-9a-f]{32}$/, `must be a 32-character ${what} id`);
  return z
    .union([id, z.object({ id, live }).strict()], { error: `must be a 32-character ${what} id, or { id, live } as npm run adopt writes it` })
    .transform((v): Adopted<Live> => (typeof v === "string" ? { id: v } : { id: v.id, live: v.live as Live }));
}

/** A name relative to the zone: "@" for the apex, "app" for app.<zone>. */
const relativeName = (opts: { allowService?: boolean } = {}) =>
  z.string().superRefine((name, ctx) => {
    const problem = relativeNameProblem(name, opts);
    if (problem) ctx.addIssue({ code: "custom", message: `"${name}" ${problem}` });
  });

const ipv4 = z.ipv4({ message: "must be an IPv4 address such as 203.0.113.10" });
const ipv6 = z.ipv6({ message: "must be an IPv6 address such as 2001:db8::10" });
const hostname = z.string().refine(isValidDomain, "must be a lower-case hostname such as cname.example.net");
const urlPath = z.string().regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'must be a URL path starting with "/", without query or spaces');
const email = z.email({ message: "must be an email address such as oncall@example.com" });

/**
 * The name of a secret stack config key (`pulumi config set --secret <name>`), never the
 * secret itself. A credential typed here is refused without repeating it.
 */
export const secretKeyName = z.string().superRefine((name, ctx) => {
  const credential = credentialInsteadOfKeyName(name);
  if (credential) {
    ctx.addIssue({
      code: "custom",
      message:
        `${credential}, not a config key name: write the name of a secret config key here, never the secret. ` +
        "Store the value with pulumi config set --secret <name> (a name such as stripeSecretKeyProduction; it prompts for the value), write { secret: <name> }, and rotate the credential: it was written in plain text",
    });
  } else if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(name)) {
    ctx.addIssue({
      code: "custom",
      message: "must be a config key name such as openaiApiKeyProduction: letters, digits, _ and -, starting with a letter, at most 64 characters",
    });
  } else if (([...CONFIG_KEYS, ...FLAT_KEY_NAMES] as readonly string[]).includes(name)) {
    ctx.addIssue({
      code: "custom",
      message: `names the program's own config key ${name}: give the secret a name of its own, such as ${name}Secret`,
    });
  }
});
export const secretRefSchema = z.object({ secret: secretKeyName }).strict();

/** Where a web host points: the Vercel project, a CNAME target, or an address. */
export const targetSchema = z.union([z.literal("vercel"), z.object({ cname: hostname }).strict(), z.object({ ipv4 }).strict(), z.object({ ipv6 }).strict()], {
  error: 'must be "vercel", { cname: host }, { ipv4: address } or { ipv6: address }',
});
export type Target = z.infer<typeof targetSchema>;

export const zoneSchema = z
  .object({
    /** The apex domain of the Cloudflare zone, e.g. "acmechat.dev". */
    name: z.string().refine(isValidDomain, 'must be a lower-case apex domain such as "example.com" (no scheme, no trailing dot)'),
    id: hex32("zone id"),
    accountId: hex32("account id"),
    /** The zone's plan: it decides how many rules of each kind Cloudflare accepts. */
    plan: z.enum(PLAN_TIERS).default("free"),
    /**
     * Whether this stack owns the zone-wide settings and the one entrypoint ruleset
     * per phase. Exactly one stack per zone may: a staging stack on a subdomain of the
     * production zone sets this to false and inherits production's edge rules.
     */
    manageZoneSettings: z.boolean().default(true),
    /**
     * Entrypoint rulesets that already exist in the zone, by phase, to be imported
     * (Cloudflare allows one per phase per zone, so creating another fails). Written by
     * `npm run adopt`: `{ id, live }` while phase one imports the ruleset as it is, the bare id
     * once `npm run adopt -- --finish` ended phase one (lib/adopt/phases.ts).
     */
    existingRulesets: z.record(z.string(), adopted("ruleset", rulesetInputsSchema)).default({}),
    /**
     * DNS records that already exist, to be imported instead of re-created: key as `npm run plan`
     * names the record (e.g. "www web", "@ TXT spf"); value `{ id, live }` in phase one, the
     * record id once phase one is over. Written by `npm run adopt`.
     */
    existingRecords: z.record(z.string(), adopted("DNS record", recordInputsSchema)).default({}),
    /**
     * Records the zone already holds that this stack should keep managing (`npm run adopt` lists
     * them): declared as written, never proxied unless asked.
     */
    extraRecords: z
      .array(
        z
          .object({
            name: relativeName({ allowService: true }),
            type: z.enum(["A", "AAAA", "CNAME", "TXT", "MX"]),
            content: z.string().min(1),
            priority: z.number().int().min(0).max(65535).optional(),
            proxied: z.boolean().default(false),
            /** At most the zone plan's comment length (100 characters on Free, 500 on paid plans; checked with the plan). */
            comment: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
    /** Set when the zone has Advanced Certificate Manager, which covers names deeper than one label. */
    advancedCertificate: z.boolean().default(false),
    /** Enterprise only: the zone has Advanced Rate Limiting (more rules, periods and counting characteristics). */
    advancedRateLimiting: z.boolean().default(false),
    /**
     * DNSSEC signing (cloudflare.ZoneDnssec), on every plan. Default: on for the stack that manages
     * the zone. It stays pending until the DS record (a stack output) is at the registrar.
     */
    dnssec: z.boolean().optional(),
    /**
     * CAA records at the apex: which certificate authorities may issue for the zone's names.
     * Default: on for the stack that manages the zone, allowing exactly what its hosts need
     * (Vercel's, and each DNS-only host's `caIssuers`; Cloudflare adds its own), reports to `iodef`.
     */
    caa: z
      .object({
        enabled: z.boolean().default(true),
        /** Where a CA reports a refused request. Default: the first alerts.emails address. */
        iodef: email.optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((z) => !z.advancedRateLimiting || z.plan === "enterprise", {
    path: ["advancedRateLimiting"],
    message: "only exists on Enterprise zones: remove it or set zone.plan to enterprise",
  });

export const siteSchema = z
  .object({
    /** The site's host relative to the zone: "@" for the apex (production), e.g. "staging" for staging. */
    name: relativeName().default("@"),
    /** Which host is canonical; the other 301-redirects to it (www only exists for the apex site). */
    canonical: z.enum(["apex", "www"]).default("apex"),
    /** Whether to declare the www/apex twin that redirects to the canonical host. */
    redirectTwin: z.boolean().default(true),
    target: targetSchema.default("vercel"),
    /** Path monitored on the canonical host, and text its body must contain. */
    healthPath: urlPath.default("/"),
    expect: z.string().min(1).optional(),
    /** Origins the API's CORS policy must allow (checked by `npm run verify`). Defaults to the canonical origin. */
    apiCorsOrigins: z.array(z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, "must be an https:// origin without a path")).optional(),
    /**
     * Certificate authorities (CAA issuer domains such as "letsencrypt.org" or "pki.goog") the host's
     * provider uses to issue its own certificate for this name. Required for a DNS-only host not on
     * Vercel when the zone publishes CAA records: without it the provider's renewals would be refused.
     */
    caIssuers: z.array(hostname).min(1).optional(),
  })
  .strict();

export const subdomainSchema = z
  .object({
    /** Relative name, e.g. "app", "api", "docs", "status". */
    name: relativeName(),
    target: targetSchema,
    /** Proxied through Cloudflare (WAF, cache, rate limits). Turn off only where a provider needs DNS-only. */
    proxied: z.boolean().default(true),
    /** Path monitored on this host ("/api/health" for an API). */
    healthPath: urlPath.default("/"),
    expect: z.string().min(1).optional(),
    /** An API: p95 target 500 ms instead of 2 s, and the host that verify checks CORS on. */
    api: z.boolean().default(false),
    /** Whether to monitor the host at all (e.g. off for a host that only redirects elsewhere). */
    monitor: z.boolean().default(true),
    /**
     * Certificate authorities (CAA issuer domains such as "letsencrypt.org" or "pki.goog") the host's
     * provider uses to issue its own certificate for this name. Required for a DNS-only host not on
     * Vercel when the zone publishes CAA records: without it the provider's renewals would be refused.
     */
    caIssuers: z.array(hostname).min(1).optional(),
  })
  .strict();

const PERIODS = cloudflarePlans.supportedPeriods;

export const rateLimitSchema = z
  .object({
    /** e.g. "login", "signup", "chat", "webhooks". */
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a short lower-case name such as login or chat"),
    /** Paths this limit covers; a path ending in "/" covers everything below it. */
    paths: z.array(urlPath).min(1),
    /** Requests allowed per client IP within the period. */
    requests: z.number().int().min(1).max(1_000_000),
    periodSeconds: z
      .number()
      .int()
      .refine((p) => PERIODS.includes(p), `must be one of Cloudflare's periods: ${PERIODS.join(", ")}`),
    action: z.enum(["block", "managed_challenge"]).default("block"),
  })
  .strict();

export const edgeSchema = z
  .object({
    hsts: z
      .object({
        /** Seconds; at least 6 months (HSTS_MIN_MAX_AGE). One year is the norm. */
        maxAge: z.number().int().min(HSTS_MIN_MAX_AGE, `must be at least ${HSTS_MIN_MAX_AGE} (6 months) for HSTS to protect first visits`).default(31536000),
        includeSubdomains: z.literal(true, { message: "must stay true: without it a subdomain can be downgraded to http" }).default(true),
        /** Submitting to the preload list is hard to undo: opt in deliberately. */
        preload: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    minTlsVersion: z.enum(["1.2", "1.3"]).default("1.2"),
    /**
     * Cloudflare's SSL mode toward the origin. "strict" validates the origin's certificate.
     * "full" is only for the first launch of a Vercel domain behind the proxy: Vercel
     * cannot obtain its certificate while strict mode refuses its interim one.
     */
    sslMode: z.enum(["strict", "full"]).default("strict"),
    /**
     * The zone's security_level. It no longer acts on IP reputation (Cloudflare's threat score is
     * always 0): "under_attack" turns on Under Attack mode (a challenge page for every visitor but the
     * webhook routes), every other value leaves it off (engine.json cloudflare.securityLevelIsUnderAttackOnly).
     */
    securityLevel: z.enum(["essentially_off", "low", "medium", "high", "under_attack"]).default("medium"),
    /**
     * Lets only Cloudflare reach the production deployment: a generated secret header, set by a
     * Cloudflare request-header rule on the app's hosts, that a Vercel firewall rule requires of
     * production requests (previews are untouched). Unset: on in production, off in staging.
     * false: off, and the launch report lists the bypass (`*.vercel.app`) as a trust issue.
     */
    originLock: z.boolean().optional(),
    rateLimits: z.array(rateLimitSchema).default([]),
    /**
     * Paths third parties POST to (Stripe, GitHub, Clerk...): bot checks are skipped there, since
     * a webhook sender cannot solve a challenge. The paths of a rate limit named "webhooks" count too.
     */
    webhookPaths: z.array(urlPath).default([]),
    cache: z
      .object({
        /** Path prefixes of fingerprinted static assets: eligible for cache, for as long as the origin's Cache-Control says. */
        staticPaths: z.array(urlPath).default(["/_next/static/", "/assets/", "/static/"]),
        /** File extensions cached anywhere outside the private paths. */
        staticExtensions: z
          .array(z.string().regex(/^[a-z0-9]{1,8}$/, "must be an extension without the dot, e.g. woff2"))
          .default(["css", "js", "woff2", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico"]),
        /**
         * Unset (the default): the edge keeps static assets as long as the origin's Cache-Control
         * says (Vercel sends a year, immutable, for /_next/static/), and a response carrying
         * Set-Cookie is never cached. Set: the edge ignores Cache-Control for these seconds, and
         * Cloudflare then caches a Set-Cookie response with the cookie stripped (its documented
         * behaviour); the plan says so.
         */
        edgeTtlSeconds: z.number().int().min(60).max(31536000).optional(),
        /** Unset: the origin's Cache-Control reaches the browser. Set: browsers keep static assets this long. */
        browserTtlSeconds: z.number().int().min(0).max(31536000).optional(),
        /** Never cached, whatever the origin says: API, auth, admin and webhook paths. */
        privatePaths: z.array(urlPath).default(["/api/", "/auth/", "/admin/", "/login", "/signup", "/webhooks/", "/account/"]),
      })
      .strict()
      .prefault({}),
    waf: z
      .object({
        /** Admin paths: challenged, or blocked for everyone outside adminAllowedIps when that is set. */
        adminPaths: z.array(urlPath).default(["/admin"]),
        adminAllowedIps: z
          .array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], { error: "must be an IP address or CIDR such as 203.0.113.10 or 203.0.113.0/24" }))
          .default([]),
        /**
         * The plan's bot protection: Bot Fight Mode on Free, Super Bot Fight Mode (verified bots
         * allowed) from Pro. Unset: on, except on a Free zone with webhook routes (edge.webhookPaths),
         * where Bot Fight Mode cannot be skipped and would challenge webhook senders; set true there
         * to accept that.
         */
        botFightMode: z.boolean().optional(),
        /** Block requests for files that only attackers ask for (.env, .git, wp-admin...). */
        blockProbes: z.boolean().default(true),
        /**
         * Cloudflare's managed robots.txt (BotManagement isRobotsTxtManaged), prepended to the app's own
         * robots.txt. Always declared, because the provider sends its default
         * (false) on every apply when it is left out. Default false: what every earlier apply already set,
         * so nothing flips; set true if you turned it on in the dashboard, or it is turned off again.
         */
        robotsTxtManaged: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /**
     * More rules for a phase the stack manages, after its own unless `position: first`
     * (`npm run adopt` prints the dashboard-made rules of an adopted entrypoint in this shape): e.g.
     * `http_request_firewall_custom: [{ description, expression, action }]`.
     */
    extraRules: z
      .record(
        z.string(),
        z.array(
          z
            .object({
              description: z.string().min(1),
              expression: z.string().min(1),
              action: z.string().min(1),
              actionParameters: z.record(z.string(), z.unknown()).optional(),
              enabled: z.boolean().default(true),
              /**
               * Where the rule goes: after the stack's own rules ("last"), or before them ("first"),
               * which a skip rule needs to keep skipping what follows it.
               */
              position: z.enum(["first", "last"]).default("last"),
            })
            .strict(),
        ),
      )
      .default({}),
    /**
     * Security headers added at the edge (response header transform rules) to every proxied
     * response that does not already carry them: what the app sends always wins.
     * X-Content-Type-Options comes with HSTS (security_header's nosniff).
     */
    securityHeaders: z
      .object({
        enabled: z.boolean().default(true),
        referrerPolicy: z
          .enum([
            "no-referrer",
            "same-origin",
            "strict-origin",
            "strict-origin-when-cross-origin",
            "no-referrer-when-downgrade",
            "origin",
            "origin-when-cross-origin",
          ])
          .default("strict-origin-when-cross-origin"),
        /** X-Frame-Options and CSP frame-ancestors: "DENY" (never framed) or "SAMEORIGIN" (framed by the site itself). */
        frameOptions: z.enum(["DENY", "SAMEORIGIN"]).default("SAMEORIGIN"),
        /** Browser features no page of the site may use; a voice feature needs microphone=(self). */
        permissionsPolicy: z.string().min(1).default("camera=(), microphone=(), geolocation=()"),
        /**
         * A Content-Security-Policy sent as Content-Security-Policy-Report-Only: browsers report what it
         * would block and block nothing. Ramp to enforcing in the handover's order.
         */
        contentSecurityPolicyReportOnly: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** The sender kinds: one a provider in the mail sender catalogue (policies/shared/mail-senders.json), plus custom. */
export const SENDER_KINDS = SENDER_KIND_NAMES as [string, ...string[]];

export const senderSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a short lower-case name such as ses or google"),
    kind: z.enum(SENDER_KINDS),
    /** The From domain (relative to the zone) this sender signs for: its DKIM keys live here. */
    domain: relativeName().default("@"),
    /**
     * The envelope (Return-Path) name, relative to the zone, when it is not the catalogue's default
     * (Resend "send" and Postmark "pm-bounces" below the sending domain): SES's custom MAIL FROM
     * ("mail"), SendGrid's em<digits>, Customer.io's cio<digits>. The catalogue says what it holds:
     * its own SPF and MX, or a CNAME to the provider.
     */
    mailFrom: relativeName().optional(),
    /** The CNAME target the provider shows for the return-path name when the catalogue cannot know it (SendGrid: u123.wl45.sendgrid.net). */
    mailFromTarget: hostname.optional(),
    /** The provider's region where a record depends on it (Resend, SES: the bounce MX feedback-smtp.<region>.amazonses.com). */
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be the region the provider's dashboard shows, such as us-east-1 or eu-west-1")
      .optional(),
    /**
     * The SPF include that authorises the sender, for a custom sender or where the catalogue has none (Zoho, Loops);
     * unset, the catalogue's. RFC 7208 names: "_spf.salesforce.com" is fine.
     */
    spfInclude: z.string().refine(isSpfDomain, 'must be the lower-case domain of an SPF include, such as "_spf.google.com" or "amazonses.com"').optional(),
    ip4: z.array(z.string()).default([]),
    /** DKIM keys as the provider gives them. */
    dkim: z
      .array(
        z
          .object({
            selector: z
              .string()
              .regex(/^[a-z0-9][a-z0-9._-]*$/i, "must be the DKIM selector the provider gave, e.g. google or abc123._domainkey without the domain"),
            type: z.enum(["CNAME", "TXT"]),
            value: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    /** Other records the provider asks for (verification TXT, MAIL FROM MX...). */
    records: z
      .array(
        z
          .object({
            name: relativeName({ allowService: true }),
            type: z.enum(["TXT", "MX", "CNAME"]),
            content: z.string().min(1),
            priority: z.number().int().min(0).max(65535).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const emailSchema = z
  .object({
    senders: z.array(senderSchema).default([]),
    /** How SPF ends: "~all" (soft fail, the usual with DMARC) or "-all". "+all" and "?all" do not exist here. */
    spfAll: z.enum(["~all", "-all"]).default("~all"),
    dmarc: z
      .object({
        /** Start at "none" with reporting, move to quarantine then reject once reports are clean. */
        policy: z.enum(["none", "quarantine", "reject"]).default("none"),
        subdomainPolicy: z.enum(["none", "quarantine", "reject"]).optional(),
        /** Aggregate report addresses (required: a DMARC without reports tells you nothing). */
        rua: z.array(email).min(1, "needs at least one address: DMARC without reports tells you nothing"),
        ruf: z.array(email).default([]),
        pct: z.number().int().min(0).max(100).optional(),
      })
      .strict(),
    /** Inbound mail for the apex (e.g. Google Workspace: smtp.google.com priority 1). Without it the apex gets a null MX. */
    mx: z.array(z.object({ priority: z.number().int().min(0).max(65535), host: hostname }).strict()).default([]),
    /** More names to lock down as sending no mail, besides the web hosts that don't send. */
    lockDown: z.array(relativeName()).default([]),
    /**
     * SMTP TLS reporting (RFC 8460) for a zone that receives mail (email.mx): a `_smtp._tls` TXT
     * asking sending servers to report TLS failures. Default: on, to the DMARC report addresses.
     */
    tlsReporting: z
      .object({
        enabled: z.boolean().default(true),
        rua: z.array(email).min(1).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** An env var value: plain text, or the name of a secret stack config key. */
export const envValueSchema = z.union([z.string(), secretRefSchema], { error: "must be a string or { secret: configKeyName }" });
export type EnvValue = z.infer<typeof envValueSchema>;

const envMap = z.record(z.string(), envValueSchema).default({});

export const hostingSchema = z
  .object({
    provider: z.literal("vercel").default("vercel"),
    projectId: z.string().regex(/^prj_[A-Za-z0-9]+$/, 'must be the Vercel project id ("prj_...", Project > Settings > General)'),
    teamId: z
      .string()
      .regex(/^team_[A-Za-z0-9]+$/, 'must be the Vercel team id ("team_...")')
      .optional(),
    /** Env vars per Vercel target; each target gets its own variables and never shares a secret with another. */
    env: z.object({ production: envMap, preview: envMap, development: envMap }).strict().prefault({}),
  })
  .strict();

export const uptimeSchema = z
  .object({
    /** Route 53 checker regions: at least 3. */
    regions: z
      .array(z.enum(["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"]))
      .min(3, "needs at least 3 regions (Route 53's minimum)")
      .default(["us-east-1", "eu-west-1", "ap-southeast-1"]),
    /** Consecutive failures before a checker calls the endpoint unhealthy. */
    failureThreshold: z.number().int().min(2, "must be at least 2 so one blip does not page anyone").max(10).default(3),
    intervalSeconds: z.union([z.literal(10), z.literal(30)]).default(30),
    /**
     * Route 53 measures time to first byte from each checker region (the latency behind the
     * latency targets). Decided when a check is created: measureLatency, type and
     * requestInterval force a replacement, and latency cannot be added to an existing check.
     */
    measureLatency: z.boolean().default(true),
    /** The uptime each monitor aims for, in percent over a day (the launch bar: 99.9 once live). */
    availabilityTarget: z.number().min(90).max(100).default(99.9),
    /**
     * Alert when a day's availability falls below this (percent): catches a flapping endpoint that
     * never stays down long enough for the down alarm. At most the target.
     */
    availabilityAlertBelow: z.number().min(50).max(100).default(99.5),
    /** Critical endpoints beyond each host's health path: auth callback, chat route, webhooks. */
    endpoints: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a short lower-case name such as auth-callback"),
            /** The host relative to the zone; unset, the canonical host ("@" or "www"). */
            host: relativeName().optional(),
            path: urlPath,
            expect: z.string().min(1).optional(),
            /** p95 latency target; default 500 ms for API paths, 2000 ms otherwise. */
            latencyTargetMs: z.number().int().min(50).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .refine((u) => u.availabilityAlertBelow <= u.availabilityTarget, {
    path: ["availabilityAlertBelow"],
    message: "must be at most uptime.availabilityTarget: the alert fires below the target, not above it",
  });

/** A plain https URL that carries no credential of its own (those go in secret config). */
const publicHttpsUrl = z
  .string()
  .regex(/^https:\/\/\S+$/, "must be an https:// URL")
  .superRefine((url, ctx) => {
    const kind = urlCredentialKind(url);
    if (kind) {
      ctx.addIssue({
        code: "custom",
        message:
          `is ${kind}: in plain text it would sit in the stack file, the state and the plan. ` +
          "Store it as a secret: pulumi config set --secret <name> (a name such as pagerdutyAlertUrl; it prompts for the URL), then write { name: <short name>, url: { secret: <name> } }; " +
          "an alert webhook already deployed keeps its subscription when named by its URL's host",
      });
    }
  });
const webhookUrl = z.union([publicHttpsUrl, secretRefSchema], { error: "must be an https:// URL or { secret: configKeyName }" });

/** What `alerts` needs: any one channel is enough. */
export const ALERT_CHANNELS = "emails: [address], slack: { workspaceId, channelId } or webhooks: [https URL | { secret: configKeyName } | { name, url }]";
const NO_ALERT_CHANNEL = `names no channel, so a monitor would alert nobody: give it at least one of ${ALERT_CHANNELS}`;

export const alertsSchema = z
  .object({
    /** People who get the alerts; each must confirm the SNS subscription email once. Any one channel (emails, slack, webhooks) is enough. */
    emails: z.array(email).default([]),
    /** AWS Chatbot Slack channel (the workspace must be authorised once in the AWS Chatbot console). */
    slack: z
      .object({
        workspaceId: z.string().regex(/^T[A-Z0-9]+$/, 'must be the Slack workspace id ("T...")'),
        channelId: z.string().regex(/^[CG][A-Z0-9]+$/, 'must be the Slack channel id ("C...")'),
        /**
         * Where the AWS Chatbot configuration is created: the service's API exists only in a
         * few regions (lib/provider-facts/aws.json). The alert topic stays in us-east-1.
         */
        region: z.enum(CHATBOT_REGIONS).default("us-east-2"),
      })
      .strict()
      .optional(),
    /**
     * HTTPS endpoints subscribed to the alert topic (PagerDuty, Opsgenie...): a URL, named by
     * its host, { secret: configKey } for a URL that carries its token (named by the key), or
     * { name, url } where url is either. The name keys the subscription, so reordering the list
     * replaces nothing. A token-bearing URL in plain text is refused.
     */
    webhooks: z
      .array(
        z.union(
          [
            publicHttpsUrl,
            secretRefSchema,
            // A host is a valid name too: a URL moved into secret config keeps its subscription when named by the host it was keyed by.
            z
              .object({
                name: z.string().regex(/^[a-z][a-z0-9.-]*$/, "must be a short lower-case name such as pagerduty (or the host the URL was keyed by)"),
                url: webhookUrl,
              })
              .strict(),
          ],
          { error: "must be an https:// URL, { secret: configKeyName } or { name, url }" },
        ),
      )
      .default([]),
  })
  .strict()
  .refine((a) => a.emails.length > 0 || a.slack !== undefined || a.webhooks.length > 0, { message: NO_ALERT_CHANNEL });

/** Cloudflare Turnstile on signup and login: one widget for the site's Vercel hosts, its keys into Vercel's production env. */
export const turnstileSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** "managed" (Cloudflare decides whether to show a checkbox), "non-interactive" or "invisible". */
    mode: z.enum(["managed", "non-interactive", "invisible"]).default("managed"),
    /** The browser-exposed variable that carries the site key. */
    siteKeyVar: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .default("NEXT_PUBLIC_TURNSTILE_SITE_KEY"),
    /** The sensitive server variable that carries the secret the server verifies tokens with. */
    secretVar: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .default("TURNSTILE_SECRET_KEY"),
  })
  .strict();

/**
 * Pulumi's `protect` option on what breaks the product when lost: the engine refuses to delete or
 * replace a protected resource (lib/provider-facts/engine.json protectRefusesDelete) until someone runs
 * `pulumi state unprotect <URN>` on purpose. Each kind defaults to on in production and off in staging;
 * set one to false to turn it off (e.g. while moving the site to another zone).
 */
export const protectSchema = z
  .object({
    /** The canonical host's and the subdomains' web records. */
    records: z.boolean().optional(),
    /** MX and every SPF, DKIM, DMARC and TLS-RPT record (and the "sends no mail" records). */
    mail: z.boolean().optional(),
    /** The zone's DNSSEC signing (cloudflare.ZoneDnssec): deleting it while the DS is at the registrar takes the domain offline. */
    dnssec: z.boolean().optional(),
    /** The Turnstile widget: a new one has new keys, and the app's signup and login fail until it is redeployed. */
    turnstile: z.boolean().optional(),
    /** The alert SNS topic: a new one loses every confirmed email subscription. */
    alerts: z.boolean().optional(),
  })
  .strict();

/** A person and how to reach them, as the founder writes it: "Dana Lee <dana@mybot.ai>, +1 555 0100". */
const contact = z
  .string()
  .trim()
  .min(3, 'must name a person and how to reach them, e.g. "Dana Lee <dana@mybot.ai>"')
  .max(200)
  .refine((c) => !/[\r\n]/.test(c), "must be one line");

/**
 * Who owns each account the launch depends on, and whom to call: shown in the launch report and
 * the handover. Optional, but the report lists each system the stack uses with no owner as a
 * trust issue (a lost password nobody can reset is an outage nobody can fix).
 */
export const ownersSchema = z
  .object({
    /** The domain registrar's account (nameservers, DS record, renewal). */
    registrar: contact.optional(),
    /** The Cloudflare account that holds the zone. */
    cloudflare: contact.optional(),
    /** The AWS account of the uptime monitors and alerts. */
    aws: contact.optional(),
    /** The Vercel team or account of the project. */
    vercel: contact.optional(),
    /** Each mail provider's account, by sender name (email.senders[].name), or one contact for all of them. */
    mail: z.union([contact, z.record(z.string(), contact)], { error: "must be a contact, or a map of sender name to contact" }).optional(),
    /** Who is paged first when something breaks. */
    onCall: contact.optional(),
    /** Who is called when on-call cannot fix it. */
    escalation: contact.optional(),
  })
  .strict();

export const stackConfigSchema = z.object({
  environment: z.enum(["production", "staging"]),
  zone: zoneSchema,
  site: siteSchema.prefault({}),
  subdomains: z.array(subdomainSchema).default([]),
  edge: edgeSchema.prefault({}),
  email: emailSchema.optional(),
  hosting: hostingSchema,
  uptime: uptimeSchema.prefault({}),
  alerts: alertsSchema,
  turnstile: turnstileSchema.prefault({}),
  protect: protectSchema.prefault({}),
  owners: ownersSchema.prefault({}),
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
/** The stack config as written (defaults not yet applied): what `sitePlan` takes in a program. */
export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type ZoneConfig = StackConfig["zone"];
export type SiteConfig = StackConfig["site"];
export type SubdomainConfig = z.infer<typeof subdomainSchema>;
export type EdgeConfig = StackConfig["edge"];
export type RateLimitConfig = z.infer<typeof rateLimitSchema>;
export type EmailConfig = z.infer<typeof emailSchema>;
export type SenderConfig = z.infer<typeof senderSchema>;
export type HostingConfig = z.infer<typeof hostingSchema>;
export type UptimeConfig = z.infer<typeof uptimeSchema>;
export type AlertsConfig = z.infer<typeof alertsSchema>;
export type TurnstileConfig = z.infer<typeof turnstileSchema>;
export type ProtectConfig = z.infer<typeof protectSchema>;
export type OwnersConfig = z.infer<typeof ownersSchema>;

/**
 * What each required key and each list item holds, as messages and README's config reference say it
 * (test/program/config-shapes.test.ts checks both against the schemas). Keys are config paths with
 * list items written `[]`; a problem inside an item gets its item's shape.
 */
export const SHAPES: Readonly<Record<string, string>> = {
  environment: "`environment` is production or staging",
  zone: "`zone` needs `name`, `id` and `accountId` (`plan` defaults to free)",
  "zone.extraRecords[]": "an extra record needs `name`, `type` (A, AAAA, CNAME, TXT or MX) and `content` (`priority` for MX; `proxied`, `comment` optional)",
  subdomains: "`subdomains` is a list of `{ name, target }`",
  "subdomains[]": 'a subdomain needs `name` and `target` ("vercel", `{ cname: host }`, `{ ipv4: address }` or `{ ipv6: address }`)',
  "edge.rateLimits": "`rateLimits` is a list of `{ name, paths, requests, periodSeconds }`",
  "edge.rateLimits[]": "a rate limit needs `name`, `paths` (a list of paths), `requests` and `periodSeconds` (`action` defaults to block)",
  "edge.extraRules.*[]": "an extra rule needs `description`, `expression` and `action` (`actionParameters`, `enabled`, `position` optional)",
  "email.senders": "`senders` is a list of `{ name, kind }`",
  "email.senders[]": `a sender needs \`name\` and \`kind\` (${SENDER_KINDS.join(", ")}); \`dkim\` is a list of \`{ selector, type, value }\`, \`records\` a list of \`{ name, type, content }\``,
  "email.senders[].dkim": "`dkim` is a list of `{ selector, type, value }` (type CNAME or TXT), as the provider gives them",
  "email.senders[].dkim[]": "a DKIM key needs `selector`, `type` (CNAME or TXT) and `value`",
  "email.senders[].records[]": "a sender's record needs `name`, `type` (TXT, MX or CNAME) and `content` (`priority` for MX)",
  "email.dmarc": "`dmarc` needs `rua`, a list of report addresses (`policy` defaults to none)",
  "email.mx": "`mx` is a list of `{ priority, host }`, e.g. `{ priority: 1, host: smtp.google.com }`",
  "email.mx[]": "an MX needs `priority` and `host`, e.g. `{ priority: 1, host: smtp.google.com }`",
  hosting: "`hosting` needs `projectId` (the Vercel project, prj_...); `teamId` and `env` optional",
  "uptime.endpoints": "`endpoints` is a list of `{ name, path }`",
  "uptime.endpoints[]": "an endpoint needs `name` and `path` (`host`, `expect`, `latencyTargetMs` optional)",
  alerts: `\`alerts\` needs at least one channel: ${ALERT_CHANNELS}`,
  "alerts.slack": "`slack` needs `workspaceId` (T...) and `channelId` (C...); `region` optional",
};
