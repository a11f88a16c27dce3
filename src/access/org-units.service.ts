import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { SqlState, pgErrorOf } from '../database/pg-errors';
import { inTransaction } from '../database/unit-of-work';
import { CHILD_LEVEL, OrgLevel } from './domain/roles';
import { CreateOrgUnitDto, OrgUnitView } from './dto/access.dto';
import { inScope, scopePrefix } from './scope';

interface UnitRow {
  id: number;
  parent_id: number | null;
  level: OrgLevel;
  code: string;
  name: string;
  path: string;
}

const UNIT_COLUMNS = 'id, parent_id, level, code, name, path';

@Injectable()
export class OrgUnitsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** The county's own unit, the root of its tree; created with the county. */
  async ensureRoot(em: EntityManager, actor: Actor, name: string): Promise<void> {
    const rows = await em.query(
      `INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, NULL, 'county', $2, $3, '')
       ON CONFLICT ON CONSTRAINT "UQ_org_units_county_code" DO NOTHING RETURNING ${UNIT_COLUMNS}`,
      [actor.county.id, actor.county.code, name],
    );
    if (rows.length > 0) await this.audit.append(em, actor, 'access.org_unit.created', { ...unitView(rows[0]) });
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
        const rows: UnitRow[] = await em.query(
          `INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, $2, $3, $4, $5, '') RETURNING ${UNIT_COLUMNS}`,
          [actor.county.id, parent.id, level, dto.code, dto.name],
        );
        const unit = unitView(rows[0]);
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
    const rows: UnitRow[] = await this.ds.query(`SELECT ${UNIT_COLUMNS} FROM org_units WHERE id = $1 AND county_id = $2`, [id, actor.county.id]);
    if (rows.length === 0 || !inScope(actor, rows[0].path)) {
      throw new DomainError(ErrorCode.NotFound, `No org unit ${id}`, field ? { fields: [{ field, message: 'no such org unit' }] } : {});
    }
    return unitView(rows[0]);
  }

  async list(actor: Actor, afterId = 0, limit = DEFAULT_PAGE_SIZE): Promise<OrgUnitView[]> {
    const rows: UnitRow[] = await this.ds.query(
      `SELECT ${UNIT_COLUMNS} FROM org_units WHERE county_id = $1 AND path LIKE $2 || '%' AND id > $3 ORDER BY id LIMIT $4`,
      [actor.county.id, scopePrefix(actor), afterId, limit],
    );
    return rows.map(unitView);
  }
}

function unitView(row: UnitRow): OrgUnitView {
  return { id: row.id, parentId: row.parent_id, level: row.level, code: row.code, name: row.name, path: row.path };
}
