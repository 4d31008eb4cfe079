/** Why an export cannot be written; names the campaign folder or output folder and what to do. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}
