import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import { childName, childOptions } from "./naming";

export interface TurnstileArgs {
  /** The Cloudflare account the widget lives in. */
  accountId: pulumi.Input<string>;
  /** Widget name shown in the Cloudflare dashboard. */
  widgetName: string;
  /** "managed" (default), "non-interactive" or "invisible". */
  mode?: string;
  /** Hostnames the widget may run on (each covers its subdomains). */
  domains: string[];
  /** Protect the widget (Pulumi's `protect`): a new widget has new keys the deployed app does not know. Default: false. */
  protect?: boolean;
}

/**
 * A Cloudflare Turnstile widget for signup and login. Its site key is public by design;
 * its secret is a Pulumi secret from the moment the provider returns it.
 */
export class Turnstile extends pulumi.ComponentResource {
  readonly siteKey: pulumi.Output<string>;
  readonly secret: pulumi.Output<string>;

  constructor(name: string, args: TurnstileArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launch-ready:edge:Turnstile", name, {}, opts);
    const widget = new cloudflare.TurnstileWidget(
      childName(name, "widget"),
      { accountId: args.accountId, name: args.widgetName, mode: args.mode ?? "managed", domains: args.domains },
      childOptions(this, "widget", [], args.protect ? { protect: true } : {}),
    );
    this.siteKey = widget.sitekey;
    // The SDK marks `secret` an additional secret output; wrapping keeps it secret under any engine or mock.
    this.secret = pulumi.secret(widget.secret);
    this.registerOutputs({ siteKey: this.siteKey });
  }
}
