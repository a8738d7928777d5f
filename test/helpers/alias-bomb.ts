/** A nested alias bomb under `namespace`: level 0 holds nine strings, each further level nine aliases of the one before. */
export function aliasBomb(levels: number, namespace = "tidepool"): string {
  const lines = ["config:", `  ${namespace}:l0: &l0 [${Array(9).fill('"lol"').join(", ")}]`];
  for (let i = 1; i < levels; i++)
    lines.push(
      `  ${namespace}:l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(", ")}]`,
    );
  return lines.join("\n") + "\n";
}
