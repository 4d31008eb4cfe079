/** Jest: ts-jest over test/; integration suites need Docker / Temporal and say so loudly when absent. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  // Generous: a verdict must not depend on how busy the machine is (2 cores, Docker builds alongside).
  testTimeout: 600000,
  maxWorkers: 2,
};
