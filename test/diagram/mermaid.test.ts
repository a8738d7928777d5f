/**
 * Issue 27, item 4: the domain map as a Mermaid flowchart, checked with the real Mermaid parser
 * (dev dependency mermaid, with a jsdom window for its DOMPurify), not by string matching: the
 * text must parse, and the parsed graph must hold the edges written out here by hand.
 */
import * as assert from "assert";
import * as fs from "fs";
import { JSDOM } from "jsdom";
import type { DomainMap } from "../../lib/domain-map";
import { domainMapMermaid, mermaidLabel } from "../../lib/diagram/mermaid";
import { planStack } from "../../tools/offline/plan";
import { LEDGERLY, TUTORBEE } from "../fixtures/founders";
import { projectDir, runInit } from "../tools/init/helpers";
import { fixtureMap } from "../handover/helpers";

interface Mermaid {
  parse(text: string): Promise<unknown>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ db: any }> };
}

/** Mermaid's flowchart database keeps `#quot;`-style entities in an internal form; turn them back into characters. */
function decode(text: string): string {
  const named: Record<string, string> = { quot: '"', lt: "<", gt: ">", amp: "&" };
  return text.replace(/ﬂ°°(\d+)¶ß/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/ﬂ°(\w+)¶ß/g, (_, name: string) => named[name] ?? name);
}

describe("domain map diagram (Mermaid)", function () {
  this.timeout(120000);
  let mermaid: Mermaid;
  const saved = { window: (globalThis as any).window, document: (globalThis as any).document };
  const dirs: string[] = [];

  before(async () => {
    // Mermaid's sanitiser needs a DOM when the module loads: set it first, then require.
    const dom = new JSDOM("");
    (globalThis as any).window = dom.window;
    (globalThis as any).document = dom.window.document;
    const m = require("mermaid");
    mermaid = m.default ?? m;
    await mermaid.parse("flowchart LR\n  a --> b"); // registers the flowchart diagram for getDiagramFromText
  });
  after(() => {
    (globalThis as any).window = saved.window;
    (globalThis as any).document = saved.document;
    dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  /** The parsed graph's edges as [from label, to label, edge label], and its node labels. */
  async function graph(text: string): Promise<{ edges: string[][]; nodes: string[] }> {
    await mermaid.parse(text);
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
    const vertices = db.getVertices() as Map<string, { id: string; text: string }>;
    const label = (id: string) => decode(vertices.get(id)!.text);
    return {
      edges: (db.getEdges() as Array<{ start: string; end: string; text: string }>).map((e) => [label(e.start), label(e.end), decode(e.text)]),
      nodes: [...vertices.values()].map((v) => decode(v.text)),
    };
  }

  async function founderMap(flags: readonly string[]): Promise<DomainMap> {
    const dir = projectDir();
    dirs.push(dir);
    const run = await runInit([...flags, "--dir", dir, "--yes"]);
    assert.strictEqual(run.code, 0, run.err);
    return (await planStack("prod", { dir })).domainMap;
  }

  it("draws the example's hosts, targets, redirect, mail flows and monitors", async () => {
    const { edges } = await graph(domainMapMermaid(fixtureMap()));
    const hosts = ["acmechat.dev", "www.acmechat.dev", "app.acmechat.dev", "api.acmechat.dev", "docs.acmechat.dev", "status.acmechat.dev"];
    assert.deepStrictEqual(
      [...edges].sort(),
      [
        ["www.acmechat.dev", "acmechat.dev", "301 redirect"],
        ["acmechat.dev", "Vercel", "via Cloudflare proxy"],
        ["app.acmechat.dev", "Vercel", "via Cloudflare proxy"],
        ["api.acmechat.dev", "Vercel", "via Cloudflare proxy"],
        ["docs.acmechat.dev", "hosting.gitbook.io", "DNS only"],
        ["status.acmechat.dev", "statuspage.betteruptime.com", "DNS only"],
        ["email: acmechat.dev", "smtp.google.com", "MX 1"],
        ["email: mail.acmechat.dev", "feedback-smtp.us-east-1.amazonses.com", "MX 10"],
        ["google (google-workspace)", "email: acmechat.dev", "sends as"],
        ["ses (amazon-ses)", "email: acmechat.dev", "sends as"],
        ...hosts.map((h) => ["9 uptime monitors", h, "checks"]),
      ].sort(),
    );
  });

  it("parses two other products' diagrams: a www-canonical Pro zone with a server by IP, and an apex on a VPS", async () => {
    const ledgerly = await graph(domainMapMermaid(await founderMap(LEDGERLY)));
    for (const e of [
      ["ledgerly.io", "www.ledgerly.io", "301 redirect"],
      ["docs.ledgerly.io", "hosting.gitbook.io", "via Cloudflare proxy"],
      ["email: ledgerly.io", "ledgerly-io.mail.protection.outlook.com", "MX 0"],
      ["postmark (postmark)", "email: ledgerly.io", "sends as"],
    ])
      assert.ok(
        ledgerly.edges.some((x) => x.join("|") === e.join("|")),
        e.join(" -> "),
      );
    assert.ok(ledgerly.edges.some(([from, to]) => from === "legacy.ledgerly.io" && to === "203.0.113.10"));

    const tutorbee = await graph(domainMapMermaid(await founderMap(TUTORBEE)));
    assert.ok(tutorbee.edges.some(([from, to]) => from === "tutorbee.app" && to === "198.51.100.20"));
    assert.ok(tutorbee.edges.some(([from, to]) => from === "status.tutorbee.app" && to === "statuspage.betteruptime.com"));
    assert.ok(tutorbee.edges.some(([from, to, label]) => from.endsWith("(amazon-ses)") && to === "email: tutorbee.app" && label === "sends as"));
  });

  it("keeps quotes, brackets, arrows and semicolons inside their labels", async () => {
    const map = fixtureMap();
    const hostile = 'x"]) --> evil[("; #1 <b>`';
    map.monitors = [{ ...map.monitors[0], name: hostile }];
    map.email.senders = [{ ...map.email.senders[0], name: hostile }];
    const { nodes, edges } = await graph(domainMapMermaid(map));
    assert.ok(nodes.includes(`${hostile} (google-workspace)`), "the sender's name comes back whole");
    assert.ok(nodes.includes("1 uptime monitor"));
    assert.ok(!nodes.some((n) => n.startsWith("evil")), "no node made from a label");
    assert.strictEqual(edges.length, 6 + 2 + 1 + 1);
  });

  it("writes label entities by hand-checked rules", () => {
    assert.strictEqual(mermaidLabel('a"b#c;d<e>f`g'), "a#quot;b#35;c#59;d#lt;e#gt;f#96;g");
    assert.strictEqual(mermaidLabel("api-v2.example.com"), "api-v2.example.com");
  });

  it("a broken diagram is rejected by the same parser", async () => {
    const text = domainMapMermaid(fixtureMap());
    await assert.rejects(mermaid.parse(text.replace('"Vercel"]', '"Vercel"')));
    await assert.rejects(mermaid.parse(`${text}\n  n0 -- "unterminated --> n1`));
  });
});
