import type { WebhookDefinition, WebhookSignature } from '@lumio/plugin-sdk';

/** Body encodings a manifest can declare for deliveries. */
export type WebhookContentType = WebhookDefinition['contentType'];

/** One delivery as the router received it, before anything is parsed. */
export interface WebhookRequest {
  /** Upper-case HTTP method. */
  method: string;
  /**
   * Absolute URL of the delivery as the provider addressed it: the platform's configured
   * public URL plus the path and query string. Never rebuilt from Host or forwarding headers.
   */
  url: string;
  /** Header names in lower case; a repeated header's values are joined with ", ". */
  headers: Readonly<Record<string, string>>;
  /** The raw body bytes, exactly as received. */
  body: Buffer;
}

export interface VerifyInput {
  request: WebhookRequest;
  /** The connection's webhook secrets, newest first. Any one that verifies is accepted, for rotation. */
  secrets: readonly string[];
  /** The manifest's signature settings (scheme name, tolerance, and the generic HMAC fields). */
  signature: WebhookSignature;
  /** Receive time in epoch milliseconds. */
  now: number;
}

/** Reason a delivery failed verification. The router responds 401 to every reason. */
export type VerificationFailureReason =
  | 'secret_missing'
  | 'header_missing'
  | 'header_malformed'
  | 'signature_mismatch'
  | 'timestamp_outside_window'
  | 'credentials_mismatch';

export type VerificationResult =
  | {
      ok: true;
      /** Time the provider signed the delivery (epoch milliseconds), when the scheme carries one. */
      signedAt?: number;
      /** Delivery id the scheme's headers carry (such as `webhook-id`), used for duplicate checks. */
      deliveryId?: string;
    }
  | {
      ok: false;
      reason: VerificationFailureReason;
      /** One sentence for logs and the 401 body. Never contains a secret or an expected signature. */
      message: string;
    };

export interface SignInput {
  secret: string;
  method: string;
  /** Absolute URL the delivery will be sent to. */
  url: string;
  body: Buffer;
  /** Signing time in epoch milliseconds. */
  now: number;
  /** Delivery id for schemes that sign one. */
  id: string;
  signature: WebhookSignature;
}

/** Headers (and, for URL-signed schemes, a changed URL) that make a delivery verify. */
export interface SignedDelivery {
  headers: Record<string, string>;
  url: string;
}

/**
 * A delivery verification scheme. `verify` never throws on hostile input: a missing,
 * malformed or wrong-length header is a failed result, so the router responds 401, never 500.
 */
export interface WebhookScheme {
  readonly name: WebhookSignature['scheme'];
  /**
   * Content types a delivery may have under this scheme, given the manifest's declared one.
   * Slack, for one, sends JSON events and form-encoded slash commands to the same URL.
   */
  acceptedContentTypes(declared: WebhookContentType): readonly WebhookContentType[];
  verify(input: VerifyInput): VerificationResult;
  /**
   * Signs a delivery the way the provider would. The platform uses it only to send a test
   * delivery through its own router; tests of `verify` compute signatures independently.
   */
  sign(input: SignInput): SignedDelivery;
}
