/** An unpaired UTF-16 surrogate: it cannot be written to a UTF-8 file and would silently become U+FFFD. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
