/**
 * Rendered pages, kept for the props they were made from. React's server rendering is most of a
 * dialog GET's cost (issue #13), while a link's pay page is the same for every payer until the
 * link, the shop's settings, or the payer's language or data change, and all of those are in its
 * props. The pages are pure functions of their props (their words follow `ctx.locale`; `ctx.t`,
 * a function, is left out of the key by JSON), so the props serialized are the key: a change of
 * any of them is a new page. The least recently used page is dropped beyond `max`.
 */
export class PageCache {
  private readonly pages = new Map<string, string>();

  constructor(private readonly max = 256) {}

  render(props: object, make: () => string): string {
    const key = JSON.stringify(props);
    const kept = this.pages.get(key);
    if (kept !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.pages.delete(key);
      this.pages.set(key, kept);
      return kept;
    }
    const page = make();
    this.pages.set(key, page);
    if (this.pages.size > this.max) this.pages.delete(this.pages.keys().next().value!);
    return page;
  }

  get size(): number {
    return this.pages.size;
  }
}
