import * as pulumi from "@pulumi/pulumi";
import type { RecordSpec } from "../lib/dns/records";
import { declareRecord, ZoneRef } from "./cloudflare-resources";

export interface EmailAuthArgs {
  zone: ZoneRef;
  /** SPF (one per sending name), DKIM, DMARC, MX or null MX, and no-mail records. */
  records: RecordSpec[];
  sendingDomains: string[];
  nonSendingDomains: string[];
}

/**
 * Email authentication records. None is proxied: mail and DKIM lookups must see
 * the provider's own answers.
 */
export class EmailAuth extends pulumi.ComponentResource {
  readonly sendingDomains: string[];
  readonly nonSendingDomains: string[];

  constructor(name: string, args: EmailAuthArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launch-ready:email:EmailAuth", name, {}, opts);
    for (const spec of args.records) declareRecord(spec, args.zone, this, name);
    this.sendingDomains = args.sendingDomains;
    this.nonSendingDomains = args.nonSendingDomains;
    this.registerOutputs({ sendingDomains: this.sendingDomains, nonSendingDomains: this.nonSendingDomains });
  }
}
