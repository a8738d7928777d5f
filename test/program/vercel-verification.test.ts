/** Issue 21, finding 4: the stack declares Vercel's `_vercel` TXT from ProjectDomain.verifications. */
import { strict as assert } from "assert";
import { planExample } from "../helpers/stack-config";
import { renderPlan } from "../../tools/offline/render";
import { UNKNOWN } from "../../lib/conformance/values-path";
import { vercelVerificationContent, vercelVerificationRecords } from "../../lib/hosting/verification";
import type { WebHost } from "../../lib/dns/records";

const host = (name: string, fqdn: string, target: WebHost["target"], role: WebHost["role"] = "subdomain"): WebHost =>
  ({ name, fqdn, role, target, proxied: true, healthPath: "/", api: false, monitor: true }) as WebHost;

describe("Vercel domain verification (issue 21, finding 4)", () => {
  // Another product than the example: apex on Vercel, www redirecting, docs elsewhere.
  const hosts = [
    host("@", "opsgpt.io", "vercel", "canonical"),
    host("www", "www.opsgpt.io", "vercel", "redirect"),
    host("console", "console.opsgpt.io", "vercel"),
    host("docs", "docs.opsgpt.io", { cname: "hosting.gitbook.io" } as WebHost["target"]),
  ];

  it("declares one TXT at _vercel.<apex> per host Vercel serves (not the redirecting twin, not another provider's host)", () => {
    const records = vercelVerificationRecords("opsgpt.io", hosts);
    assert.deepEqual(
      records.map((r) => [r.host, r.record.fqdn, r.record.type, r.record.proxied]),
      [
        ["opsgpt.io", "_vercel.opsgpt.io", "TXT", false],
        ["console.opsgpt.io", "_vercel.opsgpt.io", "TXT", false],
      ],
    );
    // _vercel is never a CNAME'd name: no web host is called that, so Cloudflare's record-beside-CNAME refusal cannot hit it.
    assert.ok(!hosts.some((h) => h.name === "_vercel"));
  });

  it("carries Vercel's value when it asks for one, and a 'nothing pending' text when the list is empty", () => {
    const [, { record }] = vercelVerificationRecords("opsgpt.io", hosts);
    const asked = [{ type: "TXT", domain: "_vercel.opsgpt.io", value: "vc-domain-verify=console.opsgpt.io,9f2c1e", reason: "pending_domain_verification" }];
    assert.equal(vercelVerificationContent(record, "console.opsgpt.io", asked), '"vc-domain-verify=console.opsgpt.io,9f2c1e"');
    assert.equal(vercelVerificationContent(record, "console.opsgpt.io", []), '"launch-ready: no Vercel verification pending for console.opsgpt.io"');
    // A challenge for another name is not this record's.
    assert.equal(
      vercelVerificationContent(record, "console.opsgpt.io", [{ ...asked[0], domain: "_vercel.other.io" }]),
      vercelVerificationContent(record, "console.opsgpt.io", []),
    );
  });

  it("the example's plan declares them under Hosting, content from the ProjectDomain (unknown at preview)", async () => {
    const prod = await planExample("prod");
    const txt = prod.resources.filter((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord" && r.props.name === "_vercel.acmechat.dev");
    assert.deepEqual(txt.map((r) => r.name).sort(), [
      "launch-ready-hosting-_vercel-TXT-vercel-apex",
      "launch-ready-hosting-_vercel-TXT-vercel-api",
      "launch-ready-hosting-_vercel-TXT-vercel-app",
    ]);
    for (const r of txt) {
      assert.equal(r.props.content, UNKNOWN, "the provider computes verifications: a preview does not know them");
      const domain = prod.resources.find((d) => r.dependencies.includes(d.urn) && d.type === "vercel:index/projectDomain:ProjectDomain");
      assert.ok(domain, `${r.name} depends on its ProjectDomain`);
    }
  });

  it("the plan text shows the content Vercel decides at pulumi up as such, never the engine's unknown sentinel", async () => {
    const text = renderPlan(await planExample("prod"));
    assert.match(text, /TXT {3}_vercel\.acmechat\.dev -> \[known after pulumi up\] \[dns only\]/);
    assert.ok(!text.includes(UNKNOWN), "no raw sentinel in the text");
  });
});
