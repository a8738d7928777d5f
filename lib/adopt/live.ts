/**
 * What `npm run adopt` reads from a zone through Cloudflare's API v4, as zod schemas: the
 * fields adoption uses from a DNS record, a phase entrypoint ruleset and a zone setting
 * (https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/,
 * .../rulesets/subresources/phases/methods/get/, .../zones/subresources/settings/methods/get/).
 */
import { z } from "zod";

export const liveRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  content: z.string().optional(),
  data: z
    .object({ flags: z.union([z.number(), z.string()]).optional(), tag: z.string().optional(), value: z.string().optional() })
    .partial()
    .optional(),
  priority: z.number().optional(),
  proxied: z.boolean().optional(),
  ttl: z.number().optional(),
  comment: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  settings: z.object({ flatten_cname: z.boolean().nullable(), ipv4_only: z.boolean().nullable(), ipv6_only: z.boolean().nullable() }).partial().optional(),
});
export type LiveRecord = z.infer<typeof liveRecordSchema>;

export const liveRuleSchema = z.object({
  id: z.string().optional(),
  ref: z.string().optional(),
  description: z.string().optional(),
  expression: z.string().optional(),
  action: z.string().optional(),
  action_parameters: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().optional(),
  ratelimit: z.record(z.string(), z.unknown()).optional(),
  logging: z.record(z.string(), z.unknown()).optional(),
  exposed_credential_check: z.record(z.string(), z.unknown()).optional(),
});
export const liveRulesetSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  phase: z.string(),
  kind: z.string().optional(),
  description: z.string().optional(),
  rules: z.array(liveRuleSchema).default([]),
});
export type LiveRuleset = z.infer<typeof liveRulesetSchema>;

export const liveSettingSchema = z.object({ id: z.string(), value: z.unknown() });

/** The zone itself (https://developers.cloudflare.com/api/resources/zones/methods/get/): its name and plan (`plan.legacy_id` is free, pro, business or enterprise). */
export const liveZoneDetailsSchema = z.object({
  id: z.string(),
  name: z.string(),
  plan: z.object({ name: z.string().optional(), legacy_id: z.string().optional() }).partial().optional(),
});
export type LiveZoneDetails = z.infer<typeof liveZoneDetailsSchema>;

/** A zone as List Zones returns it (https://developers.cloudflare.com/api/resources/zones/methods/list/): what `npm run init` fills in from it. */
export const liveZoneSummarySchema = liveZoneDetailsSchema.extend({
  status: z.string().optional(),
  account: z.object({ id: z.string(), name: z.string().optional() }).partial().optional(),
  name_servers: z.array(z.string()).optional(),
});
export type LiveZoneSummary = z.infer<typeof liveZoneSummarySchema>;

export interface LiveZone {
  /** The zone's name and plan as the API reports them (absent where a test or caller did not read them). */
  details?: LiveZoneDetails;
  records: LiveRecord[];
  /** Entrypoint rulesets by phase, for the phases the stack manages that have one. */
  rulesets: Record<string, LiveRuleset>;
  /** Zone setting values by id, for the settings the stack manages. */
  settings: Record<string, unknown>;
}
