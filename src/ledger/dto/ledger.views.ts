import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCOUNT_TYPE_NAMES, AccountType, BOOKS, Book, PURPOSES, Side, TransactionPurpose } from '../domain/accounts';

export class AccountView {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: BOOKS }) book: Book;
  @ApiProperty({ enum: ACCOUNT_TYPE_NAMES }) type: AccountType;
  @ApiProperty({ enum: ['debit', 'credit'] }) normalSide: Side;
  @ApiProperty() allowNegative: boolean;
  @ApiProperty({ example: '1000.00', description: 'On the normal side of the account' }) balance: string;
}

export class LineView {
  @ApiProperty() lineNo: number;
  @ApiProperty() account: string;
  @ApiProperty({ enum: BOOKS }) book: Book;
  @ApiPropertyOptional({ example: '100.00' }) debit?: string;
  @ApiPropertyOptional({ example: '100.00' }) credit?: string;
  @ApiProperty({ example: '900.00', description: "The account's balance right after this line" }) balanceAfter: string;
}

export class TransactionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-03-01' }) effectiveDate: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty() memo: string;
  @ApiProperty({ enum: PURPOSES }) purpose: TransactionPurpose;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) reversesId: string | null;
  @ApiPropertyOptional({ nullable: true }) reversalReason: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) reversedById: string | null;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'The voucher whose approval posted this transaction (a different id from the transaction’s); null when a workflow posted it',
  })
  voucherId: string | null;
  @ApiProperty({ type: [LineView] }) lines: LineView[];
}

export class StatementLineView {
  @ApiProperty({ format: 'uuid' }) transactionId: string;
  @ApiProperty() lineNo: number;
  @ApiProperty() effectiveDate: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty() memo: string;
  @ApiPropertyOptional() debit?: string;
  @ApiPropertyOptional() credit?: string;
  @ApiProperty() balanceAfter: string;
}

export class StatementView {
  @ApiProperty({ type: AccountView }) account: AccountView;
  @ApiProperty({ type: [StatementLineView] }) items: StatementLineView[];
  @ApiPropertyOptional({ nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor: string | null;
}

export class TrialBalanceRow {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ACCOUNT_TYPE_NAMES }) type: AccountType;
  @ApiProperty({ example: '0.00' }) debit: string;
  @ApiProperty({ example: '0.00' }) credit: string;
}

export class TrialBalanceBook {
  @ApiProperty({ enum: BOOKS }) book: Book;
  @ApiProperty({ type: [TrialBalanceRow] }) accounts: TrialBalanceRow[];
  @ApiProperty() totalDebit: string;
  @ApiProperty() totalCredit: string;
}

export class TrialBalanceView {
  @ApiPropertyOptional({ nullable: true }) asOf: string | null;
  @ApiProperty({ type: [TrialBalanceBook] }) books: TrialBalanceBook[];
}
