/**
 * What verify's client-bundle scan relies on (secret-scanning.json; a name of its own, since "./secret-scanning" would load the JSON): which secretlint rules find
 * which kind of secret, the rule options it turns on, the gaps it fills (secretlint's pattern rule
 * or its own detector, each with why), and the publishable keys that are no finding.
 */
import { z } from "zod";
import json from "./secret-scanning.json";

export const secretScanningSchema = z
  .object({
    scanner: z
      .object({
        packages: z.record(z.string(), z.string()),
        source: z.string().min(1),
        options: z.array(
          z.object({ rule: z.string(), options: z.record(z.string(), z.unknown()), why: z.string().min(1), source: z.string().min(1) }).strict(),
        ),
      })
      .strict(),
    kinds: z.array(z.object({ ruleId: z.string(), messageId: z.string(), kind: z.string().min(1), rotate: z.string().min(1) }).strict()),
    gaps: z.array(
      z
        .object({
          kind: z.string().min(1),
          detector: z.enum(["own", "pattern"]),
          what: z.string().optional(),
          pattern: z.string().optional(),
          why: z.string().min(1),
          rotate: z.string().min(1),
          source: z.string().min(1),
        })
        .strict()
        .refine((g) => (g.detector === "pattern") === !!g.pattern, { message: "a pattern gap has a pattern; an own detector has none" }),
    ),
    publishable: z.array(z.object({ kind: z.string().min(1), why: z.string().min(1), source: z.string().min(1) }).strict()),
  })
  .strict();

export const secretScanning: z.infer<typeof secretScanningSchema> = json as z.infer<typeof secretScanningSchema>;
export const secretScanningJson: unknown = json;
