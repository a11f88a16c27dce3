import { EntityManager } from 'typeorm';
import { Period } from '../ledger/ledger-books';
import { BOOKS } from './books';
import { BookContext } from './books/context';
import { REGISTERS } from './registers';
import { ExportTable } from './table';

/** Every table an export can name: the books (`books/<name>`) and the registers (`registers/<name>`). */
export const BOOK_NAMES = Object.keys(BOOKS);
export const REGISTER_NAMES = REGISTERS.map((r) => r.name);

export function bookTable(name: string, ctx: BookContext): ExportTable {
  return BOOKS[name](ctx);
}

export function registerTable(name: string, em: EntityManager, countyId: number, period: Period): ExportTable {
  return REGISTERS.find((r) => r.name === name)!.build(em, countyId, period);
}
