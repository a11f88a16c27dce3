import { TRANSITIONS, checkTransitionTable, transitionFor } from './lifecycle';

describe('project lifecycle', () => {
  it('has a valid transition table', () => expect(() => checkTransitionTable()).not.toThrow());

  it('refuses a table with an unknown state or a twice-defined action', () => {
    expect(() => checkTransitionTable([...TRANSITIONS, { action: 'x', from: ['proposed'], to: 'nowhere' as never, roles: ['admin'], gates: [] }])).toThrow(
      /unknown state/,
    );
    expect(() => checkTransitionTable([...TRANSITIONS, TRANSITIONS[0]])).toThrow(/twice/);
  });

  it('gates entering the library on publicity', () => {
    expect(transitionFor('enter-library')).toMatchObject({ from: ['township_reviewed'], to: 'in_library', gates: ['publicity'] });
  });
});
