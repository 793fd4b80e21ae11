/** A content file that cannot be used. Carries the file and a reason an author can act on. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "ContentError";
  }
}
