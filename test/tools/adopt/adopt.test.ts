/**
 * `npm run adopt` against a loopback server that answers like Cloudflare's API v4: paginated
 * records, a rate limit, missing permissions, a zone with conflicting records and one with a
 * dashboard-made ruleset; then the offline plan of the adopted stack.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStackYaml } from "../../../lib/config/stack-yaml";
import { main } from "../../../tools/cli/adopt";
import { renderHandover } from "../../../lib/handover";
import { validateStackConfig } from "../../../lib/config/validate";
import { planAdoption } from "../../../lib/adopt/match";
import { allSecretsSet, HANDOVER, PROJECT_NAME, rawConfig } from "../../helpers/stack-config";
import { planStack } from "../../../tools/offline/plan";
import { conformanceOf, REPO_ROOT } from "../../../tools/conformance/run";
import { EXAMPLE_DIR } from "../../../tools/offline/stack-files";
import { RESOURCE_TYPES as T } from "../../../policies/shared/resource-types";
import { startCloudflareApi, type ApiServer, type ApiZone, type Scenario } from "./helpers/cloudflare-api";

const ZONE_ID = "0d3f5e8a1b2c4d6e8f0a1b2c3d4e5f60";
const TOKEN = "read-only-test-token";
const id = (n: number) => n.toString(16).padStart(32, "0");

/** acmechat.dev as a founder set it up by hand: Vercel apex, Google mail, an old host, a dashboard WAF rule, flexible SSL. */
function handMadeZone(): ApiZone {
  return {
    zoneId: ZONE_ID,
    records: [
      { id: id(1), name: "acmechat.dev", type: "A", content: "76.76.21.21", proxied: true },
      { id: id(2), name: "www.acmechat.dev", type: "CNAME", content: "acmechat.dev", proxied: false },
      { id: id(3), name: "acmechat.dev", type: "MX", content: "smtp.google.com", priority: 1 },
      { id: id(4), name: "acmechat.dev", type: "TXT", content: '"v=spf1 include:_spf.google.com ~all"' },
      { id: id(5), name: "acmechat.dev", type: "TXT", content: '"google-site-verification=4ZrTq1c9"' },
      { id: id(6), name: "_dmarc.acmechat.dev", type: "TXT", content: '"v=DMARC1; p=none"' },
      { id: id(7), name: "old.acmechat.dev", type: "A", content: "203.0.113.7", proxied: true },
      { id: id(8), name: "acmechat.dev", type: "NS", content: "ada.ns.cloudflare.com" },
      { id: id(9), name: "app.acmechat.dev", type: "CNAME", content: "cname.vercel-dns.com", proxied: true },
      { id: id(10), name: "docs.acmechat.dev", type: "CNAME", content: "hosting.gitbook.io" },
      { id: id(11), name: "blog.acmechat.dev", type: "CNAME", content: "domains.ghost.io" },
    ],
    rulesets: {
      http_request_firewall_custom: {
        id: "2f2feab2026849078ba485f918791bdc",
        name: "default",
        rules: [{ ref: "block-xx", description: "Block a country", expression: '(ip.src.country eq "XX")', action: "block" }],
      },
    },
    settings: {
      ssl: "flexible",
      always_use_https: "off",
      min_tls_version: "1.0",
      tls_1_3: "on",
      automatic_https_rewrites: "on",
      // A new zone's Email Obfuscation, which the stack turns off (issue 24).
      email_obfuscation: "on",
      security_header: { strict_transport_security: { enabled: false, max_age: 0, include_subdomains: false, preload: false, nosniff: false } },
      security_level: "medium",
      browser_check: "on",
      http3: "on",
      "0rtt": "off",
    },
  };
}

describe("npm run adopt (against a loopback Cloudflare API)", function () {
  this.timeout(60_000);
  let dir: string;
  let api: ApiServer | undefined;
  const start = async (zone: ApiZone, scenario: Partial<Scenario> = {}) => {
    api = await startCloudflareApi(zone, { token: TOKEN, ...scenario });
    return api;
  };
  const run = async (extra: string[] = [], token = TOKEN) => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (into: string[]) => ({ write: (s: string) => into.push(s) }) as unknown as NodeJS.WritableStream;
    const code = await main(["--stack", "prod", "--dir", dir, "--api-url", api!.url, "--page-size", "5", ...extra], sink(out), sink(err), {
      CLOUDFLARE_API_TOKEN: token,
    });
    return { code, out: out.join(""), err: err.join("") };
  };
  const stackFile = () => fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-adopt-"));
    fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.copyFileSync(path.join(EXAMPLE_DIR, "Pulumi.prod.yaml"), path.join(dir, "Pulumi.prod.yaml"));
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads every page, reports the audit, and writes the ids into the stack file keeping its comments", async () => {
    await start(handMadeZone());
    const before = stackFile();
    const r = await run();
    assert.equal(r.code, 0, r.err);
    const pages = api!.requests.filter((q) => q.startsWith("GET /client/v4/zones/0d3f5e8a1b2c4d6e8f0a1b2c3d4e5f60/dns_records"));
    assert.deepEqual(
      pages.map((q) => new URL(q.split(" ")[1], "http://x").searchParams.get("page") ?? "1"),
      ["1", "2", "3", "4"],
      "11 records in pages of 5, then the empty page that ends the listing",
    );
    assert.match(
      r.out,
      /acmechat\.dev A {2}\[phase two changes: comment \(none\) -> "launch-ready: canonical web host"\] {2}\(key "@ web", id 0+1\)\n {4}phase one imports: A 76\.76\.21\.21, ttl auto, proxied, no comment\n/,
    );
    assert.match(
      r.out,
      /www\.acmechat\.dev CNAME {2}\[phase two changes: content acmechat\.dev -> cname\.vercel-dns\.com; proxied through Cloudflare; comment \(none\) -> "launch-ready: answers with a 301 to the canonical host"\]/,
    );
    assert.match(
      r.out,
      /_dmarc\.acmechat\.dev TXT {2}\[phase two changes: content "v=DMARC1; p=none" -> "v=DMARC1; p=none; rua=mailto:dmarc-reports@acmechat\.dev"; comment \(none\) -> "launch-ready: DMARC"\]/,
    );
    assert.match(
      r.out,
      /docs\.acmechat\.dev CNAME {2}\[phase two changes: ttl auto -> 300s; comment \(none\) -> "launch-ready: subdomain web host"\]/,
      "a TTL difference is reported too",
    );
    assert.match(
      r.out,
      /Records the stack does not declare \(left untouched\): 3\n {2}acmechat\.dev TXT "google-site-verification=4ZrTq1c9"\n {2}old\.acmechat\.dev A 203\.0\.113\.7\n {2}blog\.acmechat\.dev CNAME domains\.ghost\.io/,
    );
    assert.match(
      r.out,
      / {4}launch-ready:zone:\n {6}extraRecords:\n {8}- name: "@"\n {10}type: TXT\n {10}content: google-site-verification=4ZrTq1c9\n {8}- name: old\n {10}type: A\n {10}content: 203\.0\.113\.7\n {10}proxied: true/,
    );
    assert.match(
      r.out,
      /http_request_firewall_custom \(id 2f2feab2026849078ba485f918791bdc, "default"\): phase one imports its 1 rule\(s\) as they are; phase two replaces the 1 rule\(s\) made elsewhere with the stack.s\n {4}- block: \(ip\.src\.country eq "XX"\) {2}"Block a country"/,
    );
    assert.match(
      r.out,
      / {4}launch-ready:edge:\n {6}extraRules:\n {8}http_request_firewall_custom:\n {10}- description: Block a country\n {12}expression: \(ip\.src\.country eq "XX"\)\n {12}action: block/,
    );
    assert.match(
      r.out,
      /Zone settings that differ from the bar \(pulumi up sets the bar's value\): 6\n {2}ssl: flexible -> strict\n {2}always_use_https: off -> on\n {2}min_tls_version: 1\.0 -> 1\.2\n {2}security_header: .*\n {2}email_obfuscation: on -> off\n {2}automatic_https_rewrites: on -> off\n/,
    );

    const after = stackFile();
    assert.notEqual(after, before);
    assert.ok(after.includes("# Production stack of an example AI chatbot"), "the file's comments are kept");
    assert.ok(after.includes("# GitBook issues the certificate itself and needs DNS-only."));
    const zone = (parseStackYaml(after, "Pulumi.prod.yaml") as { config: Record<string, any> }).config["launch-ready:zone"];
    const ids = (entries: Record<string, { id: string; live: unknown }>) => Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v.id]));
    assert.deepEqual(ids(zone.existingRecords), {
      "@ web": id(1),
      "www web": id(2),
      "app web": id(9),
      "docs web": id(10),
      "@ TXT spf": id(4),
      "_dmarc TXT dmarc": id(6),
      "@ MX smtp.google.com": id(3),
    });
    assert.deepEqual(ids(zone.existingRulesets), { http_request_firewall_custom: "2f2feab2026849078ba485f918791bdc" });
    assert.deepEqual(
      zone.existingRecords["docs web"].live,
      { type: "CNAME", content: "hosting.gitbook.io", ttl: 1, proxied: false },
      "phase one's live values",
    );
    assert.deepEqual(Object.keys(zone).slice(0, 4), ["name", "id", "accountId", "plan"], "existing keys keep their order");
  });

  it("the adopted stack's offline plan imports each adopted record and ruleset, creates no duplicate, and passes conformance", async () => {
    await start(handMadeZone());
    assert.equal((await run()).code, 0);
    const config = (parseStackYaml(stackFile(), "Pulumi.prod.yaml") as { config: Record<string, unknown> }).config;
    const p = await planStack("prod", { stackFile: { config } });
    const imported = p.resources.filter((r) => r.opts.importId);
    assert.deepEqual(
      imported.map((r) => r.opts.importId).sort(),
      [...[1, 2, 3, 4, 6, 9, 10].map((n) => `${ZONE_ID}/${id(n)}`), `zones/${ZONE_ID}/2f2feab2026849078ba485f918791bdc`].sort(),
    );
    for (const r of imported.filter((x) => x.type === T.dnsRecord)) assert.equal(r.opts.retainOnDelete, true, `${r.name} stays on destroy`);
    // No planned record would be created beside a live one of the same name and type.
    const live = handMadeZone().records.map((r) => `${r.name} ${r.type}`);
    const creates = p.resources.filter((r) => r.type === T.dnsRecord && !r.opts.importId).map((r) => `${r.props.name} ${r.props.type}`);
    assert.deepEqual(
      creates.filter((c) => live.includes(c) && !c.endsWith(" TXT")),
      [],
    );
    assert.deepEqual(
      conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT }).findings.map((f) => f.message),
      [],
    );
    assert.match(
      p.domainMap.records
        .filter((r) => r.adopted)
        .map((r) => r.name)
        .join(" "),
      /^acmechat\.dev www\.acmechat\.dev app\.acmechat\.dev docs\.acmechat\.dev/,
    );
    const ruleset = imported.find((r) => r.type === T.ruleset)!;
    assert.deepEqual([ruleset.opts.retainOnDelete, ruleset.opts.ignoreChanges], [true, ["name"]]);
    const handover = renderHandover(p.domainMap, HANDOVER);
    assert.match(
      handover,
      /7 record\(s\) marked "adopted" existed before this stack: it imported and now manages them, and `pulumi destroy` leaves them in the zone/,
    );
    assert.match(
      handover,
      /Adopted rule phases \(`http_request_firewall_custom`\): their rulesets existed before this stack, .*`pulumi destroy` leaves them with the stack's rules/,
    );
  });

  it("a zone with its own request-header rules: the origin lock adopts that entrypoint instead of creating a second one", async () => {
    const zone = handMadeZone();
    zone.rulesets = {
      ...zone.rulesets,
      http_request_late_transform: {
        id: "5c6f0b7c1a2d4e3f8a9b0c1d2e3f4a5b",
        name: "default",
        rules: [{ ref: "x-app", description: "Tag requests", expression: "true", action: "rewrite" }],
      },
    };
    await start(zone);
    const r = await run();
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /http_request_late_transform \(id 5c6f0b7c1a2d4e3f8a9b0c1d2e3f4a5b, "default"\): phase one imports its 1 rule\(s\) as they are/);
    const config = (parseStackYaml(stackFile(), "Pulumi.prod.yaml") as { config: Record<string, unknown> }).config;
    const p = await planStack("prod", { stackFile: { config } });
    const lock = p.resources.find((x) => x.name === "launch-ready-origin-lock-http_request_late_transform")!;
    assert.equal(lock.opts.importId, `zones/${ZONE_ID}/5c6f0b7c1a2d4e3f8a9b0c1d2e3f4a5b`);
  });

  it("refuses to write when records conflict, saying what to delete first", async () => {
    const zone = handMadeZone();
    zone.records.push(
      { id: id(20), name: "api.acmechat.dev", type: "A", content: "198.51.100.20", proxied: true },
      { id: id(21), name: "acmechat.dev", type: "TXT", content: '"v=spf1 include:sendgrid.net ~all"' },
      { id: id(22), name: "acmechat.dev", type: "MX", content: "mx.old-host.example", priority: 10 },
    );
    await start(zone);
    const before = stackFile();
    const r = await run();
    assert.equal(r.code, 1);
    assert.match(r.out, /Conflicts to fix before pulumi up: 3/);
    assert.match(
      r.out,
      /api\.acmechat\.dev holds A 198\.51\.100\.20 where the plan wants CNAME cname\.vercel-dns\.com: the type cannot change in place, and Cloudflare refuses a CNAME beside it\.\n {4}Fix: delete the A record \(id 0+14\) in the Cloudflare dashboard right before pulumi up/,
    );
    assert.match(r.out, /acmechat\.dev holds a second SPF1 record \("v=spf1 include:sendgrid\.net ~all"\): receivers treat two as an error/);
    assert.match(r.out, /acmechat\.dev has an MX to mx\.old-host\.example \(priority 10\) the plan does not declare: mail would be split/);
    assert.match(r.err, /nothing written to Pulumi\.prod\.yaml: fix the 3 conflict\(s\) above/);
    assert.equal(stackFile(), before);
  });

  it("--dry-run prints the lines it would add and writes nothing", async () => {
    await start(handMadeZone());
    const before = stackFile();
    const r = await run(["--dry-run"]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /--dry-run: Pulumi\.prod\.yaml would gain \d+ line\(s\):\n\+ {5}existingRecords:\n\+ {7}"@ web":\n\+ {9}id: "0+1"\n\+ {9}live:\n\+ {11}type: "A"\n\+ {11}content: "76\.76\.21\.21"\n\+ {11}ttl: 1\n\+ {11}proxied: true\n/,
    );
    assert.match(
      r.out,
      /\+ {5}existingRulesets:\n\+ {7}"http_request_firewall_custom":\n\+ {9}id: "2f2feab2026849078ba485f918791bdc"\n\+ {9}live:\n\+ {11}name: "default"\n/,
    );
    assert.equal(stackFile(), before);
  });

  it("waits out a rate limit (Retry-After) and goes on", async () => {
    await start(handMadeZone(), { rateLimited: { path: `/client/v4/zones/${ZONE_ID}/dns_records`, times: 1, retryAfter: 1 } });
    const r = await run(["--dry-run"]);
    assert.equal(r.code, 0, r.err);
    const asked = api!.requests.filter((q) => q.includes("/dns_records"));
    assert.equal(asked[0], asked[1], "the limited request is asked again");
  });

  it("gives up on a rate limit that asks for an hour, saying so", async () => {
    await start(handMadeZone(), { rateLimited: { path: `/client/v4/zones/${ZONE_ID}/dns_records`, times: 99, retryAfter: 3600 } });
    const r = await run(["--max-wait", "0.2"], TOKEN);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^adopt: Cloudflare rate-limited the token while reading the zone's DNS records \(429, retry after 3600 s\): wait and run adopt again\.\n$/,
    );
  });

  it("explains a wrong token (401) and a missing permission (403) with the permission to add", async () => {
    await start(handMadeZone(), { forbidden: [`/client/v4/zones/${ZONE_ID}/rulesets/phases/http_ratelimit`] });
    const wrong = await run([], "not-the-token");
    assert.equal(wrong.code, 1);
    assert.match(
      wrong.err,
      /Cloudflare refused the token \(401\) while reading the zone \(its name and plan\): CLOUDFLARE_API_TOKEN is missing, mistyped or revoked\. Create a token with Zone > Zone > Read/,
    );
    const forbidden = await run();
    assert.equal(forbidden.code, 1);
    assert.match(forbidden.err, /the token may not read the http_ratelimit entrypoint ruleset \(403\): give it Zone > Zone WAF > Read for this zone/);
  });

  it("needs a token and a stack, before calling anything", async () => {
    await start(handMadeZone());
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const errs: string[] = [];
    const err = { write: (s: string) => errs.push(s) } as unknown as NodeJS.WritableStream;
    assert.equal(await main(["--stack", "prod", "--dir", dir, "--api-url", api!.url], sink, err, {}), 1);
    assert.match(
      errs.join(""),
      /set CLOUDFLARE_API_TOKEN to a read-only token for the zone \(Zone > Zone > Read, Zone > DNS > Read, Zone > Zone Settings > Read, Zone > Zone WAF > Read/,
    );
    assert.equal(await main(["--dir", dir], sink, err, { CLOUDFLARE_API_TOKEN: TOKEN }), 2);
    assert.equal(await main(["--stack", "prod", "--page-size", "2"], sink, err, { CLOUDFLARE_API_TOKEN: TOKEN }), 2);
    assert.deepEqual(api!.requests, []);
  });
});

describe("adopt: the stack file edit", () => {
  it("merges into entries already there and leaves every other byte as it was", async () => {
    const { withAdoption } = await import("../../../tools/adopt/stack-file");
    const text = [
      "# top",
      "config:",
      "  launch-ready:zone:",
      "    name: example.com # the apex",
      "    existingRecords:",
      '      "www web": 0123456789abcdef0123456789abcdef',
      "    plan: free # Free plan",
      '  launch-ready:site: { name: "@" }',
      "",
    ].join("\n");
    const out = withAdoption(
      text,
      {
        records: { "@ web": "ffffffffffffffffffffffffffffffff" },
        rulesets: { http_ratelimit: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee" },
      },
      "launch-ready",
    );
    assert.equal(
      out,
      [
        "# top",
        "config:",
        "  launch-ready:zone:",
        "    name: example.com # the apex",
        "    existingRecords:",
        '      "www web": "0123456789abcdef0123456789abcdef"',
        '      "@ web": "ffffffffffffffffffffffffffffffff"',
        "    plan: free # Free plan",
        "    existingRulesets:",
        '      "http_ratelimit": "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"',
        '  launch-ready:site: { name: "@" }',
        "",
      ].join("\n"),
    );
    assert.throws(
      () => withAdoption("config:\n  launch-ready:zone: { name: x }\n", { records: { a: "b" }, rulesets: {} }, "launch-ready"),
      /no block mapping launch-ready:zone under config/,
    );
  });
});

describe("adopt: carrying over what the stack would leave alone or replace", () => {
  it("the suggested extraRecords and extraRules make the stack manage them: nothing is left untouched, the rule is kept after the stack's own", () => {
    const live = {
      records: handMadeZone().records as never,
      rulesets: {
        http_request_firewall_custom: {
          id: "2f2feab2026849078ba485f918791bdc",
          phase: "http_request_firewall_custom",
          rules: handMadeZone().rulesets!.http_request_firewall_custom.rules,
        },
      } as never,
      settings: {},
    };
    const raw = rawConfig("prod");
    raw.zone.extraRecords = [
      { name: "@", type: "TXT", content: "google-site-verification=4ZrTq1c9" },
      { name: "old", type: "A", content: "203.0.113.7", proxied: true },
      { name: "blog", type: "CNAME", content: "domains.ghost.io" },
    ];
    raw.edge.extraRules = { http_request_firewall_custom: [{ description: "Block a country", expression: '(ip.src.country eq "XX")', action: "block" }] };
    const { plan } = validateStackConfig(raw, "prod", allSecretsSet, PROJECT_NAME);
    const adoption = planAdoption(plan, live);
    assert.deepEqual(adoption.untouched, [], "every record the zone holds is now the stack's (NS records are Cloudflare's)");
    const extraKeys = plan.webRecords.filter((r) => r.purpose === "extra").map((r) => r.key);
    assert.deepEqual(
      adoption.records.filter((r) => extraKeys.includes(r.key)).map((r) => [r.fqdn, r.type, r.changes]),
      [
        // Only the comment the stack gives every record it manages (an in-place update in phase two).
        ["acmechat.dev", "TXT", ['comment (none) -> "launch-ready: kept from the zone"']],
        ["old.acmechat.dev", "A", ['comment (none) -> "launch-ready: kept from the zone"']],
        ["blog.acmechat.dev", "CNAME", ['comment (none) -> "launch-ready: kept from the zone"']],
      ],
    );
    const custom = plan.edge.rulesets.http_request_firewall_custom!;
    assert.deepEqual(custom[custom.length - 1], {
      ref: "extra_http_request_firewall_custom_0",
      description: "Block a country",
      expression: '(ip.src.country eq "XX")',
      action: "block",
      enabled: true,
    });
  });

  it("refuses extra rules for a phase the stack does not manage, and extra records that clash", () => {
    const raw = rawConfig("prod");
    raw.edge.extraRules = { http_request_transform: [{ description: "x", expression: "true", action: "rewrite" }] };
    raw.zone.extraRecords = [
      { name: "www", type: "TXT", content: "hello" },
      { name: "mail", type: "MX", content: "mx.example.net" },
    ];
    assert.throws(
      () => validateStackConfig(raw, "prod", allSecretsSet, PROJECT_NAME),
      (e: Error & { issues?: Array<{ key: string; message: string }> }) => {
        assert.deepEqual(
          e.issues!.map((i) => `${i.key}: ${i.message}`),
          [
            'launch-ready:edge.extraRules.http_request_transform: this stack declares no ruleset for phase "http_request_transform"; phases it manages: http_request_dynamic_redirect, http_request_cache_settings, http_response_compression, http_ratelimit, http_request_firewall_custom, http_request_firewall_managed, http_response_headers_transform',
            "launch-ready:zone.extraRecords[1].priority: an MX record needs a priority",
            "launch-ready:zone.extraRecords[0]: www.acmechat.dev would hold a CNAME (site.redirectTwin) and a TXT record (zone.extraRecords[0]): A name that holds a CNAME holds no other record, " +
              "and Cloudflare refuses the TXT (https://developers.cloudflare.com/dns/manage-dns-records/troubleshooting/records-with-same-name/). Keep one: remove site.redirectTwin, or give zone.extraRecords[0] a name of its own",
          ],
        );
        return true;
      },
    );
  });
});

describe("adopt: the command line", () => {
  const capture = () => {
    const text: string[] = [];
    return { text, stream: { write: (s: string) => text.push(s) } as unknown as NodeJS.WritableStream };
  };
  const env = { CLOUDFLARE_API_TOKEN: TOKEN };

  it("prints help, and refuses bad options with exit 2 before calling anything", async () => {
    const out = capture();
    assert.equal(await main(["--help"], out.stream, capture().stream, env), 0);
    assert.match(out.text.join(""), /^Usage: npm run adopt -- --stack NAME \[--dry-run\]/);
    for (const [argv, message] of [
      [["--stack", "prod", "--timeout", "5"], /--timeout must be a number of milliseconds \(at least 100\), got "5"/],
      [["--stack", "prod", "--max-wait", "999"], /--max-wait must be a number of seconds from 0 to 300, got "999"/],
      [["--stack", "prod", "--bogus"], /Unknown option '--bogus'/],
    ] as const) {
      const err = capture();
      assert.equal(await main(argv, capture().stream, err.stream, env), 2);
      assert.match(err.text.join(""), message);
    }
  });

  it("names a missing stack file", async () => {
    const err = capture();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-adopt-"));
    try {
      assert.equal(await main(["--stack", "nope", "--dir", dir, "--timeout", "1000"], capture().stream, err.stream, env), 1);
      fs.writeFileSync(path.join(dir, "Pulumi.mybot.yaml"), "config: {}\n");
      assert.equal(await main(["--stack", "nope", "--dir", dir, "--timeout", "1000"], capture().stream, err.stream, env), 1);
      const [none, mybot] = err.text.join("").split(/(?=adopt: )/);
      assert.match(
        none,
        /^adopt: no stack file Pulumi\.nope\.yaml in \S+ \(no stack file there\): write one with `npm run init`; .*--dir examples\/acmechat --stack prod/,
      );
      assert.match(mybot, /^adopt: no stack file Pulumi\.nope\.yaml in \S+ \(stack files there: mybot\): write one with `npm run init`/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("on a stack that does not own the zone, reads only the records (no rulesets or settings)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-adopt-"));
    const api = await startCloudflareApi(handMadeZone(), { token: TOKEN });
    try {
      fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      fs.copyFileSync(path.join(EXAMPLE_DIR, "Pulumi.staging.yaml"), path.join(dir, "Pulumi.staging.yaml"));
      const out = capture();
      assert.equal(await main(["--stack", "staging", "--dir", dir, "--api-url", api.url, "--dry-run"], out.stream, capture().stream, env), 0);
      assert.ok(
        api.requests.every((q) => q.includes("/dns_records") || q === `GET /client/v4/zones/${ZONE_ID}`),
        api.requests.join("\n"),
      );
      assert.match(out.text.join(""), /Rulesets this stack takes over \(one entrypoint per phase\): 0/);
    } finally {
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
