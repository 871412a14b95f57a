/**
 * `npm run juece -- <command>`: manage organisations and user accounts, and repair the read model.
 *
 *   user add <login> --name 姓名 --role <role>[,<role>] --org <org-id> [--email a@b] [--lawyer-type legal-adviser|government-lawyer] [--field … --affiliation …]
 *   user list
 *   user disable <login>      (ends the user's sessions)
 *   user enable <login>
 *   user passwd <login>
 *   org add <id> --kind <kind> --name 名称 [--agency <agency-id>] [--head <login>] [--members a,b] [--jurisdiction a,b]
 *   org list
 *   store recount             (sets the list's counts and every unread count again from the documents)
 *   reconcile [--dry-run]     (compares every decision's workflow with the read model; repairs what differs)
 *   audit verify [--decision <id>] [--anchor <seq>:<hash>]
 *                             (recomputes the hash chains, SM3 and SHA-256; names the first broken link)
 *   verify-decision <bundle.json>
 *                             (checks a decision's proof bundle offline: replay, statute, chain; no store needed)
 *
 * Passwords are read from standard input (typed twice, unechoed, on a terminal; the first line
 * when piped), never from the command line, where they would land in shell history and `ps`.
 * The store is MONGODB_URI, else the embedded FerretDB — the running one if `npm start` is up,
 * or one started just for this command.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ZodError } from 'zod';
import { Client, Connection } from '@temporalio/client';
import { connectStore, ORG_KINDS } from '../activities/models';
import { USER_ROLES } from '../activities/people';
import { recountAll } from '../activities/read-model-upgrade';
import { ALGORITHM_LABELS } from '../activities/audit-hash';
import { verifyDecisionChain, verifySystemChain, type VerifyResult } from '../activities/audit-verify';
import { formatOutcome, verifyBundle } from './proof/verify';
import { ConfigError, loadConfig } from '../server/config';
import { PASSWORD_RULE } from '../server/auth';
import { addUser, DirectoryError, listUsers, saveOrganisation, setDisabled, setPassword } from '../server/directory';
import { checkStrength } from '../server/password-strength';
import { provisionFor } from '../server/provision';
import { startConfiguredStore } from '../server/embedded-store';
import { portInUse, type ManagedServer } from '../server/services';
import { reconcile } from '../server/reconcile';
import { redact } from '../server/stack';

const USAGE = `Usage: npm run juece -- <command>
  user add <login> --name <姓名> --role <${USER_ROLES.join('|')}>[,…] --org <org-id> [--email <address>]
           [--lawyer-type legal-adviser|government-lawyer] [--field <专业领域> --affiliation <工作单位>]
  user list | user disable <login> | user enable <login> | user passwd <login>
  org add <id> --kind <${ORG_KINDS.join('|')}> --name <名称> [--agency <agency-id>] [--head <login>]
           [--members <login,…>] [--jurisdiction <agency-id,…>]
  org list
  store recount
  reconcile [--dry-run]
  audit verify [--decision <id>] [--anchor <position>:<hash>]
  verify-decision <bundle.json>
The password is read from standard input.`;

class UsageError extends Error {}

/** Flags that take no value. */
const BOOLEAN_FLAGS = ['dry-run'];

function parseArgs(argv: string[]) {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (BOOLEAN_FLAGS.includes(a.slice(2))) flags[a.slice(2)] = 'yes';
    else if (a.startsWith('--')) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${a} needs a value.`);
      flags[a.slice(2)] = value;
      i++;
    } else positional.push(a);
  }
  return { positional, flags };
}

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/** Read a password: twice without echo on a terminal, else the first line of stdin. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line.replace(/\r$/, '');
    }
    throw new UsageError('No password on standard input.');
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(prompt);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            process.stdout.write('\n');
            resolve(value);
            return;
          }
          if (ch === '\u0003') process.exit(130);
          if (ch === '\u007f') value = value.slice(0, -1);
          else value += ch;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('Password 密码: ');
  const again = await ask('Again 再次输入: ');
  if (first !== again) throw new UsageError('The two passwords differ.');
  return first;
}

/** The store to manage: MONGODB_URI, the running embedded FerretDB, or one started for this command. */
async function openStore() {
  const config = loadConfig();
  let uri = config.MONGODB_URI;
  let started: ManagedServer[] = [];
  if (!uri) {
    if (await portInUse(config.JUECE_FERRETDB_PORT)) uri = `mongodb://127.0.0.1:${config.JUECE_FERRETDB_PORT}/`;
    else {
      const bins = await provisionFor({ ...config, TEMPORAL_ADDRESS: 'not-needed' }, (l) => console.error(l));
      const store = await startConfiguredStore(config, bins, { logDir: path.join(config.JUECE_DATA_DIR, 'logs', 'cli'), log: (l) => console.error(l) });
      started = store.servers;
      uri = store.uri;
    }
  }
  const { conn, models } = await connectStore(uri, config.MONGODB_DB).catch(async (err) => {
    for (const s of [...started].reverse()) await s.stop();
    const hint = config.MONGODB_URI ? 'Check MONGODB_URI.' : `Is something other than FerretDB listening on port ${config.JUECE_FERRETDB_PORT} (JUECE_FERRETDB_PORT)?`;
    throw new ConfigError(`Cannot reach the document store at ${redact(uri!)}: ${(err as Error).message}. ${hint}`);
  });
  return {
    models,
    close: async () => {
      await conn.close();
      for (const s of [...started].reverse()) await s.stop();
    },
  };
}

/** Temporal: TEMPORAL_ADDRESS, else the embedded dev server of a running `npm start`. */
async function openTemporal() {
  const config = loadConfig();
  const address = config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.JUECE_TEMPORAL_PORT}`;
  if (!config.TEMPORAL_ADDRESS && !(await portInUse(config.JUECE_TEMPORAL_PORT)))
    throw new ConfigError(`Temporal is not running on ${address}: start Juece (npm start) or set TEMPORAL_ADDRESS. Reconcile reads each workflow from it.`);
  const connection = await Connection.connect({ address, connectTimeout: '5s' }).catch((err: Error) => {
    throw new ConfigError(`Cannot reach Temporal at ${address}: ${err.message}`);
  });
  return { client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), close: () => connection.close() };
}

async function run(argv: string[]): Promise<void> {
  const { positional, flags } = parseArgs(argv);
  const [noun, verb, target] = positional;
  if (!noun || noun === 'help' || flags.help !== undefined) {
    console.log(USAGE);
    return;
  }
  const need = (v: string | undefined, what: string) => {
    if (!v) throw new UsageError(`Missing ${what}.`);
    return v;
  };
  if (noun === 'verify-decision') return verifyDecisionFile(need(verb, 'the bundle file'));
  const known = `${noun} ${verb ?? ''}`.trim();
  const commands = ['user add', 'user list', 'user disable', 'user enable', 'user passwd', 'org add', 'org list', 'store recount', 'audit verify', 'reconcile'];
  if (!commands.includes(known)) throw new UsageError(`Unknown command "${known}".`);
  // Ask for the password before opening the store, so a typo costs no server start.
  const password = known === 'user add' || known === 'user passwd' ? (need(target, 'the login name'), await readPassword()) : undefined;
  // Strength, not only length (the directory checks the length and says so); before the store opens too.
  if (password !== undefined && password.length >= PASSWORD_RULE.min) {
    const weak = checkStrength(password, [target!, flags.name ?? '']);
    if (weak) throw new DirectoryError(`password: ${weak.en}`);
  }

  const store = await openStore();
  try {
    const { models } = store;
    switch (known) {
      case 'user add':
        await addUser(models, {
          username: need(target, 'the login name'),
          name: need(flags.name, '--name'),
          roles: (list(flags.role) ?? []) as never,
          orgId: need(flags.org, '--org'),
          email: flags.email,
          password: password!,
          lawyerType: flags['lawyer-type'] as never,
          expert: flags.field || flags.affiliation ? { field: flags.field ?? '', affiliation: flags.affiliation ?? '' } : undefined,
        });
        console.log(`Added ${target}.`);
        break;
      case 'user list': {
        const users = await listUsers(models);
        if (!users.length) console.log('No users yet. Add one with: npm run juece -- user add …');
        for (const u of users) console.log(`${u.username.padEnd(16)} ${u.disabled ? 'DISABLED' : 'active  '} ${u.roles.join(',').padEnd(22)} ${u.name}（${u.org}）${u.email ? ` <${u.email}>` : ''}`);
        break;
      }
      case 'user disable':
      case 'user enable':
        await setDisabled(models, need(target, 'the login name'), verb === 'disable');
        console.log(`${verb === 'disable' ? 'Disabled' : 'Enabled'} ${target}${verb === 'disable' ? ' and ended their sessions' : ''}.`);
        break;
      case 'user passwd':
        await setPassword(models, target!, password!);
        console.log(`Changed the password of ${target} and ended their sessions.`);
        break;
      case 'org add':
        await saveOrganisation(models, {
          id: need(target, 'the organisation id'),
          kind: need(flags.kind, '--kind') as never,
          name: need(flags.name, '--name'),
          agencyId: flags.agency,
          head: flags.head,
          meetingMembers: list(flags.members),
          jurisdiction: list(flags.jurisdiction),
        });
        console.log(`Saved organisation ${target}.`);
        break;
      case 'store recount': {
        const { decisions, inboxes } = await recountAll(models);
        console.log(`Counted ${decisions} decisions and ${inboxes} inboxes again.`);
        break;
      }
      case 'audit verify': {
        const r = flags.decision ? await verifyDecisionChain(models, flags.decision) : await verifySystemChain(models, { anchor: flags.anchor, progress: progressEvery(10_000) });
        console.log(formatChainReport(r));
        if (!r.ok) process.exitCode = 1;
        break;
      }
      case 'reconcile': {
        const dryRun = flags['dry-run'] === 'yes';
        const { client, close } = await openTemporal();
        try {
          const r = await reconcile(client, models, { dryRun, taskQueue: loadConfig().TEMPORAL_TASK_QUEUE, log: (l) => console.log(l) });
          const unreadable = r.unreadable.map((u) => `\n  ${u.workflowId}: ${u.error.split('\n')[0]}`).join('');
          console.log(
            `Compared ${r.decisions} decision(s) with the read model: ${r.repaired.length} ${dryRun ? 'differ' : 'repaired'}` +
              `${r.unreadable.length ? `, ${r.unreadable.length} could not be read:${unreadable}` : '.'}`,
          );
          if (r.unreadable.length) process.exitCode = 1;
        } finally {
          await close();
        }
        break;
      }
      case 'org list': {
        const orgs = await models.Organisation.find({}).sort({ kind: 1, _id: 1 }).lean();
        for (const o of orgs) console.log(`${o._id.padEnd(16)} ${o.kind.padEnd(22)} ${o.name}${o.agencyId ? ` → ${o.agencyId}` : ''}${o.jurisdiction.length ? ` oversees ${o.jurisdiction.join(',')}` : ''}`);
        break;
      }
    }
  } finally {
    await store.close();
  }
}

/** Progress on standard error every `n` links. */
function progressEvery(n: number) {
  let next = n;
  return (links: number) => {
    if (links >= next) {
      process.stderr.write(`  ${links} links checked…\n`);
      next += n;
    }
  };
}

/** A chain's verdict, Chinese first: verified with the head, or the first broken link and what follows it. */
function formatChainReport(r: VerifyResult): string {
  const algs = r.algorithms.map((a) => ALGORITHM_LABELS[a]).join('、');
  const lines = [
    r.ok ? `✓ 审计记录完整性：已验证（${algs}）— the ${r.chain} chain is intact.` : `✗ 审计记录完整性：链条断裂 — the ${r.chain} chain is BROKEN.`,
    `  ${r.links} links, ${r.events} events, ${r.pending} pending (not yet sealed); ${r.ms} ms`,
  ];
  if (r.head) lines.push(`  head #${r.head.seq}  SM3 ${r.head.hash.sm3}`, `               SHA-256 ${r.head.hash.sha256}`, `  (write the head down: \`audit verify --anchor ${r.head.seq}:<hash>\` later shows the chain still passes through it)`);
  if (r.anchor) lines.push(`  anchor #${r.anchor.seq} ${r.anchor.ok ? 'holds' : 'DOES NOT HOLD: the chain was rewritten up to it'}`);
  if (r.firstBroken) {
    const p = r.firstBroken;
    lines.push(`  first broken link: ${p.seq ? `#${p.seq}` : '(none)'}${p.ref ? ` ${p.ref}` : ''}${p.field ? ` [${p.field}]` : ''}`, `    ${p.zh}`, `    ${p.en}`);
    for (const q of r.problems.slice(1, 10)) lines.push(`  also: ${q.en}`);
    if (r.problems.length > 10) lines.push(`  … ${r.problems.length - 10} more`);
  }
  return lines.join('\n');
}

/** `verify-decision <bundle>`: offline, no store, no Temporal server. */
async function verifyDecisionFile(file: string): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`Cannot read the proof bundle ${file}: ${(err as Error).message}`);
  }
  const out = await verifyBundle(raw);
  console.log(formatOutcome(out));
  if (!out.ok) process.exitCode = 1;
}

run(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    if (err instanceof ZodError) {
      console.error(err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'));
      process.exit(2);
    }
    if (err instanceof UsageError || err instanceof DirectoryError || err instanceof ConfigError) {
      console.error(err.message);
      if (err instanceof UsageError) console.error(`\n${USAGE}`);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  },
);
