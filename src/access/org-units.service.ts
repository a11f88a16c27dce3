import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { SqlState, pgErrorOf } from '../database/pg-errors';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { CHILD_LEVEL, ORG_LEVELS } from './domain/roles';
import { CreateOrgUnitDto, OrgUnitView } from './dto/access.dto';
import { inScope, scopePrefix } from './scope';

/** An org unit as the API shows it (`OrgUnitView`). */
const UnitRow = z.object({
  id: col.id,
  parentId: col.id.nullable(),
  level: z.enum(ORG_LEVELS),
  code: col.text,
  name: col.text,
  path: col.text,
});

const UNIT_COLUMNS = 'id, parent_id, level, code, name, path';

@Injectable()
export class OrgUnitsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** The county's own unit, the root of its tree; created with the county. */
  async ensureRoot(em: EntityManager, actor: Actor, name: string): Promise<void> {
    const [root] = await selectRows(
      em,
      UnitRow,
      `INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, NULL, 'county', $2, $3, '')
       ON CONFLICT ON CONSTRAINT "UQ_org_units_county_code" DO NOTHING RETURNING ${UNIT_COLUMNS}`,
      [actor.county.id, actor.county.code, name],
    );
    if (root) await this.audit.append(em, actor, 'access.org_unit.created', { ...root });
  }

  async create(actor: Actor, dto: CreateOrgUnitDto): Promise<OrgUnitView> {
    const parent = await this.get(actor, dto.parentId, 'parentId');
    const level = CHILD_LEVEL[parent.level];
    if (!level) {
      throw new DomainError(ErrorCode.ValidationFailed, 'A village has no units below it', {
        fields: [{ field: 'parentId', message: 'must be the county unit or a township' }],
      });
    }
    try {
      return await inTransaction(this.ds, async (em) => {
        const [unit] = await selectRows(
          em,
          UnitRow,
          `INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, $2, $3, $4, $5, '') RETURNING ${UNIT_COLUMNS}`,
          [actor.county.id, parent.id, level, dto.code, dto.name],
        );
        await this.audit.append(em, actor, 'access.org_unit.created', { ...unit });
        return unit;
      });
    } catch (err) {
      if (pgErrorOf(err)?.code === SqlState.uniqueViolation) {
        throw new DomainError(ErrorCode.DuplicateOrgUnit, `Org unit ${dto.code} already exists`, {
          fields: [{ field: 'code', message: 'already exists in this county' }],
        });
      }
      throw err;
    }
  }

  /** A unit in the actor's scope; 404 (naming `field` when it came from a request body) otherwise. */
  async get(actor: Actor, id: number, field?: string): Promise<OrgUnitView> {
    const unit = await selectOne(this.ds, UnitRow, `SELECT ${UNIT_COLUMNS} FROM org_units WHERE id = $1 AND county_id = $2`, [id, actor.county.id]);
    if (!unit || !inScope(actor, unit.path)) {
      throw new DomainError(ErrorCode.NotFound, `No org unit ${id}`, field ? { fields: [{ field, message: 'no such org unit' }] } : {});
    }
    return unit;
  }

  async list(actor: Actor, afterId = 0, limit = DEFAULT_PAGE_SIZE): Promise<OrgUnitView[]> {
    return selectRows(this.ds, UnitRow, `SELECT ${UNIT_COLUMNS} FROM org_units WHERE county_id = $1 AND path LIKE $2 || '%' AND id > $3 ORDER BY id LIMIT $4`, [
      actor.county.id,
      scopePrefix(actor),
      afterId,
      limit,
    ]);
  }
}
