/** A pattern or policy that AWS would refuse; `message` is AWS's exact text for that dialect/API. */
export class PatternError extends Error {
  /** The AWS error code the validating API answers with (the HTTP status is 400 for all of them). */
  readonly code: string;
  /**
   * SNS only: the text when the policy came in the Attributes map of Subscribe (or CreateTopic)
   * rather than through SetSubscriptionAttributes: "Invalid parameter: Attributes Reason: ..." [rec].
   */
  readonly attributesMessage?: string;

  constructor(message: string, options: { code?: string; attributesMessage?: string } = {}) {
    super(message);
    this.name = 'PatternError';
    this.code = options.code ?? 'InvalidEventPatternException';
    this.attributesMessage = options.attributesMessage;
  }
}
