/**
 * xterm.js's DOM renderer writes its colours, font and cell sizes into `<style>` elements it
 * creates, and the colours of selected or 24-bit coloured cells into the `style` attribute of their
 * `<span>`s; the page's Content-Security-Policy (`style-src 'self'`, src/web/page-headers.ts)
 * refuses both. Rather than loosening the policy for the whole page, both go through CSSOM, which
 * the policy does not govern (a script the page runs may style what it likes): the `<style>`
 * elements become hidden stand-ins whose text fills a constructed stylesheet, and a span's style
 * attribute is set as its `style.cssText`. The page itself never creates a `<style>` element nor
 * sets a style attribute (the policy would refuse it), so nothing else changes.
 */
export function routeStyleElementsToSheets(doc: Document = document): void {
  if ((doc as { styleRouted?: boolean }).styleRouted) return;
  (doc as { styleRouted?: boolean }).styleRouted = true;
  const setAttribute = Element.prototype.setAttribute;
  HTMLSpanElement.prototype.setAttribute = function (this: HTMLSpanElement, name: string, value: string) {
    if (name.toLowerCase() === 'style') this.style.cssText = value;
    else setAttribute.call(this, name, value);
  };
  const create = doc.createElement.bind(doc) as (tag: string, options?: ElementCreationOptions) => HTMLElement;
  doc.createElement = ((tag: string, options?: ElementCreationOptions) => {
    if (tag.toLowerCase() !== 'style') return create(tag, options);
    return styleStandIn(doc, create('xterm-style'));
  }) as Document['createElement'];
}

function styleStandIn(doc: Document, element: HTMLElement): HTMLElement {
  const sheet = new CSSStyleSheet();
  let text = '';
  element.hidden = true;
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  Object.defineProperty(element, 'textContent', {
    get: () => text,
    set: (value: string | null) => {
      text = value ?? '';
      sheet.replaceSync(text);
    },
  });
  const remove = element.remove.bind(element);
  element.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((kept) => kept !== sheet);
    remove();
  };
  return element;
}
