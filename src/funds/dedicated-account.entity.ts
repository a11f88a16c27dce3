import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { County } from '../county/county.entity';
import { Account } from '../ledger/entities/account.entity';

/** 專戶: the bank account a county's fund allocations land in, with its responsible officer (專人). */
@Entity('dedicated_accounts')
@Unique('UQ_dedicated_accounts_county_code', ['countyId', 'code'])
@Unique('UQ_dedicated_accounts_county_number', ['countyId', 'accountNumber'])
@Check('CK_dedicated_accounts_number', `"account_number" ~ '^[0-9]{8,32}$'`)
export class DedicatedAccount {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_dedicated_accounts' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_dedicated_accounts_county' })
  county?: County;

  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  bankName: string;

  @Column({ type: 'varchar', length: 100 })
  accountName: string;

  @Column({ type: 'varchar', length: 40 })
  accountNumber: string;

  @Column({ type: 'int' })
  officerId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'officer_id', foreignKeyConstraintName: 'FK_dedicated_accounts_officer' })
  officer?: User;

  @Column({ type: 'bigint' })
  ledgerAccountId: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ledger_account_id', foreignKeyConstraintName: 'FK_dedicated_accounts_ledger_account' })
  ledgerAccount?: Account;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
