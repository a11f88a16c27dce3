import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsDateString,
  IsDefined,
  IsObject,
  IsOptional,
  Matches,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
  registerDecorator,
} from 'class-validator';
import { DomainError, ErrorCode, FieldError } from './errors';
import { canonicalIdentifier, invoiceNumberProblem, isBankAccount, isIdCardNumber, isInvoiceCode, isTaxpayerId } from './identifiers';
import { isPositiveAmount } from './money';
import { inputProblem } from './well-formed-input';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as the API writes it, YYYY-MM-DD, and one that exists (no 2026-02-30). */
export function IsIsoDate(): PropertyDecorator {
  return applyDecorators(
    Matches(ISO_DATE, { message: '$property must be a date YYYY-MM-DD' }),
    IsDateString({ strict: true }, { message: '$property must be a valid calendar date' }),
  );
}

/** An amount of money as the API writes it: a JSON string, positive, at most 16 integer digits and 2 decimals. */
export function IsAmount(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAmount',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be a positive amount as a string with at most 16 integer digits and 2 decimals, e.g. "1234.56"',
        ...options,
      },
      validator: { validate: (value: unknown) => isPositiveAmount(value) },
    });
}

type Check = (canonical: string, args: ValidationArguments) => string | null;

/** An identifier field: canonicalised (see `canonicalIdentifier`) before `check` says what is wrong with it, if anything. */
function identifier(name: string, check: Check): PropertyDecorator {
  const canonical = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalIdentifier(value) : value));
  return (target, propertyName) => {
    canonical(target, propertyName);
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown, args) => typeof value === 'string' && check(value, args!) === null,
        defaultMessage: (args) => `$property must be ${typeof args?.value === 'string' ? check(args.value, args) : 'a string'}`,
      },
    });
  };
}

const rule =
  (ok: (canonical: string) => boolean, what: string): Check =>
  (value) =>
    ok(value) ? null : what;

/** 統一社會信用代碼 (GB 32100): 18 characters with its check character. */
export const IsTaxpayerId = () =>
  identifier('isTaxpayerId', rule(isTaxpayerId, 'an 18-character unified social credit code (統一社會信用代碼) with a valid check character'));

/** 公民身份號碼 (GB 11643): 18 characters, a real birth date, a valid check digit. */
export const IsIdCardNumber = () =>
  identifier('isIdCardNumber', rule(isIdCardNumber, 'an 18-character resident ID number (公民身份號碼) with a real birth date and a valid check digit'));

/** A bank account: 8-32 digits; spaces and hyphens between them are dropped. */
export const IsBankAccount = () => identifier('isBankAccount', rule(isBankAccount, 'a bank account of 8-32 digits'));

/** An invoice code (發票代碼): 10 or 12 digits. */
export const IsInvoiceCode = () => identifier('isInvoiceCode', rule(isInvoiceCode, 'an invoice code (發票代碼) of 10 or 12 digits'));

/** An invoice number: 8 digits after a `code` on the same object, or 20 digits alone (數電發票). */
export const IsInvoiceNumber = () =>
  identifier('isInvoiceNumber', (value, args) => invoiceNumberProblem((args.object as { code?: unknown }).code !== undefined, value));

/**
 * A nested object field: present (unless `optional`), an object (not an array, not null), validated as `type`.
 * Without the first two checks class-validator skips a missing nested object and accepts `[]` for one.
 */
export function NestedObject(type: () => new () => object, options: { optional?: boolean } = {}): PropertyDecorator {
  return applyDecorators(options.optional ? IsOptional() : IsDefined(), IsObject(), ValidateNested(), Type(type));
}

/** An array of nested objects: each element an object (`[[]]` refused), each validated as `type`. */
export function NestedArray(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsArray(), IsObject({ each: true }), ValidateNested({ each: true }), Type(type));
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * The one validation pipe. Before any DTO is built, the raw body, query and path are checked for what no field can
 * take (`inputProblem`); then unknown fields are refused and payloads turned into DTO instances.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const problem = inputProblem(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (problem) throw new DomainError(ErrorCode.ValidationFailed, 'The request is not valid', { fields: [problem] });
    }
    // A path parameter is read by its own pipe (IdPipe); converting it here first would turn `01` or `1.0` into 1.
    if (metadata.type === 'param') return value;
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new DomainError(ErrorCode.ValidationFailed, 'The request is not valid', { fields: flatten(errors) }),
  });
}
