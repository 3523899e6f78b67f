import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of a real server (DynamoDB Local) that can freeze, like a store that stalls:
 * while frozen it accepts connections and reads what clients send but forwards nothing either way;
 * on thaw the held bytes flow again. `refuse()` makes it close new connections at once (unreachable).
 */
export class FreezableProxy {
  #server: Server;
  #pairs = new Set<{ client: Socket; upstream: Socket; held: { toUpstream: Buffer[]; toClient: Buffer[] } }>();
  #frozen = false;
  #refusing = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.#server = createServer((client) => this.#accept(client));
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.port = (this.#server.address() as { port: number }).port;
    return this;
  }

  freeze(): void {
    this.#frozen = true;
  }

  thaw(): void {
    this.#frozen = false;
    this.#refusing = false;
    for (const pair of this.#pairs) {
      for (const chunk of pair.held.toUpstream.splice(0)) pair.upstream.write(chunk);
      for (const chunk of pair.held.toClient.splice(0)) pair.client.write(chunk);
    }
  }

  refuse(): void {
    this.#refusing = true;
    for (const pair of this.#pairs) pair.client.destroy();
  }

  #accept(client: Socket): void {
    if (this.#refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    const pair = { client, upstream, held: { toUpstream: [] as Buffer[], toClient: [] as Buffer[] } };
    this.#pairs.add(pair);
    client.on("data", (chunk: Buffer) => (this.#frozen ? pair.held.toUpstream.push(chunk) : upstream.write(chunk)));
    upstream.on("data", (chunk: Buffer) => (this.#frozen ? pair.held.toClient.push(chunk) : client.write(chunk)));
    const close = () => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close);
    upstream.on("close", close);
    client.on("error", close);
    upstream.on("error", close);
  }

  async stop(): Promise<void> {
    for (const pair of this.#pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
