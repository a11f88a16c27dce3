import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { PLAN_TOTAL, planNotice } from '../../test/support/notice-fixture';
import { amountInCapitals } from './domain/amount-in-capitals';
import { formatWithSeparators } from './domain/money-format';
import { NoticeDocument } from './domain/notice-document';
import { NOTICE_KINDS } from './domain/notice-kinds';
import { renderNoticePdf } from './notice-pdf';

interface Read {
  total: number;
  info: Record<string, unknown>;
  /** Each page's text, in the order the PDF draws it. */
  pages: string[];
  /** The last page rendered at 144 dpi, as a PNG. */
  lastPage: Buffer;
}

/**
 * pdf-parse 2 in a child Node process: pdf.js loads its worker with a dynamic import(), which Jest's CommonJS module
 * system refuses without --experimental-vm-modules. The child reads the text and info and renders the last page, so
 * the QR code is decoded from what a printer would print, not from what the renderer meant to draw.
 */
const READER = `
const { PDFParse } = require('pdf-parse');
const { readFileSync } = require('node:fs');
(async () => {
  const parser = new PDFParse({ data: readFileSync(process.argv[1]) });
  try {
    const info = await parser.getInfo();
    const text = await parser.getText();
    const shot = await parser.getScreenshot({ partial: [info.total], scale: 2, imageDataUrl: false });
    process.stdout.write(JSON.stringify({
      total: info.total,
      info: info.info,
      pages: text.pages.map((p) => p.text),
      lastPage: Buffer.from(shot.pages[0].data).toString('base64'),
    }));
  } finally {
    await parser.destroy();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
`;

async function read(pdf: Buffer): Promise<Read> {
  const dir = await mkdtemp(join(tmpdir(), 'notice-pdf-'));
  try {
    await writeFile(join(dir, 'notice.pdf'), pdf);
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', READER, join(dir, 'notice.pdf')], {
      cwd: join(__dirname, '..', '..'),
      maxBuffer: 256 * 1024 * 1024,
    });
    const out = JSON.parse(stdout) as Omit<Read, 'lastPage'> & { lastPage: string };
    return { ...out, lastPage: Buffer.from(out.lastPage, 'base64') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Cells wrap, so a name or an amount in capitals may be cut into lines: compare without any white space. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return jsQR(pixels, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/** A short notice of the allocation kind: two money columns, so 合計 has two totals. */
function allocationNotice(overrides: Partial<NoticeDocument> = {}): NoticeDocument {
  return {
    ...planNotice(),
    code: 'ys2026-alloc-02',
    kind: 'allocation',
    title: '英山縣2026年度銜接資金分配結果公示',
    columns: NOTICE_KINDS.allocation.columns,
    rows: [
      {
        documentNumber: '鄂財農發〔2025〕86號',
        fundType: '中央銜接資金（2026年度）',
        use: '產業發展、小型公益性基礎設施',
        received: '12000000.00',
        allocated: '11999999.99',
      },
      { documentNumber: '英財農〔2026〕3號', fundType: '縣級銜接資金（2026年度）', use: '小額信貸貼息', received: '0.05', allocated: '0.05' },
    ],
    totals: { received: '12000000.05', allocated: '12000000.04' },
    supersedes: 'ys2026-alloc-01',
    ...overrides,
  };
}

describe('renderNoticePdf', () => {
  const plan = planNotice();
  let pdf: Buffer;
  let parsed: Read;

  beforeAll(async () => {
    pdf = await renderNoticePdf(plan);
    parsed = await read(pdf);
  });

  it('prints the 68-project plan notice: title, every project, amounts in figures and capitals, 合計, phones', () => {
    const text = squeeze(parsed.pages.join('\n'));
    expect(plan.rows).toHaveLength(68);
    expect(text).toContain(squeeze(plan.title));
    expect(text).toContain('英財公〔2026〕1號');
    expect(text).toContain('公示期：2026年3月2日至2026年3月11日');
    for (const row of plan.rows) {
      expect(text).toContain(row.name);
      expect(text).toContain(`${formatWithSeparators(row.budget)}${amountInCapitals(row.budget)}`);
    }
    expect(text).toContain(`合計（共68項）21,714,000.00${amountInCapitals(PLAN_TOTAL)}`);
    expect(amountInCapitals(PLAN_TOTAL)).toBe('貳仟壹佰柒拾壹萬肆仟元整');
    expect(text).toContain('監督電話：全國防止返貧監測和鄉村振興諮詢服務熱線12317英山縣財政局0713-7012345英山縣農業農村局0713-7023456');
    expect(text).toContain('公示渠道：政府門戶網站、鄉鎮政務公開欄、村務公開欄');
    expect(text).toContain('英山縣財政局2026年2月27日');
    expect(text).not.toContain('更正說明');
  });

  it('spans pages, each numbered 第 n 頁 共 N 頁 and each repeating the table header', () => {
    expect(parsed.total).toBeGreaterThan(1);
    const header = '項目名稱實施地點建設任務實施期限實施單位及責任人績效目標資金來源安排資金（元）';
    parsed.pages.forEach((page, i) => {
      expect(page).toContain(`第 ${i + 1} 頁 共 ${parsed.total} 頁`);
      expect(squeeze(page).startsWith(i === 0 ? squeeze(plan.title) : header)).toBe(true);
    });
    expect(squeeze(parsed.pages[0])).toContain(header);
  });

  it('carries the QR code of the public page with the hash, and prints the 校驗碼 beside it', () => {
    const hash = plan.contentHash.slice(0, 16);
    expect(decodeQr(parsed.lastPage)).toBe(`${plan.publicUrl}?h=${hash}`);
    expect(parsed.pages[parsed.total - 1]).toContain(`校驗碼：${hash}`);
  });

  it('sets Title, Author, Subject and the approval day as its dates', () => {
    expect(parsed.info).toMatchObject({
      Title: plan.title,
      Author: '英山縣財政局',
      Subject: '英財公〔2026〕1號 公示期 2026-03-02 至 2026-03-11',
      Keywords: plan.contentHash,
      CreationDate: 'D:20260226160000Z',
      ModDate: 'D:20260226160000Z',
    });
  });

  it('renders the same bytes every time, whatever the clock says', async () => {
    // Only Date: pdfkit's stream needs the real timers and ticks.
    jest.useFakeTimers({
      now: new Date('2031-07-15T03:04:05Z'),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      expect(new Date().getUTCFullYear()).toBe(2031);
      const again = await renderNoticePdf(planNotice());
      expect(again.equals(pdf)).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('embeds a subset of the font: the 68 projects fit in a few hundred kilobytes', () => {
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.3');
    expect(pdf.length).toBeLessThan(400 * 1024);
  });

  it('derives the file ID from the content: another hash, another ID', async () => {
    const id = (bytes: Buffer) => /\/ID \[(<[0-9a-f]+>) /.exec(bytes.toString('latin1'))?.[1];
    const other = await renderNoticePdf({ ...plan, contentHash: 'f'.repeat(64) });
    expect(id(pdf)).toMatch(/^<[0-9a-f]{32}>$/);
    expect(id(other)).not.toBe(id(pdf));
  });

  it('prints two money columns with their totals, the supersedes line, 伍分, and Traditional and Simplified characters', async () => {
    const doc = allocationNotice({ body: '縣鄉賬銜：县乡账衔，臺灣為與後發，峯着衆啓，彙於餘。' });
    const text = squeeze((await read(await renderNoticePdf(doc))).pages.join('\n'));
    expect(text).toContain('縣鄉賬銜：县乡账衔，臺灣為與後發，峯着衆啓，彙於餘。');
    expect(text).toContain('12,000,000.00壹仟貳佰萬元整11,999,999.99壹仟壹佰玖拾玖萬玖仟玖佰玖拾玖元玖角玖分');
    expect(text).toContain('0.05伍分0.05伍分');
    expect(text).toContain('合計（共2項）12,000,000.05壹仟貳佰萬元零伍分12,000,000.04壹仟貳佰萬元零肆分');
    expect(text).toContain('更正說明：本公示替代編號為ys2026-alloc-01的公示。');
  });

  it('cuts a row taller than a page across pages, header repeated, nothing lost', async () => {
    const tasks = '新建產業路及配套設施，'.repeat(220);
    const doc = allocationNotice({ rows: [{ ...allocationNotice().rows[1], use: tasks }], totals: { received: '0.05', allocated: '0.05' } });
    const read2 = await read(await renderNoticePdf(doc));
    const header = '資金文號資金來源用途及使用單位資金規模（元）已分配（元）';
    expect(read2.total).toBeGreaterThan(2);
    for (const page of read2.pages) expect(squeeze(page)).toContain(header);
    // Without what every page repeats and the row's amounts, the cut text reads on from page to page.
    const flowing = read2.pages
      .map(squeeze)
      .join('')
      .replaceAll(header, '')
      .replace(/第\d+頁共\d+頁/g, '')
      .replaceAll('0.05伍分', '');
    expect(flowing).toContain(tasks);
  });

  it('refuses a character the font cannot draw, naming it', async () => {
    await expect(renderNoticePdf(allocationNotice({ publisher: '溫泉鎮𡈽村村民委員會😀' }))).rejects.toThrow(
      "the notice's font has no glyph for: 𡈽 (U+2123D), 😀 (U+1F600)",
    );
  });

  it('refuses totals that are not the sum of their rows, and a money cell that is not an amount', async () => {
    await expect(renderNoticePdf(allocationNotice({ totals: { received: '12000000.05', allocated: '12000000.05' } }))).rejects.toThrow(
      'the total of allocated is 12000000.05, its rows add up to 12000000.04',
    );
    const [first, second] = allocationNotice().rows;
    await expect(renderNoticePdf(allocationNotice({ rows: [{ ...first, received: '-1.00' }, second] }))).rejects.toThrow(RangeError);
  });
});
