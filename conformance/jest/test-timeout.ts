// jest reads `testTimeout` only from the root config, not from a project's; scenarios wait on real
// services and need minutes, not the default 5 s.
jest.setTimeout(180_000);
