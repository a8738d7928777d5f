import { strict as assert } from "assert";
import { expiryThresholds } from "../../../tools/verify/tls-checks";

const DAY = 86400000;
const at = (days: number) => new Date(Date.UTC(2026, 0, 1) + days * DAY);

describe("verify: certificate expiry judged against the certificate's lifetime", () => {
  it("90-day certificates warn under 30 days left and fail under 7; 47-day ones warn under about 16 and fail under about 5", () => {
    assert.deepEqual(expiryThresholds(at(0), at(90)), { lifetimeDays: 90, warnDays: 30, failDays: 7 });
    const short = expiryThresholds(at(0), at(47));
    assert.equal(short.lifetimeDays, 47);
    assert.ok(Math.abs(short.warnDays - 47 / 3) < 1e-9 && Math.abs(short.failDays - 4.7) < 1e-9);
  });

  it("a year-long certificate is not flagged months ahead: the thresholds are capped at 30 and 7 days", () => {
    assert.deepEqual(expiryThresholds(at(0), at(398)), { lifetimeDays: 398, warnDays: 30, failDays: 7 });
  });
});
