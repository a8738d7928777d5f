/**
 * Where a CLI's `main(argv, io)` writes: stdout and stderr for the command line, arrays in the
 * tests that call it in-process. Each call is one line (the newline is added).
 */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
