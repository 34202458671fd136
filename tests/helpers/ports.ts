/**
 * A port for a test server: `CDW_TEST_PORT_BASE` (default 16000) plus the test's own offset
 * (0–99), so sessions that share a machine each run the server tests in their own range.
 */
export function testPort(offset: number): number {
  const base = Number(process.env.CDW_TEST_PORT_BASE ?? 16000);
  return base + offset;
}
