/**
 * Which network addresses the broker may connect to when it fetches something a client named (a CIMD document):
 * public unicast only. Everything else (private networks, loopback, link-local including the cloud metadata address
 * 169.254.169.254, CGNAT, multicast, reserved and documentation ranges, and IPv6 forms that embed such an IPv4
 * address) would let a client use the broker to reach what only the broker can reach (SSRF, CIMD draft §6).
 * Addresses are parsed here, by hand, so that no notation (mapped, compatible, 6to4, NAT64) slips past a string test.
 */

export type AddressClass =
  | 'public' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'unspecified' | 'multicast' | 'reserved' | 'invalid';

export interface AddressPolicy {
  /** Loopback (127/8, ::1) is allowed too: development, when MCP_SERVER_URL itself is loopback http. */
  allowLoopback: boolean;
}

/** Whether a connection to this IP address (v4 or v6, brackets and zone allowed) is allowed by the policy. */
export function isAllowedAddress(address: string, policy: AddressPolicy): boolean {
  const addressClass = classifyAddress(address);
  return addressClass === 'public' || (policy.allowLoopback && addressClass === 'loopback');
}

/** The class of an IP address; `invalid` for anything that is not an IP literal. */
export function classifyAddress(address: string): AddressClass {
  const ipv4 = parseIPv4(address);
  if (ipv4) return classifyIPv4(ipv4);
  const ipv6 = parseIPv6(address);
  return ipv6 ? classifyIPv6(ipv6) : 'invalid';
}

/** Whether the text is an IP literal (as in a URL's hostname), rather than a name to resolve. */
export function isIpLiteral(host: string): boolean {
  return classifyAddress(host) !== 'invalid';
}

function classifyIPv4([a, b, c]: readonly number[]): AddressClass {
  if (a === undefined || b === undefined || c === undefined) return 'invalid';
  if (a === 0) return 'unspecified'; // 0.0.0.0/8 "this network": 0.0.0.0 reaches the local host on Linux
  if (a === 10 || (a === 172 && (b & 0xf0) === 16) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && (b & 0xc0) === 64) return 'cgnat';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved'; // includes 255.255.255.255
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved'; // IETF assignments, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return 'reserved'; // 6to4 relay anycast
  if (a === 198 && (b === 18 || b === 19)) return 'reserved'; // benchmarking
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved'; // TEST-NET-2/3
  return 'public';
}

function classifyIPv6(bytes: readonly number[]): AddressClass {
  const word = (index: number): number => ((bytes[index * 2] ?? 0) << 8) | (bytes[index * 2 + 1] ?? 0);
  const embeddedIPv4 = (from: number): AddressClass => classifyIPv4(bytes.slice(from, from + 4));
  const zeroUpTo = (words: number): boolean => [...Array(words).keys()].every((index) => word(index) === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && word(7) === 1) return 'loopback';
  if (zeroUpTo(5) && word(5) === 0xffff) return embeddedIPv4(12); // ::ffff:a.b.c.d, IPv4-mapped
  if (zeroUpTo(6)) return 'reserved'; // ::a.b.c.d, IPv4-compatible (deprecated)
  if (word(0) === 0x64 && word(1) === 0xff9b && [2, 3, 4, 5].every((index) => word(index) === 0)) {
    return embeddedIPv4(12); // 64:ff9b::/96, NAT64 to an IPv4 address
  }
  const first = word(0);
  if ((first & 0xfe00) === 0xfc00) return 'private'; // fc00::/7, unique local
  if ((first & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((first & 0xffc0) === 0xfec0) return 'private'; // fec0::/10, site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return 'multicast';
  if (first === 0x2002) return embeddedIPv4(2); // 6to4 carries an IPv4 address in bits 16..47
  if (first === 0x2001 && (word(1) & 0xfe00) === 0) return 'reserved'; // 2001::/23 incl. Teredo (hidden IPv4)
  if (first === 0x2001 && word(1) === 0x0db8) return 'reserved'; // documentation
  if ((first & 0xe000) !== 0x2000) return 'reserved'; // outside 2000::/3, global unicast
  return 'public';
}

/** Dotted-quad IPv4 (the form DNS answers and WHATWG-normalised hostnames use); undefined otherwise. */
function parseIPv4(text: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const bytes = match.slice(1).map(Number);
  return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

/** IPv6 in any textual form (RFC 4291 §2.2, brackets and a zone id tolerated) as 16 bytes; undefined otherwise. */
function parseIPv6(text: string): number[] | undefined {
  let value = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = value.indexOf('%');
  if (zone !== -1) value = value.slice(0, zone);
  if (!value.includes(':') || !/^[0-9a-fA-F:.]+$/.test(value)) return undefined;
  const halves = value.split('::');
  if (halves.length > 2) return undefined;
  const toWords = (part: string | undefined): number[] | undefined => {
    if (part === undefined || part === '') return [];
    const words: number[] = [];
    const groups = part.split(':');
    for (const [index, group] of groups.entries()) {
      if (index === groups.length - 1 && group.includes('.')) {
        const ipv4 = parseIPv4(group);
        if (!ipv4) return undefined;
        words.push(((ipv4[0] ?? 0) << 8) | (ipv4[1] ?? 0), ((ipv4[2] ?? 0) << 8) | (ipv4[3] ?? 0));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
        words.push(parseInt(group, 16));
      } else {
        return undefined;
      }
    }
    return words;
  };
  const head = toWords(halves[0]);
  const tail = toWords(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}
