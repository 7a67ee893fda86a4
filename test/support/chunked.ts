// Sends a body with Transfer-Encoding: chunked (no Content-Length), as an
// attacker would to get past a limit that reads Content-Length only, and
// stops writing as soon as the server answers.
import { request } from "node:http";

export interface ChunkedResult {
  status: number;
  body: string;
  /** Bytes written before the answer came. */
  bytesSent: number;
  ms: number;
}

/** POSTs `prefix`, then `fill` repeated to about `totalBytes`, then `suffix`, in 64 KiB chunks. */
export function postChunked(url: string, headers: Record<string, string>, parts: { prefix: string; fill: string; suffix: string; totalBytes: number }): Promise<ChunkedResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const req = request(url, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } }, (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, bytesSent, ms: Date.now() - started });
      });
    });
    // The server may close the connection while we still write: that is the point.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const chunk = parts.fill.repeat(Math.max(1, Math.floor(65_536 / parts.fill.length)));
    const write = (data: string) => {
      bytesSent += Buffer.byteLength(data);
      return req.write(data);
    };
    write(parts.prefix);
    const pump = () => {
      while (!answered && !req.destroyed && bytesSent < parts.totalBytes) {
        if (!write(chunk)) return void req.once("drain", pump);
      }
      if (!answered && !req.destroyed) req.end(parts.suffix);
    };
    pump();
  });
}
