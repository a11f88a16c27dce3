import { missingLetters } from './letters';

describe('missingLetters', () => {
  const letter = { reference: '英扶責〔2026〕8號', date: '2026-04-01' };

  it('asks for every level of an empty or malformed record', () => {
    for (const recorded of [{}, [], null, 'x', { countyToTownship: [] }]) {
      expect(missingLetters(recorded, '2026-05-01')).toEqual(['countyToTownship', 'townshipToVillage', 'villageToContractor']);
    }
  });

  it('names the level left out, and none when all three levels signed', () => {
    expect(missingLetters({ countyToTownship: letter, townshipToVillage: letter }, '2026-05-01')).toEqual(['villageToContractor']);
    expect(
      missingLetters({ countyToTownship: letter, townshipToVillage: { reference: '', date: '2026-04-01' }, villageToContractor: letter }, '2026-05-01'),
    ).toEqual(['townshipToVillage']);
    expect(missingLetters({ countyToTownship: letter, townshipToVillage: letter, villageToContractor: letter }, '2026-05-01')).toEqual([]);
  });

  it('takes a reference of nothing visible, or a letter dated after the signing, as no letter', () => {
    for (const reference of ['\u200b', ' ', '\u00ad', '\u3000', '\u2060\u200e']) {
      expect(
        missingLetters({ countyToTownship: letter, townshipToVillage: letter, villageToContractor: { reference, date: '2026-04-01' } }, '2026-05-01'),
      ).toEqual(['villageToContractor']);
    }
    expect(
      missingLetters(
        { countyToTownship: letter, townshipToVillage: letter, villageToContractor: { reference: '一村責1號', date: '2026-05-02' } },
        '2026-05-01',
      ),
    ).toEqual(['villageToContractor']);
  });
});
