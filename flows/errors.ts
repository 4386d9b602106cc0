/*
 * Errors a flow raises on purpose. Both are non-retryable: running the same node again with the
 * same data fails the same way. They are plain errors (flows/ stays free of Temporal); the
 * interpreter turns them into non-retryable ApplicationFailures of type `error.name`, with
 * `nodeId` (and `path`) in the details, so an error handle or the run's failure can name them.
 */

/** Raised by a `flow.error` node: the flow author's own failure, with the evaluated message. */
export class FlowError extends Error {
  override readonly name = 'FlowError';
  readonly nonRetryable = true;

  constructor(
    readonly nodeId: string,
    message: string,
  ) {
    super(message);
  }
}

/** A `{{ … }}` template that does not parse or fails to evaluate, pinned to its config field. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly nonRetryable = true;
  /** The node whose config holds the template, when evaluated for a node. */
  readonly nodeId?: string;
  /** Dotted path of the field inside the node's config, e.g. "headers.Authorization"; "" for a bare template. */
  readonly path: string;

  constructor(message: string, where: { nodeId?: string; path?: string } = {}) {
    super(message);
    this.nodeId = where.nodeId;
    this.path = where.path ?? '';
  }
}
