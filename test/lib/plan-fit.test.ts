/**
 * What the program declares fits what the provider does: record comments within the zone plan's
 * length, Turnstile domains sorted, Smart Tiered Cache only where it can place an upper tier.
 * On the bench's generated stacks (brandNN.example, every zone plan), not the example.
 */
import { strict as assert } from "assert";
import { stackConfigSchema } from "../../lib/config/schema";
import { fitComment } from "../../lib/dns/comments";
import { smartTieredCache } from "../../lib/edge/rules";
import { planSite } from "../../lib/site-plan";
import { generateStack } from "../../tools/bench/generate";
import { PROJECT_NAME } from "../helpers/stack-config";

/** A generated stack's config as the schema reads it, on the given plan, with `edit` applied. */
function planOf(plan: string, edit: (c: Record<string, any>) => void = () => {}) {
  const g = generateStack(7);
  const raw: Record<string, any> = JSON.parse(
    JSON.stringify(
      Object.fromEntries(
        Object.entries(g.stackFile.config).flatMap(([k, v]) => (k.startsWith(`${PROJECT_NAME}:`) ? [[k.slice(PROJECT_NAME.length + 1), v]] : [])),
      ),
    ),
  );
  raw.zone.plan = plan;
  edit(raw);
  return planSite(stackConfigSchema.parse(raw), g.stack, PROJECT_NAME);
}

describe("record comments within the zone's plan", () => {
  it("picks the first wording that fits, and cuts the last one only when none does", () => {
    assert.equal(fitComment(10, "0123456789", "short"), "0123456789");
    assert.equal(fitComment(9, "0123456789", "short"), "short");
    assert.equal(fitComment(4, "0123456789", "short"), "sho…");
  });

  it("an extraRecords comment: prefixed where the plan leaves room, the founder's own words on Free, refused past the plan's limit naming the key", () => {
    const note = "x".repeat(100);
    const extra = (comment: string) => (c: Record<string, any>) => (c.zone.extraRecords = [{ name: "legacy", type: "TXT", content: "keep-me", comment }]);
    const comments = (p: ReturnType<typeof planOf>) => p.webRecords.filter((r) => r.purpose === "extra").map((r) => r.comment);
    assert.deepEqual(comments(planOf("pro", extra(note))), [`launch-ready: kept from the zone (${note})`]);
    const free = planOf("free", extra(note));
    assert.deepEqual(comments(free), [note]);
    assert.deepEqual(free.problems, []);
    const tooLong = planOf("free", extra(`${note}y`)).problems;
    assert.equal(tooLong.length, 1);
    assert.equal(tooLong[0].key, "zone.extraRecords[0].comment");
    assert.match(tooLong[0].message, /^is 101 characters: Cloudflare allows at most 100 in a DNS record comment on the Free plan \(API error 9313;/);
    assert.deepEqual(planOf("pro", extra("y".repeat(500))).problems, []);
    assert.equal(planOf("pro", extra("y".repeat(501))).problems[0].key, "zone.extraRecords[0].comment");
  });

  it("every generated comment fits the plan, email ones too, whatever the config puts in them", () => {
    for (const [plan, limit] of [
      ["free", 100],
      ["business", 500],
    ] as const) {
      const p = planOf(plan, (c) => (c.email.senders[0].name = `s${"e".repeat(520)}`));
      for (const r of [...p.webRecords, ...p.email.records]) assert.ok([...r.comment].length <= limit, `${plan} ${r.key}: ${r.comment.length}`);
    }
  });
});

describe("Turnstile widget domains", () => {
  it("are sorted as the API returns them", () => {
    const p = planOf("pro", (c) => (c.turnstile = { enabled: true }));
    const domains = p.turnstile!.widget.domains;
    assert.deepEqual(domains, [...domains].sort());
    assert.deepEqual(domains, ["admin.brand07.example", "api.brand07.example", "app.brand07.example", "brand07.example"]);
  });

  it("more hosts on Vercel than a widget may list is a config error", () => {
    const p = planOf("pro", (c) => {
      c.turnstile = { enabled: true };
      c.subdomains = Array.from({ length: 15 }, (_, i) => ({ name: `app${i}`, target: "vercel" }));
    });
    const problem = p.problems.find((x) => x.key === "turnstile.enabled");
    assert.match(problem!.message, /one widget would cover 16 hosts served by Vercel, more than the 15 a widget may list/);
  });
});

describe("Smart Tiered Cache", () => {
  const host = (fqdn: string, target: any, proxied = true) => ({ fqdn, target, proxied, role: "subdomain" as const });
  it("is declared for a proxied host on an origin of its own, not for hosts all on Vercel's anycast network (with a note saying why)", () => {
    assert.deepEqual(smartTieredCache([host("a.example.com", "vercel"), host("b.example.com", { cname: "origin.example.net" })]), { declare: true });
    const vercel = smartTieredCache([host("a.example.com", "vercel"), host("b.example.com", { cname: "docs.example.net" }, false)]);
    assert.equal(vercel.declare, false);
    assert.match(vercel.note!, /every proxied host is served by Vercel, whose anycast network hides where the origin is/);
    assert.deepEqual(smartTieredCache([host("b.example.com", { cname: "docs.example.net" }, false)]), { declare: false });
    assert.equal(planOf("free").edge.smartTieredCache, true, "the bench's blog, help and cdn are proxied to their own origins");
  });
});
