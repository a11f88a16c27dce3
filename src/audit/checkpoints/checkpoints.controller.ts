import { Body, Controller, Get, Param, PipeTransform, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { Authenticated } from '../../access/auth.decorators';
import { Actor, CurrentActor } from '../../common/context';
import { DomainError, ErrorCode, invalidField } from '../../common/errors';
import { Idempotent, IdempotencyKey, IdempotentAnswer, RequestIdempotencyKey } from '../../common/idempotency';
import { CheckpointsService, ConsistencyProofView, InclusionProofView } from './checkpoints.service';

/** A tree size or seq as the API takes it: decimal without leading zeros, at most 18 digits (always within bigint). */
const COUNT = /^(0|[1-9][0-9]{0,17})$/;
const COUNT_MESSAGE = (field: string) => `${field} must be a whole number without leading zeros, at most 18 digits`;
const NOTE_TYPE = 'text/plain; charset=utf-8';

/**
 * Answers text. Set once the answer is known, not by `@Header` (set before the handler runs), so a refusal keeps the
 * error filter's JSON type.
 */
function asText(res: Response, text: string): string {
  res.setHeader('Content-Type', NOTE_TYPE);
  return text;
}

/** A tree size in the path: 400 naming `size` when it is not a number (a number that names no checkpoint is 404). */
class TreeSizePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!COUNT.test(value)) throw invalidField('size', COUNT_MESSAGE('size'));
    return value;
  }
}

export class InclusionQueryDto {
  @ApiProperty({ example: '42', description: 'The event' })
  @Matches(COUNT, { message: COUNT_MESSAGE('seq') })
  seq: string;

  @ApiProperty({ example: '1000', description: 'The tree: the county’s first treeSize sealed events (a checkpoint’s size)' })
  @Matches(COUNT, { message: COUNT_MESSAGE('treeSize') })
  treeSize: string;
}

export class ConsistencyQueryDto {
  @ApiProperty({ example: '1000', description: 'The earlier tree size' })
  @Matches(COUNT, { message: COUNT_MESSAGE('from') })
  from: string;

  @ApiProperty({ example: '2000', description: 'The later tree size' })
  @Matches(COUNT, { message: COUNT_MESSAGE('to') })
  to: string;
}

export class CosignatureDto {
  @ApiProperty({
    description: 'The witness’s signature line over the checkpoint’s body: `— <key name> <base64(key id ‖ Ed25519 signature)>`',
    example: '— audit-bureau.example/witness ZmFrZS1zaWduYXR1cmU=',
  })
  @IsString()
  @MaxLength(1000)
  signature: string;

  @ApiProperty({ description: 'The witness’s verifier key: `<key name>+<key id hex>+<base64(0x01 ‖ public key)>`' })
  @IsString()
  @MaxLength(1000)
  key: string;
}

export class InclusionProofResponse implements InclusionProofView {
  @ApiProperty({ example: '42' }) seq: string;
  @ApiProperty({ example: '1000' }) treeSize: string;
  @ApiProperty({ example: '41', description: 'seq − 1: the leaf’s index in the tree' }) leafIndex: string;
  @ApiProperty({ description: 'SHA-256(0x00 ‖ the event’s hash), hex' }) leafHash: string;
  @ApiProperty({ description: 'The root of the tree of treeSize events, hex (a checkpoint of that size signs it in base64)' }) rootHash: string;
  @ApiProperty({ type: [String], description: 'RFC 6962 audit path, hex, nearest the leaf first' }) proof: string[];
}

export class ConsistencyProofResponse implements ConsistencyProofView {
  @ApiProperty({ example: '1000' }) from: string;
  @ApiProperty({ example: '2000' }) to: string;
  @ApiProperty({ description: 'The root of the first `from` events, hex' }) fromRoot: string;
  @ApiProperty({ description: 'The root of the first `to` events, hex' }) toRoot: string;
  @ApiProperty({ type: [String], description: 'RFC 6962 consistency proof, hex' }) proof: string[];
}

const NOTE_RESPONSE = {
  description: 'The checkpoint as a C2SP signed note (docs/audit-package.md)',
  content: { 'text/plain': { schema: { type: 'string' } } },
};

@ApiTags('audit')
@Controller('api/v1/audit')
export class CheckpointsController {
  constructor(private readonly checkpoints: CheckpointsService) {}

  @Get('checkpoint')
  @ApiOperation({
    summary: 'Read the county’s latest signed checkpoint',
    description:
      'The root of the county’s sealed events as a signed note: origin, tree size, root (base64), then the service’s signature ' +
      'and any witnesses’. Verify it with the service’s verifier key pinned beforehand. 404 NOT_FOUND before the first checkpoint.',
  })
  @Authenticated('auditor', 'admin')
  @ApiProduces('text/plain')
  @ApiOkResponse(NOTE_RESPONSE)
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no checkpoint signed yet' })
  async latest(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<string> {
    const checkpoint = await this.checkpoints.latest(actor.county.id);
    if (!checkpoint) throw new DomainError(ErrorCode.NotFound, 'No checkpoint signed yet');
    return asText(res, checkpoint.note);
  }

  @Get('checkpoints/:size')
  @ApiOperation({ summary: 'Read the signed checkpoint of a tree size', description: 'As `GET …/checkpoint`, for the checkpoint of `size` events.' })
  @Authenticated('auditor', 'admin')
  @ApiParam({ name: 'size', example: '1000' })
  @ApiProduces('text/plain')
  @ApiOkResponse(NOTE_RESPONSE)
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no checkpoint of that size' })
  async at(@CurrentActor() actor: Actor, @Param('size', TreeSizePipe) size: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const checkpoint = await this.checkpoints.at(actor.county.id, size);
    if (!checkpoint) throw new DomainError(ErrorCode.NotFound, `No checkpoint of ${size} events`);
    return asText(res, checkpoint.note);
  }

  @Get('proofs/inclusion')
  @ApiOperation({
    summary: 'Prove an event is in a tree of the county’s events',
    description:
      'The RFC 6962 audit path of event `seq` in the tree of the first `treeSize` sealed events, with the leaf and the root ' +
      '(RFC 9162 §2.1.3.2 verifies it). Computed from the stored events, one pass over the first treeSize of them.',
  })
  @Authenticated('auditor', 'admin')
  @ApiOkResponse({ type: InclusionProofResponse })
  inclusion(@CurrentActor() actor: Actor, @Query() q: InclusionQueryDto): Promise<InclusionProofView> {
    return this.checkpoints.inclusionProof(actor.county.id, q.seq, q.treeSize);
  }

  @Get('proofs/consistency')
  @ApiOperation({
    summary: 'Prove one tree of the county’s events extends another',
    description:
      'The RFC 6962 consistency proof from the tree of the first `from` sealed events to that of the first `to`, with both ' +
      'roots (RFC 9162 §2.1.4.2 verifies it): history up to `from` was only appended to.',
  })
  @Authenticated('auditor', 'admin')
  @ApiOkResponse({ type: ConsistencyProofResponse })
  consistency(@CurrentActor() actor: Actor, @Query() q: ConsistencyQueryDto): Promise<ConsistencyProofView> {
    return this.checkpoints.consistencyProof(actor.county.id, q.from, q.to);
  }

  @Post('checkpoints/:size/cosignatures')
  @ApiOperation({
    summary: 'Co-sign a checkpoint as a witness',
    description:
      'Adds the witness’s signature line, made with their own key over the checkpoint’s body, to the note; answers the note ' +
      'with it. The line must verify with the verifier key given (400 VALIDATION_FAILED on `signature` or `key`); one line ' +
      'per key (409 INVALID_STATE). Records `audit.checkpoint.cosigned`.',
  })
  @Authenticated('auditor')
  @Idempotent('adds no second line and records no second event')
  @ApiParam({ name: 'size', example: '1000' })
  @ApiProduces('text/plain')
  @ApiCreatedResponse({ ...NOTE_RESPONSE, description: 'The note with the witness’s line' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no checkpoint of that size' })
  async cosign(
    @CurrentActor() actor: Actor,
    @Param('size', TreeSizePipe) size: string,
    @Body() dto: CosignatureDto,
    @RequestIdempotencyKey() key: IdempotencyKey | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IdempotentAnswer<string>> {
    const answer = await this.checkpoints.addCosignature(actor, size, dto.signature, dto.key, key);
    asText(res, answer.value);
    return answer;
  }

  @Get('verifier-key')
  @ApiOperation({
    summary: 'Read the service’s verifier key',
    description:
      '`<county code>/fund-ledger+<key id>+<base64 key>`: what checkpoints verify against. Pin it from a channel other than ' +
      'this service (docs/operations.md, "Checkpoints in operation"); this route helps compare, it cannot vouch for itself.',
  })
  @Authenticated('auditor', 'admin')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The verifier key', content: { 'text/plain': { schema: { type: 'string' } } } })
  verifierKey(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): string {
    return asText(res, this.checkpoints.verifierKey(actor.county.code));
  }
}
