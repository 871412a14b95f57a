// Integration and browser tests drive real servers: allow them minutes, not Jest's default 5 s.
jest.setTimeout(120_000);
