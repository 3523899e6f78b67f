/**
 * The audit event relay inside `npm start`: polls the local table's stream and publishes new audit
 * events through the same relay and publisher as the Lambda (`events/relay-handler.ts`).
 *
 * - By default they go to an in-process bus (`LocalEventBus`) that delivers them to local subscribers
 *   with EventBridge's rule matching: a console line per event, and the example admin-grant alert.
 * - With `EVENT_BUS_NAME=<bus>` (and AWS credentials and region in the environment, as for the AWS CLI)
 *   they are published to that real EventBridge bus instead, and its rules deliver them.
 *
 * The poller's checkpoint is a file in the data directory, so a restart carries on where it stopped
 * (records handled but not yet checkpointed when the process died are delivered again: at least once).
 */
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import * as Events from "@users/core/events/index";
import { fileCheckpointStore, memoryCheckpointStore } from "./checkpoint.ts";
import { LocalEventBus, type AuditBusEvent, type Subscriber } from "./event-bus.ts";
import { StreamPoller } from "./stream-poller.ts";
import { handler as adminGrantAlert, adminGrantPattern } from "../events/admin-grant-alert.ts";
import { relayBatch } from "../events/relay-handler.ts";

export interface LocalEventRelayOptions {
  tableName: string;
  /** Where the checkpoint and dead letters are kept (e.g. `.data`); null keeps the checkpoint in memory. */
  stateDir: string | null;
  /** Local subscribers (default: an event log line and the admin-grant alert). Ignored with a real bus. */
  subscribers?: Subscriber[];
}

export interface LocalEventRelay {
  /** Where events go, for the start-up banner. */
  description: string;
  /** The local bus, when events are dispatched in-process (not with EVENT_BUS_NAME). */
  bus?: LocalEventBus;
  poller: StreamPoller;
  stop(): Promise<void>;
}

export const defaultSubscribers: Subscriber[] = [
  {
    name: "event-log",
    pattern: { source: [Events.EVENT_SOURCE] },
    handler: (event: AuditBusEvent) => {
      const { detail } = event;
      console.log(`event  ${event["detail-type"].padEnd(22)} user ${detail.userId}  (eventId ${detail.eventId})`);
    },
  },
  { name: "admin-grant-alert", pattern: adminGrantPattern, handler: adminGrantAlert },
];

export async function startLocalEventRelay(options: LocalEventRelayOptions): Promise<LocalEventRelay> {
  const realBus = Events.eventBusName();
  let bus: LocalEventBus | undefined;
  let sender: Events.PutEventsSender;
  if (realBus) {
    sender = Events.eventBridgeSender();
  } else {
    bus = new LocalEventBus({ busName: "local" });
    for (const subscriber of options.subscribers ?? defaultSubscribers) bus.subscribe(subscriber);
    sender = bus;
  }
  const publisher = Events.createPublisher({ sender, eventBusName: realBus ?? bus!.busName });

  const checkpoints = options.stateDir
    ? fileCheckpointStore(join(options.stateDir, "event-relay-checkpoints.json"))
    : memoryCheckpointStore();
  const deadLetterFile = options.stateDir ? join(options.stateDir, "event-relay-dead-letters.jsonl") : null;

  const poller = new StreamPoller({
    tableName: options.tableName,
    checkpoints,
    handleRecords: async (records) => relayBatch(records, publisher),
    // Like the event source mapping's on-failure destination: after 10 attempts the failed records are
    // kept (file, or the log in memory mode) with everything needed to replay them, and the relay moves on.
    maxRetries: 10,
    deadLetter: async (records, shardId, streamArn) => {
      const lines = records.map((record) => JSON.stringify({ at: new Date().toISOString(), streamArn, shardId, record }));
      if (deadLetterFile) {
        await mkdir(options.stateDir!, { recursive: true });
        await appendFile(deadLetterFile, `${lines.join("\n")}\n`);
      } else {
        for (const line of lines) console.error(`dead letter ${line}`);
      }
    },
  });
  poller.start();
  return {
    description: realBus
      ? `relayed to EventBridge bus ${realBus}`
      : `relayed to local subscribers (${(options.subscribers ?? defaultSubscribers).map((s) => s.name).join(", ")}); EVENT_BUS_NAME=<bus> sends them to AWS`,
    bus,
    poller,
    stop: () => poller.stop(),
  };
}
