import { missingLetters } from './letters';

describe('missingLetters', () => {
  const letter = { reference: '英扶責〔2026〕8號', date: '2026-04-01' };

  it('asks for every level of an empty or malformed record', () => {
    for (const recorded of [{}, [], null, 'x', { countyToTownship: [] }]) {
      expect(missingLetters(recorded)).toEqual(['countyToTownship', 'townshipToVillage', 'villageToContractor']);
    }
  });

  it('names the level left out, and none when all three levels signed', () => {
    expect(missingLetters({ countyToTownship: letter, townshipToVillage: letter })).toEqual(['villageToContractor']);
    expect(missingLetters({ countyToTownship: letter, townshipToVillage: { reference: '', date: '2026-04-01' }, villageToContractor: letter })).toEqual(['townshipToVillage']);
    expect(missingLetters({ countyToTownship: letter, townshipToVillage: letter, villageToContractor: letter })).toEqual([]);
  });
});
