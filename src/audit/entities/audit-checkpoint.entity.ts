import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { County } from '../../county/county.entity';

/**
 * A signed checkpoint of a county's audit chain (docs/audit-package.md, "Signed checkpoints"): the RFC 6962 root of
 * its first `tree_size` sealed events, signed as a C2SP note. Written once; afterwards only witnesses' co-signature
 * lines are appended to `note` (the Checkpoints migration's trigger refuses any other change, and every DELETE).
 */
@Entity('audit_checkpoints')
@Check('CK_audit_checkpoints_size', `"tree_size" > 0`)
@Check('CK_audit_checkpoints_root', `"root_hash" ~ '^[0-9a-f]{64}$'`)
@Check('CK_audit_checkpoints_key_id', `"key_id" ~ '^[0-9a-f]{8}$'`)
@Check('CK_audit_checkpoints_frontier', `cardinality("frontier") > 0`)
// The note's body names the row's own size and root (its second and third lines).
@Check(
  'CK_audit_checkpoints_note',
  `split_part("note", E'\\n', 2) = "tree_size"::text AND split_part("note", E'\\n', 3) = encode(decode("root_hash", 'hex'), 'base64')`,
)
export class AuditCheckpoint {
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_audit_checkpoints' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_audit_checkpoints_county' })
  county?: County;

  /** How many of the county's sealed events the tree holds: seq 1 … tree_size. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_audit_checkpoints' })
  treeSize: string;

  /** The tree's root, hex. */
  @Column({ type: 'char', length: 64 })
  rootHash: string;

  /**
   * The roots of the perfect subtrees on the tree's right edge, largest first, hex: where the next checkpoint's tree
   * resumes, so it hashes only the events sealed since.
   */
  @Column({ type: 'char', length: 64, array: true })
  frontier: string[];

  /** The whole signed note: the body, then the service's signature line and any witnesses' after it. */
  @Column({ type: 'text' })
  note: string;

  /** The id of the service's key that signed it (8 hex digits), so a rotated key's checkpoints can be told apart. */
  @Column({ type: 'char', length: 8 })
  keyId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  signedAt: Date;
}
