import escapeHtml from 'escape-html';
import { formatWithSeparators } from './domain/money-format';
import { NoticeDocument } from './domain/notice-document';
import { PublicNoticeView } from './public-notices.dto';

const STANDING: Record<string, string> = {
  running: '公示中',
  passed: '公示期滿，無異議',
  objection_open: '有異議待答覆',
  objection_upheld: '異議成立，待重新公示',
  superseded: '已被新公示取代',
};

const OUTCOME: Record<string, string> = { upheld: '異議成立', dismissed: '異議不成立' };

const STYLE = `
  body{font-family:"Noto Sans SC","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:12px;color:#222;background:#fafafa;line-height:1.6}
  main{max-width:960px;margin:0 auto;background:#fff;padding:16px;border-radius:6px}
  h1{font-size:1.3em;text-align:center;margin:.4em 0} .meta{color:#555;font-size:.9em;text-align:center}
  .state{display:inline-block;padding:2px 8px;border-radius:4px;background:#e8f0fe;color:#174ea6}
  table{border-collapse:collapse;width:100%;font-size:.88em;margin:12px 0} th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
  th{background:#f1f3f4} td.money{text-align:right;white-space:nowrap} .wrap{overflow-x:auto}
  .hash{font-family:monospace;word-break:break-all;font-size:.85em} section{margin-top:16px}
  textarea,input{width:100%;box-sizing:border-box;font-size:1em;padding:6px;margin:4px 0} button{font-size:1em;padding:8px 16px}
  .objection{border-left:3px solid #ccc;padding-left:8px;margin:8px 0}`;

function page(title: string, content: string): string {
  return `<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${content}</main></body></html>`;
}

function table(doc: NoticeDocument): string {
  const head = doc.columns.map((c) => `<th>${escapeHtml(c.title)}</th>`).join('');
  const cell = (c: NoticeDocument['columns'][number], value: string | undefined) =>
    c.type === 'money' ? `<td class="money">${escapeHtml(formatWithSeparators(value ?? '0.00'))}</td>` : `<td>${escapeHtml(value ?? '')}</td>`;
  const rows = doc.rows.map((r) => `<tr>${doc.columns.map((c) => cell(c, r[c.key])).join('')}</tr>`).join('');
  const totals = doc.columns
    .map((c, i) => (c.type === 'money' ? cell(c, doc.totals[c.key]) : i === 0 ? '<td><strong>合計</strong></td>' : '<td></td>'))
    .join('');
  return `<div class="wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows}<tr>${totals}</tr></tbody></table></div>`;
}

/** The notice's public page, for a phone: the frozen notice, its period and standing, objections and answers. */
export function noticePage(n: PublicNoticeView, submitted: boolean): string {
  const doc = n.document;
  // Same-origin paths for the page's own links and forms, whatever address the service is published at.
  const path = `/public/notices/${encodeURIComponent(n.code)}`;
  const objections = n.objections.length
    ? n.objections
        .map(
          (o) => `<div class="objection"><div>${escapeHtml(o.receivedOn)}${o.late ? '（逾期）' : ''}：${escapeHtml(o.content)}</div>
<div>${o.state === 'answered' ? `<strong>${escapeHtml(OUTCOME[o.outcome!] ?? '')}</strong>：${escapeHtml(o.finding ?? '')}` : '調查核實中'}</div></div>`,
        )
        .join('')
    : '<p>暫無異議。</p>';
  const form =
    n.standing === 'superseded'
      ? ''
      : `<section><h2>提出異議</h2>${submitted ? '<p class="state">您的異議已收到，答覆將在本頁公開。</p>' : ''}
<form method="post" action="${path}/objections"><textarea name="content" rows="4" required minlength="2" maxlength="2000" placeholder="異議內容"></textarea>
<input name="name" maxlength="50" placeholder="姓名（可不填，不公開）"><input name="phone" maxlength="20" placeholder="聯繫電話（可不填，不公開）">
<button type="submit">提交</button></form></section>`;
  return page(
    doc.title,
    `<h1>${escapeHtml(doc.title)}</h1>
<div class="meta">${escapeHtml(doc.publisher)}　${escapeHtml(doc.documentNumber)}</div>
<div class="meta">公示期：${escapeHtml(n.startsOn)} 至 ${escapeHtml(n.endsOn)}　<span class="state">${escapeHtml(STANDING[n.standing] ?? n.standing)}</span></div>
${n.supersedesCode ? `<p>本公示更正並取代 <a href="/public/notices/${encodeURIComponent(n.supersedesCode)}">${escapeHtml(n.supersedesCode)}</a>。</p>` : ''}
${n.supersededByCode ? `<p>本公示已被 <a href="/public/notices/${encodeURIComponent(n.supersededByCode)}">${escapeHtml(n.supersededByCode)}</a> 更正取代。</p>` : ''}
<p>${escapeHtml(doc.body)}</p>
${table(doc)}
<p>${doc.phones.map((p) => `${escapeHtml(p.label)}：${escapeHtml(p.number)}`).join('　')}</p>
<p>公示渠道：${doc.channels.map((c) => escapeHtml(c)).join('、')}</p>
<section><h2>公示文件</h2><p><a href="${path}/pdf">下載PDF</a></p>
<p>PDF SHA-256：<span class="hash">${escapeHtml(n.pdfSha256)}</span></p><p>內容校驗碼：<span class="hash">${escapeHtml(n.contentHash)}</span></p>
<form method="post" action="${path}/verify" enctype="multipart/form-data"><input type="file" name="file" accept="application/pdf"><button type="submit">核對手中的PDF</button></form></section>
<section><h2>異議及答覆</h2>${objections}</section>
${form}`,
  );
}

/** A county's current notices, for a phone. */
export function listPage(county: string, notices: PublicNoticeView[]): string {
  const items = notices
    .map(
      (n) =>
        `<li><a href="/public/notices/${encodeURIComponent(n.code)}">${escapeHtml(n.document.title)}</a><br><small>${escapeHtml(n.code)}　${escapeHtml(n.startsOn)} 至 ${escapeHtml(n.endsOn)}　${escapeHtml(STANDING[n.standing] ?? n.standing)}</small></li>`,
    )
    .join('');
  return page(`${county}公示`, `<h1>${escapeHtml(county)}公示公告</h1>${items ? `<ul>${items}</ul>` : '<p>目前沒有公示。</p>'}`);
}

/** The answer to "is the paper in my hand the published notice?". */
export function verifyPage(n: PublicNoticeView, matches: boolean, sha256: string): string {
  return page(
    n.document.title,
    `<h1>${matches ? '一致：這是已發布的公示文件' : '不一致：這不是已發布的公示文件'}</h1>
<p>您的文件 SHA-256：<span class="hash">${escapeHtml(sha256)}</span></p><p>已發布文件 SHA-256：<span class="hash">${escapeHtml(n.pdfSha256)}</span></p>
<p><a href="/public/notices/${encodeURIComponent(n.code)}">返回公示頁面</a></p>`,
  );
}
