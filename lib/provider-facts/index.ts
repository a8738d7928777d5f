/**
 * Facts about the providers and the engine that the program and the conformance stage
 * rely on, as data with their sources (README, "Conformance"). Each file names the
 * provider package version it was read for; test/lib/provider-facts.test.ts fails when
 * the installed package has moved on, so the data is re-read rather than trusted stale.
 *
 * The JSON files are committed data, so the same test parses each against its schema
 * below (FACT_FILES); the program only types them, and pays no validation at start-up,
 * on the real `pulumi up` included.
 */
import { z } from "zod";
import awsJson from "./aws.json";
import cloudflareJson from "./cloudflare.json";
import plansJson from "./cloudflare-plans.json";
import engineJson from "./engine.json";
import vercelJson from "./vercel.json";
// Lives in the policy pack (self-contained), which judges hand-written stacks with the same fact.
import caJson from "../../policies/shared/certificate-authorities.json";
import pricesJson from "./prices.json";
import webChecksJson from "./web-checks.json";
import caaIdentifiersJson from "./caa-identifiers.json";
import { secretScanningJson, secretScanningSchema } from "./secret-scanning-facts";
// The mail sender catalogue also lives in the pack: its dkim-for-spf-senders policy reads it.
import mailSendersJson from "../../policies/shared/mail-senders.json";

/** One rule about the values a property may take. `path` uses the SDK's input names; `[]` walks a list. */
export const valueRuleSchema = z
  .object({
    path: z.string().min(1),
    source: z.string().min(1),
    oneOf: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    caseInsensitive: z.boolean().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    minLength: z.number().int().optional(),
    maxLength: z.number().int().optional(),
    minItems: z.number().int().optional(),
    maxItems: z.number().int().optional(),
    pattern: z.string().optional(),
    mustInclude: z.string().optional(),
    /** The API returns the list sorted: declared in any other order, it differs from the state on every refresh. */
    sorted: z.boolean().optional(),
    oneOfOrRange: z
      .object({ oneOf: z.array(z.number()), min: z.number(), max: z.number() })
      .strict()
      .optional(),
    oneOfOrMultipleOf: z
      .object({ oneOf: z.array(z.number()), multipleOf: z.number() })
      .strict()
      .optional(),
    /** The rule applies only to rules (list items) whose `action` is this value. */
    requiresAction: z.string().optional(),
    /** The rule applies only when this sibling boolean property is true. */
    whenTrue: z.string().optional(),
    /** The rule applies only when the resource's `type` is one of these. */
    whenTypeIn: z.array(z.string()).optional(),
    /** The rule applies only when `targets` includes this value. */
    whenTargetsInclude: z.string().optional(),
  })
  .strict();
export type ValueRule = z.infer<typeof valueRuleSchema>;

const resourceFactsSchema = z
  .object({
    replaceOnChanges: z.object({ props: z.array(z.string()), source: z.string().min(1) }).strict(),
    values: z.array(valueRuleSchema),
    /** Replace-forcing properties whose live value an adopted (imported) resource keeps: they must be in ignoreChanges. */
    importMustIgnore: z
      .object({ props: z.array(z.string()), source: z.string().min(1) })
      .strict()
      .optional(),
    /** Optional properties with a schema default the provider sends on every apply when left out: they must be declared. */
    applyDefaults: z
      .object({ props: z.array(z.string()), source: z.string().min(1) })
      .strict()
      .optional(),
    /** Optional, not computed properties whose live value differs from any declared one for a while: declared, they need ignoreChanges. */
    refreshDrift: z
      .object({ props: z.array(z.string()), source: z.string().min(1) })
      .strict()
      .optional(),
    /** How the API's field names (what `npm run adopt` reads) become the SDK's: renames by `parent.key` or `key`, and maps whose keys are data. */
    apiNames: z
      .object({ renames: z.record(z.string(), z.string()), keptMapKeys: z.array(z.string()), source: z.string().min(1) })
      .strict()
      .optional(),
    notes: z.array(z.string()).optional(),
  })
  .strict();
export type ResourceFacts = z.infer<typeof resourceFactsSchema>;

const upstreamSchema = z.object({ repo: z.string(), ref: z.string(), how: z.string() }).strict();

const providerFactsSchema = z
  .object({
    provider: z.string(),
    package: z.string(),
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    upstream: upstreamSchema,
    resources: z.record(z.string(), resourceFactsSchema),
  })
  .passthrough();

const settingRuleSchema = z.union([z.object({ oneOf: z.array(z.string()) }).strict(), z.object({ schema: z.record(z.string(), z.unknown()) }).strict()]);

const headerFact = z.object({ name: z.string(), source: z.string().min(1) });
const cloudflareFactsSchema = providerFactsSchema.extend({
  zoneSettings: z.object({ source: z.string(), settings: z.record(z.string(), settingRuleSchema), otherIds: z.array(z.string()) }).strict(),
  /** Response headers Cloudflare sets that verify reads: a challenge page, a cache hit. */
  edgeResponses: z
    .object({ challengeHeader: headerFact.extend({ value: z.string() }).strict(), cacheStatusHeader: headerFact.extend({ hit: z.string() }).strict() })
    .strict(),
});
export const cloudflareFacts = cloudflareJson as unknown as z.infer<typeof cloudflareFactsSchema>;

const vercelFactsSchema = providerFactsSchema.extend({
  /** What Vercel asks of a proxy in front of it: paths it must pass untouched. */
  reverseProxy: z.object({ acmeChallengePath: z.string(), wellKnownVercelPath: z.string(), source: z.string().min(1), notes: z.array(z.string()) }).strict(),
  /** The origin lock's mechanism, why it was chosen, and the path prefix it never denies. */
  originLock: z.object({ wellKnownPrefix: z.string(), decision: z.string().min(1), source: z.string().min(1) }).strict(),
});
export const vercelFacts = vercelJson as unknown as z.infer<typeof vercelFactsSchema>;

const awsFactsSchema = providerFactsSchema.extend({
  serviceRegions: z.array(z.object({ service: z.string(), types: z.array(z.string()), regions: z.array(z.string()).min(1), source: z.string() }).strict()),
  metricRegions: z.array(
    z
      .object({
        namespace: z.string(),
        metrics: z.array(z.string()),
        regions: z.array(z.string()).min(1),
        source: z.string(),
        /** The statistics the namespace's metrics have (an alarm on another one never gets data). */
        statistics: z.array(z.string()).optional(),
        statisticsSource: z.string().optional(),
      })
      .strict(),
  ),
  globalTypes: z.array(z.string()),
});
export const awsFacts = awsJson as unknown as z.infer<typeof awsFactsSchema>;

const tierLimitsSchema = z
  .object({
    label: z.string(),
    rateLimitRules: z.number().int().positive(),
    maxRateLimitPeriod: z.number().int().positive(),
    maxMitigationTimeout: z.number().int().positive(),
    /** null: any characteristic (Advanced Rate Limiting). */
    rateLimitCharacteristics: z.array(z.string()).nullable(),
    /** null: every request field. */
    rateLimitExpressionFields: z.array(z.string()).nullable(),
    customRules: z.number().int().positive(),
    cacheRules: z.number().int().positive(),
    redirectRules: z.number().int().positive(),
    compressionRules: z.number().int().positive(),
    responseHeaderRules: z.number().int().positive(),
    managedRuleset: z.boolean(),
    regex: z.boolean(),
    bots: z.enum(["bot_fight_mode", "super_bot_fight_mode_pro", "super_bot_fight_mode_business"]),
    /** Characters a DNS record's comment may have (sources.recordComments). */
    recordCommentLength: z.number().int().positive(),
    /** Tags a DNS record may carry; 0: the plan has no record tags (sources.recordTags). */
    recordTags: z.number().int().min(0),
    /** DNS records a zone may hold, the stack's and everyone else's (sources.recordsPerZone). */
    recordsPerZone: z.number().int().positive(),
    /** Whether a record may set its own CNAME flattening (settings.flattenCname; sources.cnameFlattening). */
    cnameFlatteningPerRecord: z.boolean(),
  })
  .strict();
export type TierLimitsRow = z.infer<typeof tierLimitsSchema>;

import { TIERS, Tier } from "./tiers";
export { TIERS, isTier } from "./tiers";
export type { Tier } from "./tiers";

const cloudflarePlansSchema = z
  .object({
    provider: z.literal("cloudflare"),
    what: z.string(),
    read: z.string(),
    sources: z.record(z.string(), z.string().min(1)),
    supportedPeriods: z.array(z.number().int().positive()),
    tiers: z.object(Object.fromEntries(TIERS.map((t) => [t, tierLimitsSchema])) as Record<Tier, typeof tierLimitsSchema>).strict(),
    botFields: z.record(z.string(), z.object({ allowed: z.array(z.string()), label: z.string() }).strict()),
    /** A record tag is `name:value`; the lengths of each part on the plans that have tags (sources.recordTags). */
    recordTagLimits: z.object({ nameLength: z.number().int().positive(), valueLength: z.number().int().positive() }).strict(),
  })
  .strict();
export const cloudflarePlans = plansJson as unknown as z.infer<typeof cloudflarePlansSchema>;

const factSchema = z
  .object({
    rule: z.string(),
    message: z.string().optional(),
    source: z.string().min(1),
    /** The numbers the rule names, when code applies it (facts.yamlAliasExpansion). */
    limits: z.record(z.string(), z.number()).optional(),
  })
  .strict();
const engineFactsSchema = z
  .object({
    engine: z.literal("pulumi"),
    package: z.string(),
    version: z.string(),
    facts: z.record(z.string(), factSchema),
    cloudflare: z.record(z.string(), factSchema),
    vercel: z.record(z.string(), factSchema),
    /** The shape of Pulumi.yaml's `template:` section, as `pulumi new` reads it. */
    projectTemplate: z
      .object({
        templateKeys: z.array(z.string()).min(1),
        configValueKeys: z.record(z.string(), z.enum(["string", "boolean"])),
        source: z.string().min(1),
      })
      .strict(),
  })
  .strict();
export const engineFacts = engineJson as unknown as z.infer<typeof engineFactsSchema>;

const sourcedRule = z.object({ rule: z.string().min(1), source: z.string().min(1) }).strict();
const caFactsSchema = z
  .object({
    what: z.string(),
    read: z.iso.date(),
    cloudflare: sourcedRule.extend({ addsOwnRecords: z.boolean() }).strict(),
    providers: z.record(z.string(), sourcedRule.extend({ issuers: z.array(z.string().min(1)).min(1) }).strict()),
    tags: sourcedRule,
  })
  .strict();
export const certificateAuthorities = caJson as unknown as z.infer<typeof caFactsSchema>;

const usd = z.number().min(0);
const pricesSchema = z
  .object({
    what: z.string(),
    read: z.iso.date(),
    how: z.string(),
    route53HealthChecks: z
      .object({
        source: z.string().min(1),
        basic: z.object({ awsEndpoint: usd, nonAwsEndpoint: usd }).strict(),
        optionalFeature: z.object({ awsEndpoint: usd, nonAwsEndpoint: usd }).strict(),
        features: z.array(z.string()),
        note: z.string(),
      })
      .strict(),
    cloudwatch: z
      .object({
        source: z.string().min(1),
        standardAlarmMetric: usd,
        dashboard: usd,
        freeTier: z.object({ alarms: z.number().int(), dashboards: z.number().int(), note: z.string() }).strict(),
      })
      .strict(),
    sns: z.object({ source: z.string().min(1), note: z.string(), perMonthAtAlertVolumes: usd }).strict(),
    chatbot: z.object({ source: z.string().min(1), note: z.string(), perMonth: usd }).strict(),
    cloudflarePlans: z
      .object({
        source: z.string().min(1),
        perMonth: z.object({ free: usd, pro: usd, business: usd }).strict(),
        billedAnnuallyPerMonth: z.object({ pro: usd, business: usd }).strict(),
        enterprise: z.string(),
        freeFeatures: z.string(),
      })
      .strict(),
  })
  .strict();
export const prices = pricesJson as unknown as z.infer<typeof pricesSchema>;

/** Where a sender fact was read: an http(s) URL, the date, and whether it is the provider's own page. */
/** MX hosts a provider names (bounce or inbound); null when its dashboard shows them. */
const mxHosts = z
  .array(z.object({ host: z.string().min(1), priority: z.number().int().min(0).max(65535) }).strict())
  .min(1)
  .nullable();

const senderFactSource = {
  source: z.url({ protocol: /^https?$/, error: "needs the URL of the page the fact was read from" }),
  read: z.iso.date({ error: "needs the date the page was read (YYYY-MM-DD)" }),
  providerPage: z.boolean(),
  note: z.string().min(1).optional(),
};
const spfDomain = z.string().regex(/^[a-z0-9_.-]+\.[a-z]{2,}$/, "must be an include domain such as amazonses.com");
const senderEntrySchema = z
  .object({
    name: z.string().min(1),
    roles: z.array(z.enum(["inbound", "transactional", "marketing"])).min(1),
    setupPage: z.object({ url: senderFactSource.source, read: senderFactSource.read }).strict(),
    dashboard: z.string().min(1),
    copy: z.string().min(1),
    spf: z
      .object({ include: spfDomain.nullable(), at: z.enum(["apex", "return-path"]), ...senderFactSource })
      .strict()
      .nullable(),
    returnPath: z
      .object({
        label: z.string().min(1).nullable(),
        labelFromDashboard: z.boolean(),
        record: z.enum(["cname", "spf-and-mx"]),
        cnameTarget: z.string().min(1).nullable(),
        mx: mxHosts,
        ...senderFactSource,
      })
      .strict()
      .nullable(),
    dkim: z
      .object({
        type: z.enum(["TXT", "CNAME"]).nullable(),
        selectors: z.array(z.string().min(1)).min(1).nullable(),
        defaultSelectors: z.array(z.string().min(1)).min(1).optional(),
        count: z.number().int().min(1).nullable(),
        cnameTargets: z.record(z.string(), z.string().min(1)).nullable(),
        under: z.enum(["sending-domain", "return-path"]),
        ...senderFactSource,
      })
      .strict()
      .nullable(),
    inbound: z
      .object({
        mx: mxHosts,
        ...senderFactSource,
      })
      .strict()
      .nullable(),
    signsWithOwnDomainByDefault: z.boolean().nullable(),
    notFound: z.array(z.string().min(1)),
  })
  .strict();
/** policies/shared/mail-senders.json: every fact with its source URL and read date (test/lib/mail-senders.test.ts refuses one without). */
export const mailSendersSchema = z
  .object({
    what: z.string(),
    read: z.iso.date(),
    method: z.string(),
    providers: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), senderEntrySchema),
    includes: z.record(spfDomain, z.object({ lookups: z.number().int().min(1), ...senderFactSource }).strict()),
  })
  .strict();

/** Each facts file with the schema it must satisfy; test/lib/provider-facts.test.ts parses them. */
/** What live checks (verify) rely on about other services' documented behaviour. */
export const webChecksSchema = z
  .object({
    route53StringMatch: z.object({ bodyBytes: z.number().int().positive(), source: z.string().min(1) }).strict(),
    hstsPreload: z
      .object({
        minMaxAge: z.number().int().positive(),
        includeSubDomains: z.boolean(),
        preloadDirective: z.boolean(),
        requestedBy: z.string().min(1),
        source: z.string().min(1),
      })
      .strict(),
  })
  .strict();
export const webChecks: z.infer<typeof webChecksSchema> = webChecksJson;

/** CCADB's CAA identifiers per CA owner, with the organizations their issuing certificates name. */
export const caaIdentifiersSchema = z
  .object({
    what: z.string().min(1),
    read: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    source: z.string().min(1),
    owners: z.array(
      z
        .object({
          owner: z.string().min(1),
          caaIdentifiers: z.array(z.string().regex(/^[a-z0-9.-]+$/)).min(1),
          issuerOrganizations: z.array(z.string().min(1)).min(1),
          note: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export const caaIdentifiers: z.infer<typeof caaIdentifiersSchema> = caaIdentifiersJson;

export const FACT_FILES = [
  { file: "cloudflare.json", data: cloudflareJson as unknown, schema: cloudflareFactsSchema },
  { file: "vercel.json", data: vercelJson as unknown, schema: vercelFactsSchema },
  { file: "aws.json", data: awsJson as unknown, schema: awsFactsSchema },
  { file: "cloudflare-plans.json", data: plansJson as unknown, schema: cloudflarePlansSchema },
  { file: "engine.json", data: engineJson as unknown, schema: engineFactsSchema },
  { file: "certificate-authorities.json", data: caJson as unknown, schema: caFactsSchema },
  { file: "prices.json", data: pricesJson as unknown, schema: pricesSchema },
  { file: "mail-senders.json", data: mailSendersJson as unknown, schema: mailSendersSchema },
  { file: "web-checks.json", data: webChecksJson as unknown, schema: webChecksSchema },
  { file: "caa-identifiers.json", data: caaIdentifiersJson as unknown, schema: caaIdentifiersSchema },
  { file: "secret-scanning.json", data: secretScanningJson, schema: secretScanningSchema },
] as const;

/** Every provider's facts, keyed by the Pulumi package name. */
export const PROVIDER_FACTS = [cloudflareFacts, vercelFacts, awsFacts] as const;

/** The facts of one resource type token, if we hold any. */
export function factsFor(type: string): ResourceFacts | undefined {
  for (const p of PROVIDER_FACTS) {
    const r = p.resources[type];
    if (r) return r;
  }
  return undefined;
}

/** Where a fact about this type was read: "cloudflare/terraform-provider-cloudflare@v5.19.1". */
export function upstreamOf(type: string): string | undefined {
  const p = PROVIDER_FACTS.find((f) => f.resources[type] || type.startsWith(`${f.provider}:`));
  return p ? `${p.upstream.repo}@${p.upstream.ref}` : undefined;
}

/** The periods Cloudflare accepts up to a maximum, from the one supported-values list. */
export function periodsUpTo(max: number): number[] {
  return cloudflarePlans.supportedPeriods.filter((p) => p <= max);
}
