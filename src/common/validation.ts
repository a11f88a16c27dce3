import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationOptions, registerDecorator } from 'class-validator';
import { DomainError, ErrorCode, FieldError } from './errors';
import { isPositiveAmount } from './money';

/** A calendar date as the API writes it: YYYY-MM-DD. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

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
