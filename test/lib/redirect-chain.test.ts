/**
 * The redirect chain of the minimum bar, as verify (live hops) and the policy pack
 * (simulated hops) both judge it.
 */
import { strict as assert } from "assert";
import { judgeChain, requiredChain } from "../../policies/shared/redirect-chain";

const hop = (url: string, location: string, status = 301) => ({ url, status, location });

describe("redirect chain (the minimum bar)", () => {
  it("requires http:// to https:// on the same host first, then the canonical origin", () => {
    assert.deepEqual(requiredChain("http://www.example.com/a?b=1", "https://example.com"), ["https://www.example.com/a?b=1", "https://example.com/a?b=1"]);
    assert.deepEqual(requiredChain("https://www.example.com/a", "https://example.com"), ["https://example.com/a"]);
    assert.deepEqual(requiredChain("http://example.com/", "https://example.com"), ["https://example.com/"]);
    assert.deepEqual(requiredChain("https://example.com/", "https://example.com"), []);
  });

  it("passes the two-hop chain from the http twin and the one hop from the https twin (apex and www canonical)", () => {
    for (const [twin, canonical] of [
      ["www.example.com", "example.com"],
      ["example.com", "www.example.com"],
    ]) {
      const two = judgeChain(`http://${twin}/p?q=1`, `https://${canonical}`, [
        hop(`http://${twin}/p?q=1`, `https://${twin}/p?q=1`),
        hop(`https://${twin}/p?q=1`, `https://${canonical}/p?q=1`),
      ]);
      assert.equal(two.status, "pass", two.detail);
      assert.equal(judgeChain(`https://${twin}/p`, `https://${canonical}`, [hop(`https://${twin}/p`, `https://${canonical}/p`)]).status, "pass");
    }
  });

  it("fails http:// that jumps to the canonical host without https on its own host", () => {
    const v = judgeChain("http://www.example.com/p", "https://example.com", [hop("http://www.example.com/p", "https://example.com/p")]);
    assert.equal(v.status, "fail");
    assert.match(v.detail, /skips https on www\.example\.com/);
    assert.match(v.fix!, /301 to https:\/\/www\.example\.com/);
  });

  it("fails three hops, a loop, a dropped path, an https twin that goes through another host, and no redirect", () => {
    const three = judgeChain("http://www.example.com/p", "https://example.com", [
      hop("http://www.example.com/p", "https://www.example.com/p"),
      hop("https://www.example.com/p", "https://example.com/p", 302),
      hop("https://example.com/p", "https://example.com/p/"),
    ]);
    assert.match(three.detail, /3 hops \(at most 2\)/);
    const loop = judgeChain(
      "https://www.example.com/p",
      "https://example.com",
      [hop("https://www.example.com/p", "https://example.com/p"), hop("https://example.com/p", "https://www.example.com/p")],
      "https://www.example.com/p",
    );
    assert.match(loop.detail, /redirect loop/);
    assert.match(
      judgeChain("https://www.example.com/p?q=1", "https://example.com", [hop("https://www.example.com/p?q=1", "https://example.com/")]).detail,
      /path or query is dropped/,
    );
    assert.match(
      judgeChain("https://www.example.com/p", "https://example.com", [
        hop("https://www.example.com/p", "https://app.example.com/p"),
        hop("https://app.example.com/p", "https://example.com/p"),
      ]).detail,
      /does not follow/,
    );
    assert.equal(judgeChain("http://example.com/p", "https://example.com", []).status, "fail");
  });

  it("warns on a temporary status in an otherwise right chain", () => {
    const v = judgeChain("http://example.com/p", "https://example.com", [hop("http://example.com/p", "https://example.com/p", 302)]);
    assert.equal(v.status, "warn");
    assert.match(v.detail, /302 is temporary/);
  });
});
