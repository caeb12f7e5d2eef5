/** Why an OTLP export failed: the collector's HTTP status and answer when it gave one. */
export class OtlpExportError extends Error {
  override readonly name = 'OtlpExportError';
  /** The HTTP status of the response, when there was one. */
  readonly code: number | undefined;
  /** The response body, when there was one. */
  readonly data: string | undefined;

  constructor(message: string, code?: number, data?: string) {
    super(message);
    this.code = code;
    this.data = data;
  }
}
