/**
 * The example stacks' URNs and replace-forcing properties are pinned
 * (examples/acmechat/urns/*.json, written by `npm run pin-urns`): an existing stack must
 * never see a replace or a delete it did not ask for. The pins predate the example's move
 * from the repository root to examples/acmechat: same project, same stack names, same URNs.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { changeBetween, PinnedResource, pin } from "../../lib/conformance/replacements";
import { planStack } from "../../tools/offline/plan";
import { PIN_DIR, writePins } from "../../tools/conformance/pin-urns";
import { planExample, PROJECT_NAME, shippedConfig } from "../helpers/stack-config";
import { stackExportOf } from "../helpers/state-export";
import { readStackExport } from "../../lib/state/export";
import { diffState } from "../../lib/state/diff";
import type { PlannedResource } from "../../lib/planned/types";

const pinned = (stack: string): PinnedResource[] => JSON.parse(fs.readFileSync(path.join(PIN_DIR, `${stack}.json`), "utf8"));

const UPTIME_ADDITIONS = /::launch-ready-uptime-((host|endpoint)-[a-z-]+-(availability|latency)|dashboard)$/;
const LAUNCH_ADDITIONS =
  /::launch-ready-(domain-apex-CAA-.+|domain-dnssec|edge-security-http_response_headers_transform|email-auth-_smtp\._tls(\.[a-z0-9-]+)?-TXT-tls-reporting|turnstile-widget|hosting-production-(NEXT_PUBLIC_TURNSTILE_SITE_KEY|TURNSTILE_SECRET_KEY))$/;
/** What issue 21 adds: Vercel's _vercel TXT, one per Vercel-served host, each a create. */
const VERIFICATION_ADDITIONS = /::launch-ready-hosting-_vercel-TXT-vercel-[a-z-]+$/;
/** What issue 24 adds to the shipped prod stack, named: each a create, nothing deployed touched. */
const EDGE_24_ADDITIONS = [
  "launch-ready-edge-security-email_obfuscation",
  "launch-ready-edge-security-rocket_loader",
  // The origin lock (edge.originLock, on in production): its secret, Cloudflare's header rule, Vercel's firewall rule.
  "launch-ready-origin-lock-secret",
  "launch-ready-origin-lock-http_request_late_transform",
  "launch-ready-origin-lock-vercel-firewall",
];
const isEdge24 = (urn: string) => EDGE_24_ADDITIONS.includes(urn.split("::").pop()!);
/** What #14 adds to the shipped prod stack, named: each a create, nothing deployed touched. */
const PROD_LAUNCH_ADDITIONS = [
  "launch-ready-domain-dnssec",
  "launch-ready-domain-apex-CAA-issue-letsencrypt.org",
  "launch-ready-domain-apex-CAA-issue-pki.goog",
  "launch-ready-domain-apex-CAA-iodef",
  "launch-ready-edge-security-http_response_headers_transform",
  "launch-ready-email-auth-_smtp._tls-TXT-tls-reporting",
  "launch-ready-email-auth-_smtp._tls.mail-TXT-tls-reporting",
  "launch-ready-turnstile-widget",
  "launch-ready-hosting-production-NEXT_PUBLIC_TURNSTILE_SITE_KEY",
  "launch-ready-hosting-production-TURNSTILE_SECRET_KEY",
].sort();

/**
 * Deleted on purpose since, named: #21 stops declaring cloudflare.TieredCache where every proxied host is on
 * Vercel's anycast network (Smart Tiered Cache cannot place an upper tier there). Its delete only turns the
 * zone's Smart topology off again (the provider's Delete calls the smart-tiered-cache endpoint); nothing else moves.
 */
const INTENDED_DELETES: Record<string, string[]> = { prod: ["tiered-cache"], staging: [] };
const deletedNames = (urns: string[]) => urns.map((urn) => urn.split("::").pop());

describe("URN pin of the shipped stacks", function () {
  this.timeout(60_000);
  const plans: Record<string, PlannedResource[]> = {};
  before(async () => {
    for (const stack of ["prod", "staging"] as const) plans[stack] = (await planExample(stack)).resources;
  });

  for (const stack of ["prod", "staging"]) {
    it(`${stack}: no deployed resource is deleted, replaced or added unannounced`, () => {
      const change = changeBetween(pinned(stack), plans[stack]);
      const fix = "if the change is intended, run `npm run pin-urns` and say why in the commit";
      assert.deepEqual(change.deleted, [], `would delete: ${fix}`);
      assert.deepEqual(change.replaced, [], `would replace: ${fix}`);
      assert.deepEqual(change.created, [], `would create: ${fix}`);
      assert.deepEqual(change.moved, []);
    });
  }

  /** What #28 protects in prod (lib/state/protect.ts), by resource name: web records, mail records, DNSSEC, the widget, the alert topic. */
  const PROTECTED_IN_PROD =
    /^launch-ready-(domain-(apex|app|api|docs|status)-web|domain-dnssec|email-auth-.+-(TXT-(spf|dkim|dmarc|no-mail|tls-reporting)|CNAME|MX-.+)|turnstile-widget|uptime-alerts)$/;

  for (const stack of ["prod", "staging"] as const) {
    it(`${stack}: protect reaches the pinned stack as an option change only: no update, no replace, no replace-forcing value moved`, () => {
      // The pinned stack deployed before #28: the same resources, none protected.
      const old = readStackExport(stackExportOf({ project: PROJECT_NAME, stack, resources: plans[stack] }, { withoutProtect: true }), "old.json");
      assert.deepEqual(
        old
          .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
          .map((r) => r.urn)
          .sort(),
        pinned(stack)
          .map((p) => p.urn)
          .sort(),
      );
      assert.deepEqual(pin(plans[stack]), pinned(stack), "the pins (URNs and replace-forcing values) are unchanged: protect is neither");
      const changes = diffState(old, plans[stack]);
      assert.deepEqual(
        changes.filter((c) => c.kind !== "unchanged").map((c) => `${c.kind} ${c.name}`),
        [],
      );
      const flagged = changes.filter((c) => c.options);
      for (const c of flagged) assert.deepEqual(c.options, [{ option: "protect", from: false, to: true }], c.name);
      const names = flagged.map((c) => c.name);
      if (stack === "prod") {
        assert.deepEqual(
          names,
          names.filter((n) => PROTECTED_IN_PROD.test(n)),
          "only what #28 protects",
        );
        for (const n of [
          "launch-ready-domain-apex-web",
          "launch-ready-domain-dnssec",
          "launch-ready-email-auth-_dmarc-TXT-dmarc",
          "launch-ready-turnstile-widget",
          "launch-ready-uptime-alerts",
        ])
          assert.ok(names.includes(n), n);
        assert.ok(!names.includes("launch-ready-domain-www-web"), "the redirecting twin is not protected");
      } else {
        assert.deepEqual(names, [], "staging protects nothing by default");
      }
    });
  }

  for (const stack of ["prod", "staging"]) {
    it(`${stack}: a stack deployed before children were named after their component moves every resource through aliases`, () => {
      // The pins as of the release before (children named "ssl", "www-web", "domain"...).
      const change = changeBetween(pinned(`${stack}.before-prefix`), plans[stack]);
      assert.deepEqual([deletedNames(change.deleted), change.replaced], [INTENDED_DELETES[stack], []]);
      // Created since: the availability and latency alarms each monitor gained and the stack's dashboard (#16), and in
      // prod the launch features (#14): CAA records, DNSSEC, the security-header ruleset, TLS reporting, the Turnstile widget and its two variables.
      assert.deepEqual(
        change.created.filter((urn) => !UPTIME_ADDITIONS.test(urn) && !LAUNCH_ADDITIONS.test(urn) && !VERIFICATION_ADDITIONS.test(urn) && !isEdge24(urn)),
        [],
      );
      assert.deepEqual(
        change.created
          .filter(isEdge24)
          .map((urn) => urn.split("::").pop())
          .sort(),
        stack === "prod" ? [...EDGE_24_ADDITIONS].sort() : [],
      );
      assert.equal(
        change.created.filter((urn) => UPTIME_ADDITIONS.test(urn)).length,
        stack === "prod" ? 19 : 7,
        "two alarms per monitor (9 in prod, 3 in staging) and the dashboard",
      );
      assert.deepEqual(
        change.created
          .filter((urn) => LAUNCH_ADDITIONS.test(urn))
          .map((urn) => urn.split("::").pop())
          .sort(),
        stack === "prod" ? PROD_LAUNCH_ADDITIONS : [],
      );
      assert.equal(change.created.filter((urn) => VERIFICATION_ADDITIONS.test(urn)).length, stack === "prod" ? 3 : 2, "one _vercel TXT per Vercel domain");
      assert.equal(change.moved.length, pinned(`${stack}.before-prefix`).length - INTENDED_DELETES[stack].length);
      for (const m of change.moved) {
        const [from, to] = [m.from.split("::").pop()!, m.to.split("::").pop()!];
        assert.match(to, /^launch-ready-(domain|edge-security|edge-cache|email-auth|hosting|uptime)-/);
        assert.ok(to.endsWith(`-${from}`), `${from} -> ${to}`);
      }
    });
  }

  it("a stack created before web-record keys lost their type (www-CNAME, apex-A) moves to the new names through aliases", () => {
    const older = pinned("prod.before-prefix");
    const before = older.map((p) => ({
      ...p,
      urn: p.urn.replace(/::(apex|www|app|api|docs|status)-web$/, (_m, host) => `::${host}-${host === "apex" ? "A" : "CNAME"}`),
    }));
    assert.equal(before.filter((p, i) => p.urn !== older[i].urn).length, 6);
    const change = changeBetween(before, plans.prod);
    assert.deepEqual(deletedNames(change.deleted), INTENDED_DELETES.prod);
    assert.deepEqual(
      change.created.filter((urn) => !UPTIME_ADDITIONS.test(urn) && !LAUNCH_ADDITIONS.test(urn) && !VERIFICATION_ADDITIONS.test(urn) && !isEdge24(urn)),
      [],
    );
    assert.deepEqual(change.replaced, []);
    const webMoves = change.moved
      .map((m) => [m.from.split("::").pop(), m.to.split("::").pop()])
      .filter(([from]) => /-(A|CNAME)$/.test(from!) && !/_domainkey/.test(from!));
    assert.deepEqual(
      webMoves,
      [
        ["apex-A", "apex-web"],
        ["www-CNAME", "www-web"],
        ["app-CNAME", "app-web"],
        ["api-CNAME", "api-web"],
        ["docs-CNAME", "docs-web"],
        ["status-CNAME", "status-web"],
      ]
        .map(([from, to]) => [from, `launch-ready-domain-${to}`])
        .sort(),
    );
  });

  it("alert webhooks are keyed by name or host: a stack that named them by index moves, and reordering replaces nothing", async () => {
    const config = shippedConfig("prod");
    // A PagerDuty URL an earlier release took in plain text (webhook-0, keyed by its host since) now lives in
    // secret config, named by that host to keep its subscription.
    config["launch-ready:alerts"].webhooks = [
      { name: "events.pagerduty.com", url: { secret: "pagerdutyAlertUrl" } },
      { name: "opsgenie", url: { secret: "opsgenieAlertUrl" } },
    ];
    const now = (await planStack("prod", { stackFile: { config } })).resources;
    const subs = now.filter((r) => r.name.startsWith("launch-ready-uptime-webhook-"));
    assert.deepEqual(
      subs.map((r) => r.name),
      ["launch-ready-uptime-webhook-events.pagerduty.com", "launch-ready-uptime-webhook-opsgenie"],
    );
    // Before: the same subscriptions named webhook-0, webhook-1.
    const before = pin(now).map((p) => ({
      ...p,
      urn: p.urn.replace("::launch-ready-uptime-webhook-events.pagerduty.com", "::webhook-0").replace("::launch-ready-uptime-webhook-opsgenie", "::webhook-1"),
    }));
    const upgrade = changeBetween(before, now);
    assert.deepEqual([upgrade.created, upgrade.deleted, upgrade.replaced], [[], [], []]);
    assert.equal(upgrade.moved.length, 2);
    config["launch-ready:alerts"].webhooks.reverse();
    const reordered = changeBetween(pin(now), (await planStack("prod", { stackFile: { config } })).resources);
    assert.deepEqual([reordered.created, reordered.deleted, reordered.replaced, reordered.moved], [[], [], [], []]);
  });

  it("npm run pin-urns pins the example from examples/acmechat to exactly the committed pins (its move renamed nothing)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-pins-"));
    try {
      const lines: string[] = [];
      await writePins(dir, (line) => lines.push(line));
      const log = lines.join("\n");
      assert.deepEqual(fs.readdirSync(dir).sort(), ["prod.json", "staging.json"]);
      for (const stack of ["prod", "staging"]) {
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, `${stack}.json`), "utf8")), pinned(stack), `${stack}: run npm run pin-urns`);
        assert.ok(log.includes(`pinned ${pinned(stack).length} resources of ${stack} in `), log);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the property when a change forces a replacement", () => {
    const changed = plans.prod.map((r) => (r.name === "launch-ready-uptime-host-apex" ? { ...r, props: { ...r.props, requestInterval: 10 } } : r));
    assert.deepEqual(changeBetween(pin(plans.prod), changed).replaced, [
      { urn: plans.prod.find((r) => r.name === "launch-ready-uptime-host-apex")!.urn, properties: ["requestInterval"] },
    ]);
  });
});
