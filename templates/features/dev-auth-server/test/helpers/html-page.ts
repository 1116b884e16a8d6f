/**
 * The development authorization server's pages read as a browser reads them: the POST form (its action, hidden
 * fields and buttons) and the text a person sees. One reading for both headless browsers of the tests (OAuthBrowser
 * clicks through the pages, AuthorizationWalk stops at each).
 */

export interface HtmlForm {
  action: string;
  /** Named hidden inputs, as [name, value]: what a browser submits with the form. */
  hidden: [string, string][];
  /** Every button, as [name, value]: the one pressed is submitted too. */
  buttons: [string, string][];
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes numeric character references (the pages escape as `&#NN;`: dev/login-page.ts) and the five named ones. */
export const decodeHtml = (text: string): string =>
  text.replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (match, entity: string) => {
    if (entity[0] !== '#') return NAMED_ENTITIES[entity.toLowerCase()] ?? match;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : match;
  });

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag);
  return match?.[1] === undefined ? undefined : decodeHtml(match[1]);
};

const nameAndValue = (tag: string): [string, string] => [attribute(tag, 'name') ?? '', attribute(tag, 'value') ?? ''];

/** The page's POST form, or undefined when it has none. */
export function parseForm(html: string): HtmlForm | undefined {
  const form = /<form\b[^>]*\bmethod\s*=\s*"post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const body = form[1] ?? '';
  const openingTag = form[0].slice(0, form[0].indexOf('>') + 1);
  const hidden = [...body.matchAll(/<input\b[^>]*>/gi)]
    .map(([tag]) => tag)
    .filter((tag) => attribute(tag, 'type')?.toLowerCase() === 'hidden' && attribute(tag, 'name') !== undefined);
  return {
    action: attribute(openingTag, 'action') ?? '',
    hidden: hidden.map(nameAndValue),
    buttons: [...body.matchAll(/<button\b[^>]*>/gi)].map(([tag]) => nameAndValue(tag)),
  };
}

/** What a person reads on the page: head and style dropped, tags dropped, entities decoded, whitespace collapsed. */
export const visibleText = (html: string): string =>
  decodeHtml(html.replace(/<(head|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
