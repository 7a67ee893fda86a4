// A progress bar on the terminal (stderr), redrawn in place; plain lines when
// stderr is not a terminal (CI logs).
export function progressBar(unit: string) {
  const started = performance.now();
  const width = 30;
  return {
    update(done: number, total: number, marks: number) {
      const filled = Math.round((done / total) * width);
      const seconds = (performance.now() - started) / 1000;
      const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${unit}, ${marks.toLocaleString("en-GB")} marks, ${seconds.toFixed(0)} s`;
      if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
      else process.stderr.write(`${line}\n`);
    },
    done() {
      if (process.stderr.isTTY) process.stderr.write("\n");
    },
  };
}
