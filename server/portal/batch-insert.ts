/**
 * Group commit for the portal's inserts. Under load every submission writes two documents (its
 * rate-limit slot and the opinion); one transaction each would cap the portal at the store's
 * commit rate. Inserts that arrive while earlier ones are being written wait and go together in
 * one unordered insertMany, which FerretDB turns into one multi-row INSERT (and MongoDB into one
 * round trip); each caller still learns its own document's fate — a duplicate key is that
 * caller's error alone. With nothing in flight an insert is written at once: no added latency
 * when the portal is quiet.
 */
import type mongoose from 'mongoose';

type Collection = mongoose.mongo.Collection;

interface Pending {
  doc: Record<string, unknown>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A write error as the driver reports it for one document of an unordered insertMany. */
interface WriteError {
  index: number;
  code?: number;
  errmsg?: string;
}

class InsertBatcher {
  private queue: Pending[] = [];
  private inflight = 0;

  constructor(
    private readonly collection: Collection,
    private readonly o: { maxBatch: number; parallel: number },
  ) {}

  insert(doc: Record<string, unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.inflight < this.o.parallel && this.queue.length) {
      const batch = this.queue.splice(0, this.o.maxBatch);
      this.inflight += 1;
      void this.write(batch).finally(() => {
        this.inflight -= 1;
        this.pump();
      });
    }
  }

  private async write(batch: Pending[]) {
    try {
      await this.collection.insertMany(
        batch.map((p) => p.doc),
        { ordered: false },
      );
      for (const p of batch) p.resolve();
    } catch (err) {
      const errors = (err as { writeErrors?: WriteError[] | WriteError }).writeErrors;
      const list = errors === undefined ? null : Array.isArray(errors) ? errors : [errors];
      if (!list) {
        for (const p of batch) p.reject(err);
        return;
      }
      const failed = new Map(list.map((e) => [e.index, e]));
      batch.forEach((p, i) => {
        const e = failed.get(i);
        if (!e) return p.resolve();
        p.reject(Object.assign(new Error(e.errmsg ?? `insert failed (${e.code})`), { code: e.code }));
      });
    }
  }
}

const batchers = new WeakMap<Collection, InsertBatcher>();

/** Insert one document, batched with whatever else is being inserted into the same collection right now. */
export function insertBatched(collection: Collection, doc: Record<string, unknown>): Promise<void> {
  let b = batchers.get(collection);
  if (!b) {
    b = new InsertBatcher(collection, { maxBatch: 100, parallel: 2 });
    batchers.set(collection, b);
  }
  return b.insert(doc);
}
