/**
 * Cloudflare features that rewrite the HTML or scripts an app sends, reviewed for an app behind
 * Cloudflare (README, "Cloudflare in front of Vercel"). The program declares each `declareOff`
 * setting "off"; the pack's vercel-no-html-rewriting reports a proxied Vercel host where one is
 * on; verify looks for each `markers` string in the live HTML. A server-rendered React/Next.js
 * page must reach the browser as the app rendered it: hydration compares the two.
 */
export interface HtmlRewritingFeature {
  /** The zone setting id (cloudflare.json zoneSettings). */
  settingId: string;
  label: string;
  /** What it changes in a response, with the source read. */
  rewrites: string;
  source: string;
  /** The program declares the setting "off" on every zone it manages. */
  declareOff: boolean;
  /** Why it is, or is not, declared off. */
  decision: string;
  /** Strings the feature leaves in a served HTML page (verify's html.rewritten check). */
  markers: string[];
  markersSource?: string;
}

export const HTML_REWRITING: readonly HtmlRewritingFeature[] = [
  {
    settingId: "email_obfuscation",
    label: "Email Address Obfuscation",
    rewrites:
      "replaces every email address in an HTML page with a /cdn-cgi/l/email-protection link and injects the email-decode.min.js decoder script, which rewrites the DOM after load",
    source:
      'https://developers.cloudflare.com/waf/tools/scrape-shield/email-address-obfuscation/ (cloudflare/cloudflare-typescript src/resources/zones/settings/email-obfuscation.ts @7c202604: "Encrypt email adresses on your web page", value on|off); the markup it injects: https://andrewlock.net/simple-obfuscation-of-email-addresses-using-javascript/ (read 2026-12-03); hydration failure: microlinkhq/www#2122',
    declareOff: true,
    decision: "off: the markup the browser receives differs from what the app rendered, so React hydration fails on any page that shows an address",
    markers: ["cloudflare-static/email-decode.min.js", "/cdn-cgi/l/email-protection"],
    markersSource:
      "https://andrewlock.net/simple-obfuscation-of-email-addresses-using-javascript/ and https://bobcares.com/blog/email-address-obfuscation-cloudflare (read 2026-12-03)",
  },
  {
    settingId: "rocket_loader",
    label: "Rocket Loader",
    rewrites: "rewrites the type of every <script> the HTML references and injects rocket-loader.min.js, which loads them itself, deferred",
    source:
      'cloudflare/cloudflare-typescript src/resources/zones/settings/rocket-loader.ts @7c202604 ("will automatically defer the loading of all Javascript referenced in your HTML", value on|off); https://developers.cloudflare.com/speed/optimization/content/rocket-loader/ignore-javascripts/ (data-cfasync="false" opts a script out); breakage: remix-run/remix#3590',
    declareOff: true,
    decision: "off: the app's framework orders its own scripts (module scripts, hydration), and a deferred rewrite of every script breaks that order",
    markers: ["cloudflare-static/rocket-loader.min.js"],
    markersSource:
      "pages served with Rocket Loader on, mirrored in public repositories (script src .../cdn-cgi/scripts/7d0fa10a/cloudflare-static/rocket-loader.min.js with data-cf-settings), read 2026-12-03",
  },
  {
    settingId: "automatic_https_rewrites",
    label: "Automatic HTTPS Rewrites",
    rewrites: "rewrites http:// URLs of resources and links in the page to https:// where the target can be served over HTTPS",
    source:
      'https://developers.cloudflare.com/ssl/edge-certificates/additional-options/automatic-https-rewrites/ (last updated 2026-08-14, read 2026-12-03: "rewriting URLs from http to https for resources or links on your web site")',
    declareOff: true,
    decision:
      "off: the facts say it changes the page's markup (every http:// URL it can upgrade), and none say it leaves a server-rendered app's markup alone; mixed content is fixed in the app's source instead, and HSTS plus Always Use HTTPS keep the site itself on HTTPS",
    markers: [],
  },
  {
    settingId: "mirage",
    label: "Mirage",
    rewrites: "rewrites <img> tags for lazy loading on mobile (a paid-plan feature, deprecated by Cloudflare)",
    source: "not found with a source in the reading for issue #24; listed in cloudflare.json zoneSettings.otherIds",
    declareOff: false,
    decision: "not declared: Pro and above only, so declaring it on a Free zone would fail; the pack reports it when a stack turns it on in front of Vercel",
    markers: [],
  },
] as const;

/** The settings the program declares off. */
export const HTML_REWRITING_OFF = HTML_REWRITING.filter((f) => f.declareOff).map((f) => f.settingId);
