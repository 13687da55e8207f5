/**
 * avsc 5.7.9 internals the Avro converter relies on (the package is pinned): the byte cursor
 * every type reads from, which the converter subclasses to make string reads strict UTF-8.
 */
declare module 'avsc/lib/utils' {
  export class Tap {
    constructor(buf: Buffer, pos?: number);
    buf: Buffer;
    pos: number;
    isValid(): boolean;
    readLong(): number;
    readBoolean(): boolean;
    readFloat(): number;
    readDouble(): number;
    readFixed(len: number): Buffer | undefined;
    readString(): string | undefined;
  }
}
