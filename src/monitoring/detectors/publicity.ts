import { formatMoney, money } from '../../common/money';
import { notPublishedInTime, paidBeforeNotice } from '../../publicity/publicity-findings';
import { Detector, Finding } from '../domain/detector';
import { daysBetween } from './periods';

/**
 * The publicity rules (公示制, docs/publicity.md) as detectors. The findings are read by publicity-findings.ts, the
 * same reading GET /api/v1/notices/findings shows; these only word them as alerts. Publicity is the public's check on
 * projects and money that exist on paper only, so both guard against 虛報冒領.
 */

/** M16: money paid on a project whose plan notice has not passed (none published, still running, or held by an objection). */
export const PAID_BEFORE_NOTICE: Detector = {
  id: 'M16',
  nameZh: '公示制：項目計劃公示未通過即已支付資金',
  nameEn: 'Publicity: money paid on a project whose plan notice has not passed',
  guards: 'false_claims',
  source: '公示制：在鄉鎮政務公開欄和項目村公示項目計劃，接受社會監督；合同簽訂須待年度項目計劃公示期滿且無異議 (docs/publicity.md)',
  severities: ['red'],
  policies: [],
  after: ['contract.paid', 'claim.paid'],
  async detect(ctx) {
    const found = await paidBeforeNotice(ctx.em, ctx.countyId, ctx.today, ctx.ledger);
    return found.map((p): Finding => {
      const paid = formatMoney(p.paid);
      const notice = p.notice ? `現行公示 ${p.notice.code} 公示期至 ${p.notice.endsOn}` : '無現行的年度項目計劃公示';
      return {
        subjectType: 'project',
        subjectId: String(p.id),
        severity: 'red',
        unitId: p.villageId,
        key: paid,
        summary: `項目「${p.name}」已支付 ${paid} 元，年度項目計劃公示未通過（${notice}）`,
        evidence: {
          projectId: p.id,
          paid,
          noticeKind: 'plan',
          noticeId: p.notice?.id ?? null,
          noticeCode: p.notice?.code ?? null,
          noticeEndsOn: p.notice?.endsOn ?? null,
        },
      };
    });
  },
};

/** What publishing a subject takes: a project its library notice, an allocation its allocation notice. */
const PUBLISHED_BY = {
  project: { noticeKind: 'library', formed: '經鄉鎮審核', what: '入庫公示' },
  allocation: { noticeKind: 'allocation', formed: '到位', what: '資金分配結果公示' },
} as const;

/** M17: information formed and not published within `publicity_due_working_days` working days. */
export const NOT_PUBLISHED_IN_TIME: Detector = {
  id: 'M17',
  nameZh: '公示制：信息形成後未在規定工作日內公告公示',
  nameEn: 'Publicity: information not published within the due working days',
  guards: 'false_claims',
  source: '扶貧項目資金公告公示：信息形成或變更後 20 個工作日內公告公示 (publicity_due_working_days, docs/publicity.md)',
  severities: ['yellow'],
  policies: ['publicity_due_working_days'],
  async detect(ctx) {
    const dueWorkingDays = Number(ctx.policy.publicity_due_working_days);
    const found = await notPublishedInTime(ctx.em, ctx.countyId, ctx.today, dueWorkingDays, ctx.calendar);
    return found.map((f): Finding => {
      const { noticeKind, formed, what } = PUBLISHED_BY[f.subject];
      const amount = formatMoney(money(f.amount));
      // Calendar days past the due date: what a reader counts on a wall calendar; the due date itself is in working days.
      const daysOverdue = daysBetween(f.dueOn, ctx.today);
      const named = f.subject === 'project' ? `項目「${f.name}」（資金規模 ${amount} 元）` : `資金 ${f.name}（${amount} 元）`;
      return {
        subjectType: f.subject,
        subjectId: String(f.id),
        severity: 'yellow',
        unitId: f.villageId,
        summary: `${named}於 ${f.formedOn} ${formed}，應在 ${dueWorkingDays} 個工作日內（最遲 ${f.dueOn}）${what}，已逾期 ${daysOverdue} 天仍未公示`,
        evidence: {
          [f.subject === 'project' ? 'projectId' : 'allocationId']: f.id,
          name: f.name,
          amount,
          noticeKind,
          formedOn: f.formedOn,
          dueWorkingDays,
          dueOn: f.dueOn,
          daysOverdue,
        },
      };
    });
  },
};

export const PUBLICITY_DETECTORS: readonly Detector[] = [PAID_BEFORE_NOTICE, NOT_PUBLISHED_IN_TIME];
