import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import type { RuleSpec, ZoneSettingSpec } from "../lib/edge/rules";
import { declareRuleset, ZoneRef } from "./cloudflare-resources";
import { childName, childOptions } from "./naming";

export interface EdgeCacheArgs {
  zone: ZoneRef;
  /** Cache static assets long, then bypass private paths (the bypass rule last, so it wins). */
  cacheRules: RuleSpec[];
  /** Zstandard/Brotli/Gzip for text, never for server-sent events (the last rule wins). */
  compressionRules: RuleSpec[];
  /** HTTP/3 on, 0-RTT off. */
  settings: ZoneSettingSpec[];
  /**
   * Smart Tiered Cache (every plan; cloudflare.TieredCache sets this topology only): one upper tier near the
   * origin asks it on a miss. It cannot place that tier for an anycast origin such as Vercel's (lib/edge/rules.ts
   * smartTieredCache decides). Default true.
   */
  tieredCache?: boolean;
}

/** Caching only where safe, in one cache-settings ruleset; compression; protocol settings. */
export class EdgeCache extends pulumi.ComponentResource {
  constructor(name: string, args: EdgeCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launch-ready:edge:EdgeCache", name, {}, opts);
    const zoneId = args.zone.zoneId;
    if (args.cacheRules.length)
      declareRuleset("http_request_cache_settings", args.cacheRules, args.zone, this, name, "Cache static assets, never private paths (launch-ready)");
    if (args.compressionRules.length)
      declareRuleset("http_response_compression", args.compressionRules, args.zone, this, name, "Compression; chat streams uncompressed (launch-ready)");
    for (const s of args.settings)
      new cloudflare.ZoneSetting(childName(name, s.settingId), { zoneId, settingId: s.settingId, value: s.value }, childOptions(this, s.settingId));
    if (args.tieredCache ?? true) new cloudflare.TieredCache(childName(name, "tiered-cache"), { zoneId, value: "on" }, childOptions(this, "tiered-cache"));
    this.registerOutputs({});
  }
}
