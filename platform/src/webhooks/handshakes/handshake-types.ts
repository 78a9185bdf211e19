import type { WebhookHandshake } from '@lumio/plugin-sdk';
import type { VerificationResult, WebhookContentType, WebhookRequest } from '../schemes/index.js';

/** A response the router sends as it is, instead of the usual 2xx acknowledgement. */
export interface HandshakeReply {
  status: number;
  contentType: string;
  body: string;
}

/** The failed branch of a verification result. The router responds to it with 401. */
export type VerificationFailure = Extract<VerificationResult, { ok: false }>;

/** A provider's subscription check on the webhook URL, as the manifest's `handshake` declares it. */
export interface Handshake {
  type: WebhookHandshake['type'];
  /** Returns the reply to a GET on the webhook URL, or null when this GET is not the handshake. */
  answerGet(request: WebhookRequest, secrets: readonly string[]): HandshakeReply | VerificationFailure | null;
  /** Returns the reply to an already verified POST whose parsed body is the handshake, or null otherwise. */
  answerPost(body: unknown, contentType: WebhookContentType): HandshakeReply | null;
}
