import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Where the local stream poller remembers how far it got: per stream, per shard, the sequence number of
 * the last record it handled. (In AWS the event source mapping keeps this itself.)
 */
export interface CheckpointStore {
  load(streamArn: string): Promise<Record<string, string>>;
  save(streamArn: string, shardId: string, sequenceNumber: string): Promise<void>;
}

type Checkpoints = Record<string, Record<string, string>>;

/** Checkpoints in memory (tests; `npm start -- --in-memory`, where the stream does not outlive the process). */
export function memoryCheckpointStore(): CheckpointStore & { snapshot(): Checkpoints } {
  const data: Checkpoints = {};
  return {
    async load(streamArn) {
      return { ...data[streamArn] };
    },
    async save(streamArn, shardId, sequenceNumber) {
      (data[streamArn] ??= {})[shardId] = sequenceNumber;
    },
    snapshot: () => structuredClone(data),
  };
}

/**
 * Checkpoints in a JSON file (by default `.data/event-relay-checkpoints.json`, next to DynamoDB Local's
 * files), keyed by stream ARN. A stream ARN names the table and its creation time, so a table that is
 * dropped and recreated starts from its new stream's beginning instead of a stale position. Each save
 * writes a temporary file and renames it over the old one, so a crash never leaves half a file.
 */
export function fileCheckpointStore(path: string): CheckpointStore {
  let writes: Promise<void> = Promise.resolve();

  async function read(): Promise<Checkpoints> {
    try {
      return JSON.parse(await readFile(path, "utf8")) as Checkpoints;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw new Error(`Cannot read the event relay's checkpoints in ${path}: ${(error as Error).message}`);
    }
  }

  return {
    async load(streamArn) {
      await writes;
      return { ...(await read())[streamArn] };
    },
    save(streamArn, shardId, sequenceNumber) {
      const write = writes.then(async () => {
        const data = await read();
        (data[streamArn] ??= {})[shardId] = sequenceNumber;
        await mkdir(dirname(path), { recursive: true });
        const temporary = `${path}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`);
        await rename(temporary, path);
      });
      writes = write.catch(() => {});
      return write;
    },
  };
}
