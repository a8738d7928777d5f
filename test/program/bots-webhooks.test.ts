/**
 * Bot protection versus the product's own webhooks (the shipped prod stack takes Stripe
 * webhooks on /api/webhooks/): Bot Fight Mode on Free cannot be skipped, Super Bot Fight
 * Mode from Pro can, and the empty-User-Agent challenge never hits a webhook route.
 */
import { strict as assert } from "assert";
import { validateStackConfig } from "../../lib/config/validate";
import { domainMapOf } from "../../lib/site-plan";
import type { NoteTopic } from "../../lib/domain-map";
import { renderHandover } from "../../lib/handover";
import { allSecretsSet, HANDOVER, PROJECT_NAME, rawConfig } from "../helpers/stack-config";

function planOf(edit: (raw: Record<string, any>) => void = () => undefined) {
  const raw = rawConfig("prod");
  edit(raw);
  return validateStackConfig(raw, "prod", allSecretsSet, PROJECT_NAME).plan;
}
const customRules = (plan: ReturnType<typeof planOf>) => plan.edge.rulesets.http_request_firewall_custom ?? [];
const notesOn = (plan: ReturnType<typeof planOf>, topic: NoteTopic) => plan.notes.filter((n) => n.topic === topic).map((n) => n.text);

describe("bots versus webhooks", () => {
  it("prod (Free, Stripe webhooks): Bot Fight Mode stays off with a note that reaches the handover", () => {
    const plan = planOf();
    assert.equal(plan.edge.botSettings?.fightMode, false);
    const note = notesOn(plan, "edge").find((n) => n.startsWith("Bot Fight Mode is off"));
    assert.ok(note, notesOn(plan, "edge").join("\n"));
    assert.match(note!, /cannot be skipped by any rule and would challenge the webhook senders on \/api\/webhooks\//);
    assert.match(note!, /edge\.waf\.botFightMode: true/);
    assert.ok(renderHandover(domainMapOf(plan), HANDOVER).includes(note!), "the handover carries the trade-off");
  });

  it("prod: webhook routes skip Browser Integrity Check and the security level first, and the empty-UA challenge excludes them", () => {
    const [skip, ...rest] = customRules(planOf());
    assert.equal(skip.ref, "skip_bot_checks_for_webhooks");
    assert.equal(skip.action, "skip");
    assert.equal(skip.expression, 'starts_with(http.request.uri.path, "/api/webhooks/")');
    assert.deepEqual(skip.actionParameters, { products: ["bic", "securityLevel"] }, "Free has no Super Bot Fight Mode phase to skip");
    const ua = rest.find((r) => r.ref === "challenge_empty_user_agent")!;
    assert.equal(ua.expression, 'http.user_agent eq "" and not cf.client.bot and not starts_with(http.request.uri.path, "/api/webhooks/")');
  });

  it("an explicit opt-in on Free turns Bot Fight Mode on and warns what it costs", () => {
    const plan = planOf((raw) => (raw.edge.waf.botFightMode = true));
    assert.equal(plan.edge.botSettings?.fightMode, true);
    assert.match(notesOn(plan, "edge").join("\n"), /Bot Fight Mode is on \(edge\.waf\.botFightMode: true\) on a Free zone with webhook routes/);
  });

  it("Pro and Business: Super Bot Fight Mode on, and skipped for webhook routes", () => {
    for (const plan of ["pro", "business"]) {
      const p = planOf((raw) => (raw.zone.plan = plan));
      assert.equal(p.edge.botSettings?.sbfmDefinitelyAutomated, "managed_challenge", plan);
      assert.deepEqual(customRules(p)[0].actionParameters, { products: ["bic", "securityLevel"], phases: ["http_request_sbfm"] });
      assert.ok(!notesOn(p, "edge").some((n) => /Bot Fight Mode is (off|on)/.test(n)), plan);
    }
  });

  it("explicit webhook paths count, and without any webhook route Free keeps Bot Fight Mode on with no skip rule", () => {
    const none = planOf((raw) => (raw.edge.rateLimits = raw.edge.rateLimits.filter((l: { name: string }) => l.name !== "webhooks")));
    assert.equal(none.edge.botSettings?.fightMode, true);
    assert.ok(!customRules(none).some((r) => r.action === "skip"));
    assert.match(customRules(none).find((r) => r.ref === "challenge_empty_user_agent")!.expression, /^\(http\.user_agent eq "" and not cf\.client\.bot\)$/);
    const explicit = planOf((raw) => {
      raw.edge.rateLimits = raw.edge.rateLimits.filter((l: { name: string }) => l.name !== "webhooks");
      raw.edge.webhookPaths = ["/hooks/github"];
    });
    assert.equal(explicit.edge.botSettings?.fightMode, false);
    assert.equal(customRules(explicit)[0].expression, '(http.request.uri.path eq "/hooks/github" or starts_with(http.request.uri.path, "/hooks/github/"))');
  });
});

describe("Vercel domain verification", () => {
  it("the plan and the handover say the stack declares Vercel's verification TXT, for the hosts Vercel serves", () => {
    const plan = planOf();
    const note = notesOn(plan, "hosting").find((n) => n.startsWith("Vercel domains:"));
    assert.ok(note, notesOn(plan, "hosting").join("\n"));
    assert.match(note!, /one TXT at _vercel\.acmechat\.dev per Vercel domain \(acmechat\.dev, app\.acmechat\.dev, api\.acmechat\.dev\)/);
    assert.doesNotMatch(note!, /add it in the Cloudflare dashboard/);
    assert.ok(renderHandover(domainMapOf(plan), HANDOVER).includes(note!));
  });
});

describe("uptime: decided up front, keyed by name", () => {
  it("uptime.measureLatency false reaches every health check, with a note on what turning it on later costs", () => {
    const plan = planOf((raw) => (raw.uptime.measureLatency = false));
    assert.ok(plan.monitors.length > 0 && plan.monitors.every((m) => m.measureLatency === false));
    assert.match(notesOn(plan, "uptime").join("\n"), /Latency is not watched: uptime\.measureLatency is false.*turning it on later replaces every check/);
    assert.ok(
      planOf().monitors.every((m) => m.measureLatency === true),
      "on by default, as deployed stacks have it",
    );
  });

  it("two alert webhooks on one host need names", () => {
    const raw = rawConfig("prod");
    raw.alerts.webhooks = ["https://alerts.example.net/oncall", "https://alerts.example.net/team"];
    assert.throws(
      () => validateStackConfig(raw, "prod", allSecretsSet, PROJECT_NAME),
      /launch-ready:alerts\.webhooks\[1\]: shares the key "alerts\.example\.net" with webhooks\[0\]: give each its own name/,
    );
  });
});
