import { ValidationError, ValidationPipe } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { IsDateString, Matches, ValidationOptions, registerDecorator } from 'class-validator';
import { DomainError, ErrorCode, FieldError } from './errors';
import { isPositiveAmount } from './money';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as the API writes it, YYYY-MM-DD, and one that exists (no 2026-02-30). */
export function IsIsoDate(): PropertyDecorator {
  return applyDecorators(
    Matches(ISO_DATE, { message: '$property must be a date YYYY-MM-DD' }),
    IsDateString({ strict: true }, { message: '$property must be a valid calendar date' }),
  ) as PropertyDecorator;
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

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The one validation pipe: unknown fields refused, payloads turned into DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new DomainError(ErrorCode.ValidationFailed, 'The request is not valid', { fields: flatten(errors) }),
  });
}
