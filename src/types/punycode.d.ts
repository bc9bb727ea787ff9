// Types for the npm `punycode` package (imported by path: plain `punycode` is Node's deprecated built-in).
declare module 'punycode/punycode.js' {
  const punycode: {
    encode(input: string): string;
    decode(input: string): string;
    toASCII(domain: string): string;
    toUnicode(domain: string): string;
  };
  export default punycode;
}
