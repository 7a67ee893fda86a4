// The bare server the throughput is compared with: graphql-yoga with no
// authentication, limits, audit or database, answering the same shape as our
// simple query from memory.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSchema, createYoga } from "graphql-yoga";

export async function startBareServer(trustName: string) {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: `type Query { trusts(first: Int): TrustConnection! }
        type TrustConnection { edges: [TrustEdge!]! }
        type TrustEdge { node: Trust! }
        type Trust { name: String! }`,
      resolvers: { Query: { trusts: () => ({ edges: [{ node: { name: trustName } }] }) } },
    }),
    logging: false,
    landingPage: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
