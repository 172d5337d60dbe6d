import { CsvError, parse } from 'csv-parse';
import type { StoragePort } from '@keel/kernel';
import { ImportCsvMalformedError } from './errors.ts';

export interface CsvRecord {
  /** The row number as a spreadsheet shows it: the header is row 1. */
  row: number;
  cells: string[];
}

export interface CsvBatch {
  /** The header's cells: read from the file on the first batch, the saved ones after. */
  header: string[];
  records: CsvRecord[];
  /** Byte offset of the first row after this batch. */
  nextByte: number;
  /** No row follows this batch. */
  endOfFile: boolean;
}

/** Bytes a single record may take before the file is refused as malformed. */
const MAX_RECORD_BYTES = 65_536;

/**
 * Up to `size` records of the file from `checkpoint.byte`, streamed: only this batch (and the
 * parser's read-ahead) is ever in memory. On the first batch (`header` undefined) the first record
 * is the header. The parser reports the bytes consumed after each record, so the next batch starts
 * exactly after the last row of this one, quoted line breaks and a BOM included. With `etag`, only
 * that object is read (UPLOAD_CHANGED otherwise).
 */
export async function readCsvBatch(
  storage: StoragePort,
  key: string,
  checkpoint: { byte: number; row: number; header: string[] | undefined },
  size: number,
  etag?: string,
): Promise<CsvBatch> {
  const source = await storage.read(key, { start: checkpoint.byte, ...(etag === undefined ? {} : { ifMatch: etag }) });
  const parser = parse({ info: true, bom: checkpoint.byte === 0, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let header = checkpoint.header;
  const records: CsvRecord[] = [];
  let nextByte = checkpoint.byte;
  let endOfFile = true;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      if (header === undefined) {
        header = record;
        nextByte = checkpoint.byte + info.bytes;
        continue;
      }
      if (records.length === size) {
        endOfFile = false;
        break;
      }
      records.push({ row: checkpoint.row + records.length + 2, cells: record });
      nextByte = checkpoint.byte + info.bytes;
    }
  } catch (error) {
    // A full batch read well: the next batch meets the malformed row, after this one commits.
    if (error instanceof CsvError && header !== undefined && records.length === size) return { header, records, nextByte, endOfFile: false };
    if (error instanceof CsvError) throw new ImportCsvMalformedError({ cause: error });
    throw error;
  } finally {
    source.unpipe(parser);
    source.destroy();
    parser.destroy();
  }
  if (header === undefined) throw new ImportCsvMalformedError();
  return { header, records, nextByte, endOfFile };
}
