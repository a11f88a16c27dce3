import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A county keeps one ledger (資金一本帳) and one audit chain; every ledger row carries its county. */
@Entity('counties')
@Unique('UQ_counties_code', ['code'])
export class County {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_counties' })
  id: number;

  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
