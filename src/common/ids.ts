import { PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from './errors';

/** Lower case only: the form the API answers with, so one row has one id. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a path parameter can name a row keyed by UUID (anything else is simply not found). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A path id of an integer-keyed row: 1 … 2^31−1, else 404 as for any id that names nothing. */
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
    if (!(id <= 2_147_483_647)) throw new DomainError(ErrorCode.NotFound, `No object ${value}`);
    return id;
  }
}
