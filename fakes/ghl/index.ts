export { startFakeGhl, type FakeGhl, type FakeGhlOptions, type Fault, type RequestLogEntry } from './server';
export type { Delivery, SendManyOptions, SendOptions, SignWith, WebhookKeys } from './webhooks';
export type * from './state';
export { contactEvent, opportunityStatusEvent, appointmentCreateEvent, outboundMessageEvent } from './payloads';
