/**
 * The one place secrets are removed. Everything that is logged or stored as a payload passes
 * through here, so a token can never reach a log file, the integration log or a support bundle.
 */
const SECRET_NAME =
  /(pass(word)?|secret|token|api[-_]?key|authorization|cookie|client[-_]?key|credential|session[-_]?id|private[-_]?key|refresh)/i;

const SECRET_IN_TEXT: readonly [RegExp, string][] = [
  [/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/([?&](?:[a-z_]*token|code|client_secret|api_key)=)[^&\s"']+/gi, '$1[redacted]'],
  [
    /("?(?:password|secret|token|apiKey|api_key|client_secret|refresh_token|access_token|consumerToken|employeeToken|sessionToken|clientKey)"?\s*[:=]\s*)"[^"]*"/gi,
    '$1"[redacted]"',
  ],
  // SOAP bodies: a password or session id is an XML element's text (24SevenOffice Login / LoginResult).
  [/<((?:[\w-]+:)?(?:Password|LoginResult|SessionId|[\w-]*Token))(\s[^>]*)?>[^<]*<\/\1>/gi, '<$1$2>[redacted]</$1>'],
  [/(ASP\.NET_SessionId=)[^;\s"']+/gi, '$1[redacted]'],
];

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return SECRET_IN_TEXT.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), text);
}

/** Deep copy with secret-named fields replaced and secret-looking substrings masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[too deep]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_NAME.test(key) && inner !== null && inner !== undefined ? REDACTED : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}
