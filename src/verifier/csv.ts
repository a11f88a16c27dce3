import { StringDecoder } from 'node:string_decoder';

/**
 * A small RFC 4180 reader for the package's CSVs (docs/audit-package.md): UTF-8 with an optional BOM, fields quoted
 * with `"` and quotes doubled inside them, records ended by CRLF (a bare LF is taken too), newlines kept inside quoted
 * fields. It reads streamed chunks and hands over each record with the file line it starts on, keeping only the
 * record being read. A cell the writer neutralised (`'` before `=`, `+`, `-`, `@`, tab or CR) reads back without it.
 */

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export type CsvRecordHandler = (fields: string[], line: number) => void;

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const NEUTRALISED = new Set(['=', '+', '-', '@', '\t', '\r']);

/** The cell as written before the writer neutralised it. */
export function unneutralise(cell: string): string {
  return cell.length >= 2 && cell[0] === "'" && NEUTRALISED.has(cell[1]) ? cell.slice(1) : cell;
}

type State =
  /** At the start of a field. */
  | 'start'
  /** Inside an unquoted field. */
  | 'bare'
  /** Inside a quoted field. */
  | 'quoted'
  /** Just after a `"` inside a quoted field: a doubled quote or the field's end. */
  | 'quote'
  /** After a quoted field's closing quote: a comma or the record's end must follow. */
  | 'closed'
  /** After a CR outside quotes: an LF must follow. */
  | 'cr';

export class CsvReader {
  private readonly decoder = new StringDecoder('utf8');
  private state: State = 'start';
  private field = '';
  private fields: string[] = [];
  /** The file line being read (1-based) and the one the current record started on. */
  private line = 1;
  private recordLine = 1;
  private atFileStart = true;
  /** Whether the current record has any content yet (a file's final CRLF is not an empty record). */
  private inRecord = false;

  constructor(private readonly onRecord: CsvRecordHandler) {}

  /** Reads a chunk of the file's bytes. */
  write(chunk: Buffer): void {
    this.read(this.decoder.write(chunk));
  }

  /** Reads the rest: the last record may lack its line end. */
  end(): void {
    this.read(this.decoder.end());
    switch (this.state) {
      case 'quoted':
        throw new CsvError('a quoted field is not closed at the end of the file', this.recordLine);
      case 'cr':
        this.endRecord();
        break;
      default:
        if (this.inRecord) {
          if (this.state === 'quote') this.state = 'closed';
          this.endField();
          this.endRecord();
        }
    }
  }

  private read(text: string): void {
    let i = 0;
    if (this.atFileStart && text.length > 0) {
      this.atFileStart = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = text.length;
    while (i < n) {
      switch (this.state) {
        case 'start': {
          this.inRecord = true;
          if (text.charCodeAt(i) === QUOTE) {
            this.state = 'quoted';
            i++;
          } else this.state = 'bare';
          break;
        }
        case 'bare': {
          let j = i;
          let c = 0;
          while (j < n && (c = text.charCodeAt(j)) !== COMMA && c !== CR && c !== LF && c !== QUOTE) j++;
          this.field += text.slice(i, j);
          if (j === n) return;
          if (c === QUOTE) throw new CsvError('a quote inside an unquoted field', this.line);
          i = this.delimiter(c, j);
          break;
        }
        case 'quoted': {
          const j = text.indexOf('"', i);
          const piece = j < 0 ? text.slice(i) : text.slice(i, j);
          for (let k = piece.indexOf('\n'); k >= 0; k = piece.indexOf('\n', k + 1)) this.line++;
          this.field += piece;
          if (j < 0) return;
          this.state = 'quote';
          i = j + 1;
          break;
        }
        case 'quote': {
          if (text.charCodeAt(i) === QUOTE) {
            this.field += '"';
            this.state = 'quoted';
            i++;
          } else this.state = 'closed';
          break;
        }
        case 'closed': {
          const c = text.charCodeAt(i);
          if (c !== COMMA && c !== CR && c !== LF) throw new CsvError('text after a quoted field’s closing quote', this.line);
          i = this.delimiter(c, i);
          break;
        }
        case 'cr': {
          if (text.charCodeAt(i) !== LF) throw new CsvError('a carriage return outside quotes not followed by a line feed', this.line);
          this.line++;
          this.endRecord();
          i++;
          break;
        }
      }
    }
  }

  /** Handles the comma, CR or LF at `i` that ends a field; answers where reading goes on. */
  private delimiter(c: number, i: number): number {
    this.endField();
    if (c === COMMA) {
      this.state = 'start';
      this.inRecord = true;
    } else if (c === CR) this.state = 'cr';
    else {
      this.line++;
      this.endRecord();
    }
    return i + 1;
  }

  private endField(): void {
    this.fields.push(unneutralise(this.field));
    this.field = '';
  }

  private endRecord(): void {
    const fields = this.fields;
    const line = this.recordLine;
    this.fields = [];
    this.state = 'start';
    this.inRecord = false;
    this.recordLine = this.line;
    this.onRecord(fields, line);
  }
}
