import { closeSync, openSync, readSync } from 'node:fs';
import iconv from 'iconv-lite';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { SourceError } from '../source-error';

export const SAFT_NAMESPACE = 'urn:StandardAuditFile-Taxation-CashRegister:NO';
/** Below V8's large-object threshold (128 KiB): bigger decoded chunks cost far more to allocate. */
const CHUNK_BYTES = 64 * 1024;
/** SAF-T Cash Register nests about 10 deep; a far deeper file is broken or hostile and is refused before it costs time. */
export const MAX_DEPTH = 64;
/** Per text node, attribute value, comment or CDATA section; SAF-T's longest fields are a few hundred characters. */
export const MAX_TEXT_CHARS = 1 << 20;

export interface SaftXmlHandler {
  /** An element opened; `stack` holds its ancestors' local names, the parent last. */
  open(name: string): void;
  /** An element closed with its text, trimmed; `stack` holds its ancestors again. */
  close(name: string, text: string): void;
}

/**
 * saxes gathers a text node, attribute value, comment or CDATA section whole before handing it
 * over; its buffer is the only place such a node can be bounded while the file is read.
 */
interface SaxesBuffer {
  readonly text: string;
}

/**
 * Streams a SAF-T Cash Register file through saxes: decoded in the encoding its XML declaration
 * names, the root checked to be `<auditfile>` in the SAF-T namespace, elements passed on by local
 * name. Namespace processing is left off (it walks the tag stack per element); only the root's
 * namespace matters and it is read from the root's own `xmlns` attribute. Text is gathered only
 * inside an element, not in the whitespace between elements. Every refusal is a SourceError with
 * line and column.
 */
export class SaftXml {
  readonly stack: string[] = [];
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private text = '';
  /** Whether saxes hands over text now: only between an element's start and its end. */
  private gathering = false;
  private readonly appendText = (text: string): void => {
    this.text += text;
    if (this.text.length > MAX_TEXT_CHARS) throw this.tooLong();
  };

  constructor(
    readonly path: string,
    private readonly handler: SaftXmlHandler,
  ) {
    this.parser.on('error', (error) => {
      throw this.error(null, `XML is not well-formed: ${error.message.replace(/^(?:.*?:)?\d+:\d+: /, '')}`);
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('cdata', this.appendText);
    this.parser.on('closetag', (tag) => this.close(tag.name));
  }

  get line(): number {
    return this.parser.line;
  }

  where(): string {
    return `line ${this.parser.line}, column ${this.parser.column + 1}`;
  }

  error(field: string | null, reason: string, line?: number): SourceError {
    return new SourceError(this.path, line === undefined ? this.where() : `line ${line}`, field, reason);
  }

  /** Reads the whole file, calling the handler per element and `onChunk` with the bytes read so far. */
  read(onChunk?: (bytesRead: number) => void): void {
    const fd = openSync(this.path, 'r');
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      let bytes = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      let bytesRead = 0;
      const decoder = iconv.getDecoder(sniffXmlEncoding(this.path, buffer.subarray(0, bytes)));
      while (bytes > 0) {
        this.write(decoder.write(buffer.subarray(0, bytes)));
        bytesRead += bytes;
        onChunk?.(bytesRead);
        bytes = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      }
      this.write(decoder.end() ?? '');
      this.parser.close();
    } finally {
      closeSync(fd);
    }
  }

  private write(chunk: string): void {
    if (chunk.length === 0) return;
    this.parser.write(chunk);
    if ((this.parser as unknown as SaxesBuffer).text.length > MAX_TEXT_CHARS) throw this.tooLong();
  }

  private tooLong(): SourceError {
    return this.error(
      null,
      `a text, attribute value, comment or CDATA section longer than ${MAX_TEXT_CHARS} characters`,
    );
  }

  private open(tag: SaxesTagPlain): void {
    const colon = tag.name.indexOf(':');
    const name = colon < 0 ? tag.name : tag.name.slice(colon + 1);
    if (this.stack.length === 0) this.checkRoot(name, colon < 0 ? 'xmlns' : `xmlns:${tag.name.slice(0, colon)}`, tag);
    else if (this.stack.length >= MAX_DEPTH) {
      throw this.error(null, `elements nested more than ${MAX_DEPTH} deep; SAF-T Cash Register needs about 10`);
    }
    this.handler.open(name);
    this.stack.push(name);
    this.text = '';
    if (!this.gathering) {
      this.parser.on('text', this.appendText);
      this.gathering = true;
    }
  }

  private checkRoot(name: string, namespaceAttribute: string, tag: SaxesTagPlain): void {
    const uri = tag.attributes[namespaceAttribute] ?? '';
    if (name !== 'auditfile' || uri !== SAFT_NAMESPACE) {
      throw this.error(
        null,
        `not a SAF-T Cash Register file: root is <${name}> in "${uri}", expected <auditfile> in "${SAFT_NAMESPACE}"`,
      );
    }
  }

  private close(qualifiedName: string): void {
    if (this.gathering) {
      this.parser.off('text');
      this.gathering = false;
    }
    const colon = qualifiedName.indexOf(':');
    const name = colon < 0 ? qualifiedName : qualifiedName.slice(colon + 1);
    const text = this.text.trim();
    this.text = '';
    this.stack.pop();
    this.handler.close(name, text);
  }
}

function sniffXmlEncoding(path: string, head: Buffer): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  const declared = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
    head.subarray(0, 200).toString('latin1'),
  );
  const encoding = declared?.[1] ?? 'utf8';
  if (!iconv.encodingExists(encoding)) {
    throw new SourceError(path, 'line 1', 'encoding', `unsupported XML encoding "${encoding}"`);
  }
  return encoding;
}
