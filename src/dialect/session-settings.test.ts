import { loginStatements } from './session-settings';

describe('loginStatements', () => {
  it('keeps the session in UTC, then sets each setting as a string literal', () => {
    expect(loginStatements({})).toEqual(["SET timezone = 'UTC'"]);
    expect(loginStatements({ enable_compact_after_write: '0', odd: "it's" })).toEqual(["SET timezone = 'UTC'", "SET enable_compact_after_write = '0'", "SET odd = 'it''s'"]);
  });
});
