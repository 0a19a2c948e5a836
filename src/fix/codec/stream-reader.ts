// Socket bytes in, parsed messages out: the framer cuts candidate frames, the parser checks and indexes them.
// Anything QuickFIX would ignore (garbage, bad BodyLength, bad CheckSum, first fields not 8/9/35, garbled
// fields) is reported through onDrop with a reason and never reaches onMessage. Nothing here throws for bad
// input; the only exceptions that can escape push() are ones thrown by the sink's own callbacks.

import { FixFramer, type FrameDropReason, type FrameSink } from './framer.js';
import type { FixMessageView } from './message-view.js';
import { FixParser, ParseStatus, type ParseStatusCode, parseStatusText } from './parser.js';
import type { FixDictionary } from '../dictionary/model.js';

export type DropReason =
  | FrameDropReason
  | 'garbled-field'
  | 'missing-soh'
  | 'bad-data-length'
  | 'header-out-of-order'
  | 'bad-body-length'
  | 'body-length-mismatch'
  | 'bad-checksum'
  | 'checksum-mismatch'
  | 'empty';

const PARSE_DROP_REASON: readonly DropReason[] = [
  'empty', // Ok is never reported
  'garbled-field',
  'missing-soh',
  'bad-data-length',
  'header-out-of-order',
  'bad-body-length',
  'body-length-mismatch',
  'bad-checksum',
  'checksum-mismatch',
  'empty',
];

export interface MessageSink {
  /** A message that passed framing, BodyLength and CheckSum. The view is reused: detach() to keep it. */
  onMessage(message: FixMessageView): void;
  /**
   * Bytes that did not become a message. `frame` is the rejected frame for parse failures (so the caller can
   * check whether it was a Logon, see identifyMsgType), undefined for framing drops. Valid during the call.
   */
  onDrop(reason: DropReason, detail: string, frame: Buffer | undefined): void;
}

export interface StreamReaderOptions {
  dictionary?: FixDictionary;
  /** Largest frame accepted (default 64 KiB). */
  maxMessageSize?: number;
  /** QuickFIX ValidateLengthAndChecksum (default true). */
  validateLengthAndChecksum?: boolean;
  /** Share one parser between readers (its view is reused by each message anyway). */
  parser?: FixParser;
}

export interface StreamReaderStats {
  messages: number;
  drops: number;
  droppedBytes: number;
}

export class FixStreamReader {
  readonly parser: FixParser;
  private readonly framer: FixFramer;
  private readonly counts: StreamReaderStats = { messages: 0, drops: 0, droppedBytes: 0 };

  constructor(
    private readonly sink: MessageSink,
    options: StreamReaderOptions = {},
  ) {
    this.parser =
      options.parser ??
      new FixParser({
        ...(options.dictionary !== undefined ? { dictionary: options.dictionary } : {}),
        validateLengthAndChecksum: options.validateLengthAndChecksum ?? true,
      });
    const frameSink: FrameSink = {
      onFrame: (buf, start, end) => this.onFrame(buf, start, end),
      onDrop: (reason, bytes, detail) => {
        this.counts.drops++;
        this.counts.droppedBytes += bytes;
        this.sink.onDrop(reason, detail, undefined);
      },
    };
    this.framer = new FixFramer(frameSink, options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {});
  }

  /** Feed bytes as they arrive from the socket, in any chunking. */
  push(chunk: Buffer): void {
    this.framer.push(chunk);
  }

  /** Bytes held for an incomplete frame. */
  get bufferedBytes(): number {
    return this.framer.bufferedBytes;
  }

  get stats(): Readonly<StreamReaderStats> {
    return this.counts;
  }

  reset(): void {
    this.framer.reset();
  }

  private onFrame(buf: Buffer, start: number, end: number): void {
    const status = this.parser.parse(buf, start, end);
    if (status === ParseStatus.Ok) {
      this.counts.messages++;
      this.sink.onMessage(this.parser.view);
      return;
    }
    this.counts.drops++;
    this.counts.droppedBytes += end - start;
    this.sink.onDrop(PARSE_DROP_REASON[status]!, this.describe(status), buf.subarray(start, end));
  }

  private describe(status: ParseStatusCode): string {
    const v = this.parser.view;
    if (status === ParseStatus.BodyLengthMismatch) {
      return `Expected BodyLength=${v.actualBodyLength}, Received BodyLength=${v.declaredBodyLength}`;
    }
    if (status === ParseStatus.CheckSumMismatch) {
      return `Expected CheckSum=${v.actualCheckSum}, Received CheckSum=${v.declaredCheckSum}`;
    }
    return parseStatusText(status);
  }
}
