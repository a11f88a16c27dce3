import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { NoticeDocument } from '../../src/publicity/domain/notice-document';
import { NOTICE_KINDS } from '../../src/publicity/domain/notice-kinds';

const TOWNS = ['溫泉鎮', '南河鎮', '紅山鎮', '金家鋪鎮', '石頭咀鎮', '草盤地鎮', '雷家店鎮', '楊柳灣鎮', '孔家坊鄉', '方家咀鄉', '陶家河鄉'];
const VILLAGES = `
  百丈河村 燕窩垸村 長沖村 楓樹坳村 三門河村 太平畈村 石鼓村 油鋪村 黃柏山村 桃花沖村 龍潭河村
  鳳凰關村 大河沖村 張咀村 東沖河村 西河村 羅家畈村 界嶺村 畈上村 新鋪村 茶園坳村 楊樹沖村
`
  .trim()
  .split(/\s+/);
const PEOPLE = ['王建國', '李志強', '張明華', '陳曉峰', '劉德勝', '胡永紅', '段文傑', '余海濤', '汪春林', '程立新', '徐國慶', '詹美蘭', '聶廣賢'];
const SOURCES = [
  '中央財政銜接推進鄉村振興補助資金（鄂財農發〔2025〕86號）',
  '省級財政銜接推進鄉村振興補助資金（鄂財農發〔2025〕102號）',
  '縣級財政銜接推進鄉村振興資金（英財農〔2026〕3號）',
];

/** Twelve kinds of project a county plans, each with its tasks and targets as a plan notice prints them. */
const KINDS: { name: string; tasks: (n: number) => string; targets: (n: number) => string }[] = [
  {
    name: '產業路硬化工程',
    tasks: (n) => `硬化產業路${(1 + (n % 4) * 0.7).toFixed(1)}公里，路面寬4.5米，C25混凝土厚20釐米，配套涵管${2 + (n % 5)}處及錯車道`,
    targets: (n) => `受益脫貧人口及監測對象不少於${60 + n * 3}人；工程驗收合格率100%；受益群眾滿意度≥95%`,
  },
  {
    name: '安全飲水鞏固提升工程',
    tasks: (n) => `新建蓄水池${1 + (n % 3)}口、鋪設供水管網${1200 + n * 40}米，更換入戶水錶`,
    targets: (n) => `鞏固提升${80 + n * 2}戶飲水安全；水質達標率100%；工程運行管護責任落實到人`,
  },
  {
    name: '茶葉基地提檔升級項目',
    tasks: (n) => `改造低產茶園${150 + n * 5}畝，配套生產便道及水肥一體化設施，推行“企業＋合作社＋農戶”模式`,
    targets: (n) => `帶動脫貧戶${20 + (n % 30)}戶戶均增收不低於1500元；茶園畝產提高15%`,
  },
  {
    name: '小型農田水利設施建設',
    tasks: (n) => `整治堰塘${2 + (n % 4)}口、新建灌溉渠道${600 + n * 25}米，清淤擴容`,
    targets: (n) => `改善灌溉面積${300 + n * 6}畝；工程驗收合格率100%`,
  },
  {
    name: '中藥材種植基地建設',
    tasks: (n) => `種植茯苓、桔梗${100 + n * 4}畝，建設烘乾房1座，統一提供種苗及技術服務`,
    targets: (n) => `帶動脫貧戶及監測戶${15 + (n % 25)}戶；土地流轉及務工收入戶均2000元以上`,
  },
  {
    name: '就業幫扶車間建設',
    tasks: (n) => `新建標準化廠房${400 + n * 10}平方米，配套水電及消防設施，產權歸村集體`,
    targets: (n) => `吸納脫貧勞動力就業不少於${10 + (n % 20)}人；村集體年增收5萬元以上`,
  },
  {
    name: '危橋改造工程',
    tasks: (n) => `拆除重建危橋${1 + (n % 2)}座，橋長${18 + (n % 7) * 3}米，荷載等級公路Ⅱ級`,
    targets: () => '消除安全隱患；工程驗收合格率100%；群眾出行滿意度≥95%',
  },
  {
    name: '農村人居環境整治項目',
    tasks: (n) => `新建垃圾收集點${4 + (n % 6)}處，改造衛生廁所${30 + n}戶，整治溝渠及房前屋後環境`,
    targets: (n) => `受益農戶${120 + n * 3}戶；衛生廁所普及率提高；受益群眾滿意度≥95%`,
  },
  {
    name: '農產品倉儲保鮮冷鏈設施建設',
    tasks: (n) => `新建冷庫${300 + n * 10}立方米，購置分揀包裝設備一套，由村集體經營`,
    targets: (n) => `帶動脫貧戶${25 + (n % 20)}戶；農產品損耗率降低10%；村集體年增收3萬元以上`,
  },
  {
    name: '黑山羊標準化養殖基地',
    tasks: (n) => `新建標準化羊舍${600 + n * 12}平方米及青貯池，引進種羊${80 + n}隻`,
    targets: (n) => `帶動脫貧戶${12 + (n % 18)}戶發展養殖；戶均增收2000元以上`,
  },
  {
    name: '村級光伏電站提質增效項目',
    tasks: () => '更換逆變器及老化組件，加裝防雷及遠程監控設施，收益用於公益崗位及小型公益事業',
    targets: () => '電站年發電量提高8%；收益全部納入村集體專賬核算，按規定分配',
  },
  {
    name: '村組道路安全生命防護工程',
    tasks: (n) => `安裝波形護欄${800 + n * 20}米、警示標誌${6 + (n % 8)}塊，增設減速帶`,
    targets: () => '消除臨水臨崖路段安全隱患；工程驗收合格率100%',
  },
];

/** The projects' amounts (元): 21,714,000.00 in all, a few with 角 and 分, the last the county's loan interest. */
const AMOUNTS = `
  210000.00 600000.00 440000.00 350000.00 320000.00 290000.00 215036.45 210000.00
  355000.00 275000.00 280000.00 230000.00 170000.00 220000.00 90000.00 80000.00
  440000.00 300000.00 350000.00 180000.00 170000.00 400000.00 200000.00 400012.08
  240000.00 315000.00 430000.00 580000.00 340000.00 400000.00 110000.00 220000.00
  290000.00 150000.00 150000.00 230000.00 210000.00 340000.00 220000.00 500000.00
  410000.00 269999.50 250000.00 550000.00 580000.00 310000.00 330000.00 490000.00
  280000.00 320000.00 250000.00 570000.00 200000.00 170000.00 180000.00 255000.00
  160000.00 200000.00 305000.00 180000.00 350000.00 430000.00 270000.00 150000.00
  275000.00 560000.00 420000.00 1498951.97
`
  .trim()
  .split(/\s+/);
export const PLAN_TOTAL = '21714000.00';

function projectRow(i: number): Record<string, string> {
  const town = TOWNS[i % TOWNS.length];
  const village = VILLAGES[i % VILLAGES.length];
  const kind = KINDS[i % KINDS.length];
  return {
    name: `${town}${village}${kind.name}`,
    location: `英山縣${town}${village}`,
    tasks: kind.tasks(i),
    period: `2026-0${3 + (i % 4)}-01 至 2026-${10 + (i % 3)}-30`,
    responsible: `${town}人民政府 ${PEOPLE[i % PEOPLE.length]}`,
    targets: kind.targets(i),
    sources: SOURCES[i % SOURCES.length],
    budget: AMOUNTS[i],
  };
}

/** The county-wide project that closes the list: interest on small loans to households, so its amount has 分. */
function loanInterestRow(): Record<string, string> {
  return {
    name: '英山縣脫貧人口小額信貸貼息項目',
    location: '英山縣11個鄉鎮',
    tasks: '對2026年度脫貧人口及監測對象小額信貸按基準利率全額貼息，按季結算，貼息資金直接撥付至借款戶賬戶',
    period: '2026-01-01 至 2026-12-31',
    responsible: '英山縣農業農村局 邵光輝',
    targets: '貼息覆蓋符合條件借款戶100%；按時足額撥付率100%',
    sources: SOURCES[0],
    budget: AMOUNTS[67],
  };
}

/** The 68 projects of 英山縣's 2026 plan notice, as the notices service snapshots them (plan kind's columns). */
export function planNotice(): NoticeDocument {
  const rows = [...Array.from({ length: 67 }, (_, i) => projectRow(i)), loanInterestRow()];
  const document: Omit<NoticeDocument, 'contentHash'> = {
    code: 'ys2026-plan-01',
    kind: 'plan',
    title: '英山縣2026年度統籌整合財政涉農資金項目計劃公示',
    publisher: '英山縣財政局',
    documentNumber: '英財公〔2026〕1號',
    startsOn: '2026-03-02',
    endsOn: '2026-03-11',
    body:
      '根據《中央財政銜接推進鄉村振興補助資金管理辦法》和統籌整合財政涉農資金有關規定，經縣鄉村振興領導小組研究，' +
      '現將英山縣2026年度統籌整合財政涉農資金項目計劃予以公示，共計項目68個，安排資金21,714,000.00元。資金實行專賬核算、' +
      '專款專用，項目實施情況將在各鄉鎮政務公開欄和村務公開欄同步公示。\n' +
      '公示期內如有異議，請通過監督電話或書面形式向縣財政局、縣農業農村局反映。',
    columns: NOTICE_KINDS.plan.columns,
    rows,
    totals: { budget: PLAN_TOTAL },
    phones: [
      { label: '全國防止返貧監測和鄉村振興諮詢服務熱線', number: '12317' },
      { label: '英山縣財政局', number: '0713-7012345' },
      { label: '英山縣農業農村局', number: '0713-7023456' },
    ],
    channels: ['政府門戶網站', '鄉鎮政務公開欄', '村務公開欄'],
    publicUrl: 'https://zj.yingshan.example/public/notices/ys2026-plan-01',
    supersedes: null,
    approvedOn: '2026-02-27',
  };
  // Hashed as contentHashOf (src/publicity/notice-snapshot.ts) hashes, without importing the services it sits among.
  return { ...document, contentHash: createHash('sha256').update(canonicalize(document)!).digest('hex') };
}
