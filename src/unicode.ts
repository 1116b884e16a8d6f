/** An unpaired UTF-16 surrogate: it cannot be written to a UTF-8 file and would silently become U+FFFD. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** C0/C1 controls (NUL, newlines, tab, ESC…) and the Unicode line/paragraph separators. */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder how the text
 * around them is displayed, so code or a command can read differently from what it is ("Trojan Source",
 * CVE-2021-42574, https://trojansource.codes).
 */
export const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
