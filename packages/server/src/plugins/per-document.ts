// What a plugin learns from a document alone (does it introspect, which
// audited fields does it read, does a literal hold U+0000), worked out once
// per document rather than once per request. yoga's parser cache hands every
// request with the same query text the same DocumentNode, so a WeakMap keyed
// by it is a cache that goes when yoga's does; a new document is simply
// examined on its first use. Measured in the throughput bench (README,
// "Benchmarks"): each of these was a full walk of the document per request.
import type { DocumentNode } from "graphql";

export function perDocument<T>(examine: (document: DocumentNode) => T): (document: DocumentNode) => T {
  const known = new WeakMap<DocumentNode, T>();
  return (document) => {
    if (known.has(document)) return known.get(document)!;
    const found = examine(document);
    known.set(document, found);
    return found;
  };
}
