/**
 * The bus every audit event is published to (Source `users.service`, DetailType the event type).
 * On its own so the real SST component can be evaluated under Pulumi's mocks without the functions
 * infra/events.ts subscribes to it (infra/test/pulumi-components.test.ts).
 */
export const bus = new sst.aws.Bus("Bus");
