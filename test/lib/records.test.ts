import { strict as assert } from "assert";
import { targetRecord } from "../../lib/dns/records";
import { txtContent } from "../../policies/shared/dns-text";

describe("DNS record building", () => {
  it("quotes TXT content and splits it into 255-byte strings", () => {
    assert.equal(txtContent("v=spf1 -all"), '"v=spf1 -all"');
    const key = `v=DKIM1; k=rsa; p=${"A".repeat(400)}`;
    const content = txtContent(key);
    const parts = content.match(/"[^"]*"/g)!;
    assert.deepEqual(
      parts.map((p) => p.length - 2),
      [255, key.length - 255],
    );
  });

  it("does not quote twice a value given already quoted or split", () => {
    assert.equal(txtContent('"v=spf1 -all"'), '"v=spf1 -all"');
    assert.equal(txtContent('"v=DKIM1; k=rsa; " "p=ABC"'), '"v=DKIM1; k=rsa; p=ABC"');
  });

  it("points Vercel hosts the way Vercel documents: A at the apex, CNAME below it", () => {
    assert.deepEqual(targetRecord("vercel", "@"), { type: "A", content: "76.76.21.21" });
    assert.deepEqual(targetRecord("vercel", "app"), { type: "CNAME", content: "cname.vercel-dns.com" });
    assert.deepEqual(targetRecord({ ipv6: "2001:db8::1" }, "api"), { type: "AAAA", content: "2001:db8::1" });
  });
});
