import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { canonicalIdentifier, isBankAccount, isIdCardNumber } from '../common/identifiers';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { RELATIONS, RelatedPartyDto, RelatedPartyView } from './monitoring.dto';

const PartyRow = z.object({
  id: col.id,
  name: col.text,
  idNumber: col.text.nullable(),
  bankAccount: col.text.nullable(),
  relation: z.enum(RELATIONS),
  officialName: col.text,
  office: col.text,
  removedAt: col.timestamp.nullable(),
  removalReason: col.text.nullable(),
});
const COLUMNS = 'id, name, id_number, bank_account, relation, official_name, office, removed_at, removal_reason';

/**
 * The register of officials and their relatives that payees are matched against (on ID number or bank account,
 * never on name alone). Kept by the admin; each entry and each removal is an event.
 */
@Injectable()
export class RelatedPartiesService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async add(actor: Actor, dto: RelatedPartyDto): Promise<RelatedPartyView> {
    const idNumber = dto.idNumber === undefined ? null : canonicalIdentifier(dto.idNumber);
    const bankAccount = dto.bankAccount === undefined ? null : canonicalIdentifier(dto.bankAccount);
    if (idNumber === null && bankAccount === null) throw invalidField('idNumber', 'an ID number or a bank account: a name alone matches no one');
    if (idNumber !== null && !isIdCardNumber(idNumber)) throw invalidField('idNumber', 'a resident ID number of 18 characters with a valid check digit');
    if (bankAccount !== null && !isBankAccount(bankAccount)) throw invalidField('bankAccount', 'a bank account number of 8 to 32 digits');
    return inTransaction(this.ds, async (em) => {
      const [row] = await selectRows(
        em,
        PartyRow,
        `INSERT INTO related_parties (county_id, name, id_number, bank_account, relation, official_name, office, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [actor.county.id, dto.name, idNumber, bankAccount, dto.relation, dto.officialName, dto.office, actor.userId],
      );
      await this.audit.append(em, actor, 'monitoring.related_party.added', { id: row.id, relation: row.relation, office: row.office, idNumber, bankAccount });
      return view(row);
    });
  }

  async remove(actor: Actor, id: number, reason: string): Promise<RelatedPartyView> {
    return inTransaction(this.ds, async (em) => {
      const found = await selectOne(em, PartyRow, `SELECT ${COLUMNS} FROM related_parties WHERE id = $1 AND county_id = $2 FOR UPDATE`, [id, actor.county.id]);
      if (!found) throw new DomainError(ErrorCode.NotFound, `No register entry ${id}`);
      if (found.removedAt) throw new DomainError(ErrorCode.InvalidState, `Register entry ${id} was already removed`);
      const [row] = await selectRows(
        em,
        PartyRow,
        `UPDATE related_parties SET removed_by = $2, removed_at = now(), removal_reason = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, actor.userId, reason],
      );
      await this.audit.append(em, actor, 'monitoring.related_party.removed', { id, reason });
      return view(row);
    });
  }

  async list(actor: Actor): Promise<RelatedPartyView[]> {
    return (await selectRows(this.ds, PartyRow, `SELECT ${COLUMNS} FROM related_parties WHERE county_id = $1 ORDER BY id`, [actor.county.id])).map(view);
  }
}

function view(row: z.infer<typeof PartyRow>): RelatedPartyView {
  return { ...row, removedAt: row.removedAt?.toISOString() ?? null };
}
