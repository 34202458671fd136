// Entry of a standardisation worker thread (started by party-std-pool.ts): takes batches of
// party inputs and answers their standardised parts. Being an entry, it listens on import.
import { parentPort } from 'node:worker_threads';
import { partyStdParts, type PartyStdInput } from './party-std-parts.ts';

parentPort?.on('message', (m: { id: number; rows: PartyStdInput[]; sqlDone: number[] }) => {
  try {
    parentPort?.postMessage({
      id: m.id,
      parts: m.rows.map((row, i) => partyStdParts(row, m.sqlDone[i])),
    });
  } catch {
    // The error could quote a value: say only that the batch failed.
    parentPort?.postMessage({ id: m.id, error: 'a standardiser failed in a worker thread' });
  }
});
