type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | ((event: Event) => void) | undefined>;

/** `h('button', {class: 'big', onclick: ...}, 'Approve')`: an element, its attributes and listeners, its children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  element.append(...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false));
  return element;
}

/** Replaces what `parent` shows. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false));
}

/** The text of any error the SDK throws (a RemoteError's message and hint). */
export function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const hint = 'hint' in error && typeof error.hint === 'string' && error.hint ? ` (${error.hint})` : '';
    return `${String(error.message)}${hint}`;
  }
  return String(error);
}
