// Walks every route of api/openapi.yaml against a real `onecard serve` on loopback and validates
// each real response (successes and errors) against the spec: the status must be one the
// operation documents, and a JSON body must validate against the documented schema (Ajv, JSON
// Schema 2020-12, which OpenAPI 3.1 uses). It fails when a response drifts from the spec, and when
// an operation has a documented status that no request produced (except 500 and 503, which a walk
// cannot cause on purpose; they share the Error schema checked everywhere else).
//
//   node check-responses.mjs path/to/onecard path/to/openapi.yaml
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';

const [onecard, specPath] = process.argv.slice(2);
if (!onecard || !specPath) {
  console.error('usage: node check-responses.mjs ONECARD_BINARY OPENAPI_YAML');
  process.exit(2);
}
const spec = YAML.parse(readFileSync(specPath, 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(spec, 'openapi');

// The secrets of the walk's keys; the keys file holds their SHA-256 only.
const SECRETS = { admin: 'walk-admin', app: 'walk-app', partner: 'walk-partner', member: 'walk-m1', flood: 'walk-flood' };
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
// Limits small enough that every limit's status can be caused with small requests.
const LIMITS = { body_bytes_max: 65536, header_bytes_max: 4096, events_per_batch_max: 60,
                 rate_per_key_per_second: 1, rate_burst_per_key: 400 };

const dir = mkdtempSync(join(tmpdir(), 'onecard-openapi-'));
writeFileSync(join(dir, 'keys.toml'), [
  ['ops', 'admin', SECRETS.admin], ['shop', 'app', SECRETS.app], ['brand', 'partner', SECRETS.partner],
  ['m1-token', 'member', SECRETS.member, 'm1'], ['flood', 'admin', SECRETS.flood],
].map(([id, role, secret, member]) =>
  `[[keys]]\nid = "${id}"\nrole = "${role}"\n${member ? `member = "${member}"\n` : ''}sha256 = "${sha256(secret)}"\n`).join('\n'));
writeFileSync(join(dir, 'server.toml'),
  '[server]\n' + Object.entries(LIMITS).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');

function startServer() {
  const child = spawn(onecard, ['serve', '--db', join(dir, 'walk.db'), '--keys', join(dir, 'keys.toml'),
    '--server-config', join(dir, 'server.toml'), '--listen', '127.0.0.1:0', '--no-access-log',
    '--now', '2026-01-01T08:00:00+08:00'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the server did not start in 30 s')), 30000);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (match) { clearTimeout(timer); resolve({ child, base: `http://127.0.0.1:${match[1]}` }); }
    });
  });
}

// The operation of the spec that `path` (no query) and `method` hit, with its path template.
function findOperation(method, path) {
  for (const [template, item] of Object.entries(spec.paths)) {
    const pattern = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    if (pattern.test(path) && item[method.toLowerCase()]) return { template, operation: item[method.toLowerCase()] };
  }
  return null;
}

const pointer = (...parts) => 'openapi#/' + parts.map((p) => encodeURIComponent(String(p).replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
const validators = new Map();
function validatorFor(ref) {
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: ref }));
  return validators.get(ref);
}

let passed = 0;
let failed = 0;
const exercised = new Map();  // "METHOD template" -> Set of statuses seen
function fail(name, message) { failed++; console.log(`FAIL ${name}: ${message}`); }

async function send(base, c) {
  const headers = { ...(c.headers ?? {}) };
  const as = c.as ?? 'admin';
  if (as !== 'none') headers.authorization = `Bearer ${SECRETS[as]}`;
  const response = await fetch(base + c.path, { method: c.method, headers, body: c.body });
  return { response, text: await response.text() };
}

// Sends one request and checks its answer against `expect` and the spec.
async function check(base, c) {
  const { response, text } = await send(base, c);
  return verify(c, response, text);
}

function verify(c, response, text) {
  const name = c.name ?? `${c.method} ${c.path} as ${c.as ?? 'admin'}`;
  if (c.expect !== undefined && response.status !== c.expect) {
    return fail(name, `status ${response.status}, expected ${c.expect}: ${text.slice(0, 300)}`);
  }
  const path = c.path.split('?')[0];
  const found = findOperation(c.method, path);
  let schemaRef;
  let mediaType = 'application/json';
  if (!found) {
    // No operation (an unknown route or method): the body is an Error all the same.
    schemaRef = pointer('components', 'schemas', 'Error');
  } else {
    const key = `${c.method} ${found.template}`;
    if (!exercised.has(key)) exercised.set(key, new Set());
    exercised.get(key).add(String(response.status));
    let documented = found.operation.responses[String(response.status)];
    if (!documented) return fail(name, `status ${response.status} is not documented for ${key}`);
    let responseParts = ['paths', found.template, c.method.toLowerCase(), 'responses', String(response.status)];
    if (documented.$ref) {
      responseParts = documented.$ref.replace(/^#\//, '').split('/');
      documented = responseParts.reduce((node, part) => node[part], spec);
    }
    mediaType = Object.keys(documented.content ?? {})[0];
    schemaRef = pointer(...responseParts, 'content', mediaType, 'schema');
    for (const header of Object.keys(documented.headers ?? {})) {
      if (header === 'Retry-After' && !response.headers.get('retry-after')) return fail(name, 'no Retry-After header');
    }
  }
  if (mediaType === 'application/json') {
    if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) return fail(name, 'not JSON');
    let body;
    try { body = JSON.parse(text); } catch { return fail(name, `body is not JSON: ${text.slice(0, 200)}`); }
    const validate = validatorFor(schemaRef);
    if (!validate(body)) return fail(name, `body does not match the spec: ${ajv.errorsText(validate.errors)}\n  body: ${text.slice(0, 400)}`);
  } else if (!(response.headers.get('content-type') ?? '').startsWith(mediaType)) {
    return fail(name, `content type ${response.headers.get('content-type')}, expected ${mediaType}`);
  }
  if (c.replayed && response.headers.get('idempotent-replayed') !== 'true') return fail(name, 'not marked as a replay');
  passed++;
  return text;
}

const purchase = (id, member, at = '2025-03-01T10:00:00+08:00', amount = '129.90', shop = 's1', category = 'shoes') =>
  JSON.stringify({ id, type: 'purchase', member, at, order: `o-${id}`, amount, site: 'tmall', shop, category, goods: 'physical' });
// 48 purchases of 2,100.00 in 2024-04 … 2025-03 (4 a month, 2 shops, 2 categories): score 2,670
// and net spend 100,800.00 in the 2025-04 publication, so eligible for the invitation tier (the
// same member as in tests/http/http_idempotency_test.cc, where the arithmetic is written out).
function vipEvents() {
  const lines = [];
  for (let m = 0; m < 12; m++) {
    const year = m < 9 ? 2024 : 2025;
    const month = String(m < 9 ? m + 4 : m - 8).padStart(2, '0');
    for (let day = 1; day <= 4; day++) {
      const k = `s${day % 2 + 1}`;
      lines.push(purchase(`vip-${m}-${day}`, 'vip', `${year}-${month}-0${day}T10:00:00+08:00`, '2100.00', k, `c${day % 2 + 1}`));
    }
  }
  return lines;
}

async function main() {
  const { child, base } = await startServer();
  try {
    const post = (path, body, expect, extra = {}) => check(base, { method: 'POST', path, body, expect, ...extra });
    const get = (path, expect, extra = {}) => check(base, { method: 'GET', path, expect, ...extra });

    await get('/healthz', 200, { as: 'none' });
    await get('/metrics', 200);
    // Ingest: per-line results with good and bad lines, both body forms, idempotency.
    const jsonl = [purchase('e1', 'm1'), purchase('e2', 'm2'), '{"id":"x","type":"bogus"}', purchase('e3', 'm3')].join('\n');
    await post('/v1/events', jsonl, 200, { headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'walk-1' } });
    await post('/v1/events', jsonl, 200, { headers: { 'idempotency-key': 'walk-1' }, replayed: true, name: 'events replay' });
    await post('/v1/events', purchase('e9', 'm9'), 422, { headers: { 'idempotency-key': 'walk-1' }, name: 'events key reused' });
    await post('/v1/events', `[${vipEvents().slice(0, 24).join(',')}]`, 200, { as: 'app', headers: { 'content-type': 'application/json' } });
    await post('/v1/events', vipEvents().slice(24).join('\n'), 200);
    await post('/v1/events', '[{"id":', 400);
    await post('/v1/events', '', 400);
    await post('/v1/events', purchase('e1', 'm1'), 400, { headers: { 'idempotency-key': 'with space' }, name: 'bad key' });
    await post('/v1/events', Array.from({ length: 61 }, (_, i) => purchase(`big${i}`, 'm1')).join('\n'), 413, { name: 'too many events' });
    // Members before any publication.
    await get('/v1/members/m1', 200);
    await get('/v1/members/m1', 200, { as: 'member', name: 'member reads itself' });
    await get('/v1/members/m1/publications', 200, { as: 'app' });
    await get('/v1/members/nobody', 404);
    await get('/v1/members/%zz', 400);
    await get('/v1/members/nobody/publications', 404);
    // Publications.
    await post('/v1/publications', '{}', 400);
    await post('/v1/publications', '{"month":"2025-13"}', 422);
    await post('/v1/publications', '{"month":"2026-02"}', 409);
    await post('/v1/publications', '{"month":"2025-04"}', 201, { headers: { 'idempotency-key': 'pub-1' } });
    await post('/v1/publications', '{"month":"2025-04"}', 201, { headers: { 'idempotency-key': 'pub-1' }, replayed: true, name: 'publication replay' });
    await post('/v1/publications', '{"month":"2025-04"}', 409);
    await get('/v1/publications', 200);
    await get('/v1/members/m1', 200, { name: 'member after publication' });
    await get('/v1/members/vip/publications', 200);
    await get('/v1/publications/2025-04/scores?limit=2', 200);
    await get('/v1/publications/2025-04/scores?after=m2', 200);
    await get('/v1/publications/2025-04/scores?limit=0', 400);
    await get('/v1/publications/2025-05/scores', 404);
    await get('/v1/publications/2025-5/scores', 422);
    await get('/v1/publications/2025-04/tiers', 200);
    await get('/v1/publications/2025-06/tiers', 404);
    await get('/v1/publications/25-04/tiers', 422);
    // Invitations.
    await post('/v1/members/nobody/invitation', '', 404);
    await post('/v1/members/m1/invitation', '', 422);
    await post('/v1/members/vip/invitation', '{"note":"x"}', 400);
    await post('/v1/members/vip/invitation', '', 201, { headers: { 'idempotency-key': 'inv-1' } });
    await post('/v1/members/vip/invitation', '', 201, { headers: { 'idempotency-key': 'inv-1' }, replayed: true, name: 'invitation replay' });
    await post('/v1/members/vip/invitation', '', 409);
    await post('/v1/members/m1/invitation/accept', '', 422);
    await post('/v1/members/vip/invitation/accept', '[', 400);
    await post('/v1/members/vip/invitation/accept', '{}', 200, { headers: { 'idempotency-key': 'acc-1' } });
    await post('/v1/members/vip/invitation/accept', '', 200, { name: 'accept again' });
    await get('/v1/members/vip', 200, { name: 'member with invitation' });
    // The paid plan: the Idempotency-Key is the plan's own key (required), scoped to the API key.
    const key = (k) => ({ 'idempotency-key': k });
    await get('/v1/members/m1/plan', 200, { as: 'member', name: 'member reads its plan' });
    await get('/v1/members/a%20b/plan', 422);
    await post('/v1/members/m1/plan/purchase', '{}', 400, { name: 'purchase without a key' });
    await post('/v1/members/m1/plan/purchase', '{"auto_renew":true}', 201, { as: 'app', headers: key('buy-1') });
    await post('/v1/members/m1/plan/purchase', '{"auto_renew":true}', 201, { as: 'app', headers: key('buy-1'), replayed: true, name: 'purchase replay' });
    await post('/v1/members/m1/plan/purchase', '{}', 422, { as: 'app', headers: key('buy-1'), name: 'purchase key reused' });
    await post('/v1/members/m1/plan/purchase', '{}', 409, { headers: key('buy-2'), name: 'purchase while paid' });
    await get('/v1/members/m1/plan', 200, { name: 'plan after purchase' });
    await post('/v1/members/m2/plan/renew', '', 409, { headers: key('ren-0'), name: 'renew without a plan' });
    await post('/v1/members/m1/plan/renew', '{"x":1}', 400, { headers: key('ren-1') });
    await post('/v1/members/m1/plan/renew', '', 201, { headers: key('ren-1') });
    await post('/v1/members/m1/plan/renew', '{}', 422, { headers: key('ren-1'), name: 'renew key reused' });
    await post('/v1/members/m3/plan/refund', '', 409, { headers: key('ref-0'), name: 'refund without a plan' });
    await post('/v1/members/m1/plan/refund', '[', 400, { headers: key('ref-1') });
    await post('/v1/members/m1/plan/refund', '', 201, { headers: key('ref-1') });
    await post('/v1/members/m1/plan/refund', '{}', 422, { headers: key('ref-1'), name: 'refund key reused' });
    await get('/v1/economics/2026-01', 200);
    await get('/v1/economics/2026-13', 422);
    await get('/v1/members/m1', 200, { as: 'member', name: 'member profile with its plan' });
    // Benefits and checkout: the CLI's request JSON.
    await get('/v1/benefits', 200, { as: 'partner' });
    await get('/v1/members/m1/benefits', 200, { as: 'member' });
    await get('/v1/members/a%20b/benefits', 422);
    const cart = (order, price = '100.00') => JSON.stringify({ member: 'm1', order,
      lines: [{ price, quantity: 1, flags: ['tmall_95'], shop: 'tmall' }], choices: [{ benefit: 'tmall_95' }] });
    const unknownBenefit = JSON.stringify({ member: 'm1', order: 'w9', lines: [{ price: '1.00', quantity: 1 }], choices: [{ benefit: 'nope' }] });
    await post('/v1/checkout/quote', cart('w1'), 200, { as: 'app' });
    await post('/v1/checkout/quote', '{"member":"m1","order":"w1"}', 400);
    await post('/v1/checkout/quote', cart('w1', 'x'), 422, { name: 'quote with a bad price' });
    await post('/v1/checkout/quote', unknownBenefit, 422, { name: 'quote with an unknown benefit' });
    await post('/v1/checkout/commit', cart('w1'), 400, { name: 'commit without a key' });
    await post('/v1/checkout/commit', cart('w1'), 201, { as: 'app', headers: key('co-1') });
    await post('/v1/checkout/commit', cart('w1'), 201, { as: 'app', headers: key('co-1'), replayed: true, name: 'commit replay' });
    await post('/v1/checkout/commit', cart('w1', '99.00'), 422, { as: 'app', headers: key('co-1'), name: 'commit key reused' });
    await post('/v1/checkout/commit', cart('w1'), 409, { as: 'app', headers: key('co-2'), name: 'order committed before' });
    await post('/v1/checkout/commit', unknownBenefit, 422, { headers: key('co-3'), name: 'commit with an unknown benefit' });
    await post('/v1/checkout/reverse', '{"member":"m1"}', 400);
    await post('/v1/checkout/reverse', '{"member":"m1","order":"nope"}', 422, { name: 'reverse an unknown order' });
    await post('/v1/checkout/reverse', '{"member":"m1","order":"w1"}', 200, { headers: key('rv-1') });
    await post('/v1/checkout/reverse', '{"member":"m1","order":"w1"}', 200, { headers: key('rv-1'), replayed: true, name: 'reverse replay' });
    await post('/v1/checkout/reverse', '{"member":"m1","order":"w2"}', 422, { headers: key('rv-1'), name: 'reverse key reused' });

    // Drops: a first-come drop whose one slot opens at the walk's now, one to release from, an
    // open lottery and a lottery whose window closed yesterday.
    const drop = (id, extra = {}) => JSON.stringify({ id, product: 'Sneaker', date: '2026-01-01', time: '08:00', units: 1, ...extra });
    await get('/v1/drops', 200, { as: 'member' });
    await post('/v1/drops', drop('walk-fc'), 201, { headers: key('dr-1') });
    await post('/v1/drops', drop('walk-fc'), 201, { headers: key('dr-1'), replayed: true, name: 'open drop replay' });
    await post('/v1/drops', drop('walk-fc2'), 422, { headers: key('dr-1'), name: 'open drop key reused' });
    await post('/v1/drops', drop('walk-fc', { units: 2 }), 409, { name: 'other rules under the id' });
    await post('/v1/drops', '{"id":"walk-x","time":"08:00","units":1}', 400);
    await post('/v1/drops', drop('walk-fc2', { units: 5 }), 201);
    await post('/v1/drops', drop('walk-lot', { mode: 'lottery', units: 3, limit: 2 }), 201);
    await post('/v1/drops', drop('walk-past', { mode: 'lottery', date: '2025-12-31' }), 201);
    await post('/v1/drops/walk-fc/claims', '{"member":"m1"}', 201, { as: 'app', headers: key('cl-1') });
    await post('/v1/drops/walk-fc/claims', '{"member":"m1"}', 201, { as: 'app', headers: key('cl-1'), replayed: true, name: 'claim replay' });
    await post('/v1/drops/walk-fc/claims', '{"member":"m2"}', 422, { as: 'app', headers: key('cl-1'), name: 'claim key reused' });
    await post('/v1/drops/walk-fc/claims', '{"member":"m2"}', 409, { name: 'sold out' });
    await post('/v1/drops/walk-fc/claims', '{"quantity":1}', 400);
    await post('/v1/drops/nope/claims', '{"member":"m1"}', 404);
    await post('/v1/drops/walk-fc/confirm', '{"member":"m1"}', 200, { as: 'app', headers: key('cf-1') });
    await post('/v1/drops/walk-fc/confirm', '{"member":"m1"}', 200, { as: 'app', headers: key('cf-1'), replayed: true, name: 'confirm replay' });
    await post('/v1/drops/walk-fc/confirm', '{"member":"m2"}', 422, { as: 'app', headers: key('cf-1'), name: 'confirm key reused' });
    await post('/v1/drops/walk-fc/confirm', '{"member":"m1","x":1}', 400);
    await post('/v1/drops/nope/confirm', '{"member":"m1"}', 404);
    await post('/v1/drops/walk-fc2/claims', '{"member":"m1"}', 201);
    await post('/v1/drops/walk-fc2/release', '{"member":"m1"}', 200, { headers: key('rl-1') });
    await post('/v1/drops/walk-fc2/release', '{"member":"m1"}', 200, { headers: key('rl-1'), replayed: true, name: 'release replay' });
    await post('/v1/drops/walk-fc2/release', '{"member":"m2"}', 422, { headers: key('rl-1'), name: 'release key reused' });
    await post('/v1/drops/walk-fc/release', '{"member":"m1"}', 409, { name: 'release a confirmed claim' });
    await post('/v1/drops/walk-fc2/confirm', '{"member":"m1"}', 409, { name: 'confirm a released claim' });
    await post('/v1/drops/walk-fc2/release', '[', 400);
    await post('/v1/drops/nope/release', '{"member":"m1"}', 404);
    await post('/v1/drops/walk-lot/registrations', '{"member":"m1","quantity":2}', 201, { as: 'app', headers: key('rg-1') });
    await post('/v1/drops/walk-lot/registrations', '{"member":"m1","quantity":2}', 201, { as: 'app', headers: key('rg-1'), replayed: true, name: 'registration replay' });
    await post('/v1/drops/walk-lot/registrations', '{"member":"m2"}', 422, { as: 'app', headers: key('rg-1'), name: 'registration key reused' });
    await post('/v1/drops/walk-lot/registrations', '{"member":"m1","quantity":1}', 409, { name: 'registration with another quantity' });
    await post('/v1/drops/walk-lot/registrations', '{"member":1}', 400);
    await post('/v1/drops/nope/registrations', '{"member":"m1"}', 404);
    await post('/v1/drops/walk-past/draw', '{"seed":"s33d"}', 201, { headers: key('dw-1') });
    await post('/v1/drops/walk-past/draw', '{"seed":"s33d"}', 201, { headers: key('dw-1'), replayed: true, name: 'draw replay' });
    await post('/v1/drops/walk-past/draw', '{"seed":"other"}', 422, { headers: key('dw-1'), name: 'draw key reused' });
    await post('/v1/drops/walk-past/draw', '{"seed":"other"}', 409, { name: 'drawn with another seed' });
    await post('/v1/drops/walk-past/draw', '{}', 400);
    await post('/v1/drops/nope/draw', '{"seed":"s"}', 404);
    await get('/v1/drops/walk-fc/status', 200, { as: 'app' });
    await get('/v1/drops/walk-fc/status?x=1', 400);
    await get('/v1/drops/nope/status', 404);
    await get('/v1/drops/walk-fc/status?slot=bad', 422);
    await get('/v1/drops/walk-fc/results', 200);
    await get('/v1/drops/walk-fc/results?x=1', 400);
    await get('/v1/drops/nope/results', 404);
    await get('/v1/drops/walk-fc/results?slot=bad', 422);
    await get('/v1/drops/walk-past/verify', 200, { as: 'app' });
    await get('/v1/drops/walk-past/verify?x=1', 400);
    await get('/v1/drops/walk-lot/verify', 404, { name: 'verify a slot not drawn' });
    await get('/v1/drops/walk-past/verify?slot=bad', 422);
    await get('/v1/members/m1/drops/walk-fc', 200, { as: 'member' });
    await get('/v1/members/m1/drops/walk-fc?x=1', 400);
    await get('/v1/members/m2/drops/walk-fc', 404, { name: 'no claim' });
    await get('/v1/members/m1/drops/walk-fc?slot=bad', 422);

    // Points: an earn whose return window closed before the walk's now, posted by the job; then
    // spending, a partner link and an exchange out.
    const earn = (order, amount = '9000.00', program = 'aurora_beauty') => JSON.stringify({ type: 'earn', program, member: 'm1', order,
      channel: 'tmall_flagship', category: 'skincare', amount, at: '2025-11-01T10:00:00+08:00' });
    await post('/v1/points/earn', earn('pw1'), 201, { as: 'app', headers: key('pe-1') });
    await post('/v1/points/earn', earn('pw1'), 201, { as: 'app', headers: key('pe-1'), replayed: true, name: 'earn replay' });
    await post('/v1/points/earn', earn('pw2'), 422, { as: 'app', headers: key('pe-1'), name: 'earn key reused' });
    await post('/v1/points/earn', earn('pw1', '10.00'), 409, { name: 'the order with other content' });
    await post('/v1/points/earn', earn('pw3', 'x'), 422);
    await post('/v1/points/earn', earn('pw3', '1.00', 'nope'), 404);
    await post('/v1/points/earn', '{"type":"earn","x":1}', 400);
    await post('/v1/points/expire', '', 200, { headers: key('jb-1') });
    await post('/v1/points/expire', '', 200, { headers: key('jb-1'), replayed: true, name: 'job replay' });
    await post('/v1/points/expire', '{}', 422, { headers: key('jb-1'), name: 'job key reused' });
    await post('/v1/points/expire', '{"x":1}', 400);
    await get('/v1/members/m1/points', 200, { as: 'member' });
    await get('/v1/members/m1/points?x=1', 400);
    await get('/v1/members/m1/points?program=nope', 404);
    await get('/v1/members/m1/points/history?limit=5', 200, { as: 'member' });
    await get('/v1/members/m1/points/history?limit=0', 400);
    await get('/v1/members/m1/points/history?program=nope', 404);
    const redeem = (points) => JSON.stringify({ id: 'red-1', member: 'm1', points });
    await post('/v1/points/redeem', redeem(100), 201, { as: 'app', headers: key('pd-1') });
    await post('/v1/points/redeem', redeem(100), 201, { as: 'app', headers: key('pd-1'), replayed: true, name: 'redeem replay' });
    await post('/v1/points/redeem', redeem(200), 422, { as: 'app', headers: key('pd-1'), name: 'redeem key reused' });
    await post('/v1/points/redeem', redeem(200), 409, { name: 'the transfer id with other content' });
    await post('/v1/points/redeem', '{"id":"red-2","member":"m1"}', 400);
    await post('/v1/points/redeem', '{"id":"red-2","member":"m1","points":1,"program":"nope"}', 404);
    const link = (account, partner = 'meridian_hotels') => JSON.stringify({ member: 'm1', partner, account, consent: true });
    await post('/v1/points/link', link('H1'), 201, { as: 'app', headers: key('lk-1') });
    await post('/v1/points/link', link('H1'), 201, { as: 'app', headers: key('lk-1'), replayed: true, name: 'link replay' });
    await post('/v1/points/link', link('H2'), 422, { as: 'app', headers: key('lk-1'), name: 'link key reused' });
    await post('/v1/points/link', link('H2'), 409, { name: 'linked to another account' });
    await post('/v1/points/link', '{"member":"m1","partner":"meridian_hotels","account":"H1"}', 400);
    await post('/v1/points/link', link('H1', 'nope'), 404);
    const exchange = (points, partner = 'meridian_hotels') => JSON.stringify({ id: 'ex-1', member: 'm1', partner, points });
    await post('/v1/points/exchange', exchange(3000), 201, { as: 'app', headers: key('xc-1') });
    await post('/v1/points/exchange', exchange(3000), 201, { as: 'app', headers: key('xc-1'), replayed: true, name: 'exchange replay' });
    await post('/v1/points/exchange', exchange(6000), 422, { as: 'app', headers: key('xc-1'), name: 'exchange key reused' });
    await post('/v1/points/exchange', exchange(6000), 409, { name: 'the exchange id with other content' });
    await post('/v1/points/exchange', '{"id":"ex-2","member":"m1","points":3000}', 400);
    await post('/v1/points/exchange', exchange(3000, 'nope'), 404);
    await get('/v1/ledger/verify', 200);

    // No route, wrong method: Error bodies.
    await get('/v1/nothing', 404);
    await check(base, { method: 'DELETE', path: '/v1/publications', expect: 405 });

    // Every operation: no key (401), a role outside it (403), headers over the limit (431), a
    // body over the limit (413, POSTs), and a key over its rate (429).
    const concrete = (template) => template.replace('{id}', 'm1').replace('{month}', '2025-04').replace('{drop}', 'walk-fc');
    const operations = Object.entries(spec.paths).flatMap(([template, item]) =>
      Object.keys(item).map((method) => ({ template, method: method.toUpperCase(), operation: item[method] })));
    for (const { template, method, operation } of operations) {
      const path = concrete(template);
      const body = method === 'POST' ? '{}' : undefined;
      if (operation.responses['401']) await check(base, { method, path, body, as: 'none', expect: 401 });
      if (operation.responses['403']) await check(base, { method, path, body, as: 'partner', expect: 403 });
      await check(base, { method, path, body, headers: { 'x-padding': 'x'.repeat(5000) }, expect: 431 });
      if (operation.responses['413']) await check(base, { method, path, body: 'x'.repeat(70000), expect: 413 });
    }
    // The flood key spends its bucket on a route that does nothing, then asks each operation at
    // once: 429. (The bucket refills by one token a second, so a try that comes just after a
    // refill passes; up to five tries are made, each after emptying the bucket again.)
    const drain = async () => {
      for (let i = 0; i <= LIMITS.rate_burst_per_key; i++) {
        const r = await send(base, { method: 'GET', path: '/v1/nothing', as: 'flood' });
        if (r.response.status === 429) return;
      }
    };
    for (const { template, method, operation } of operations) {
      if (!operation.responses['429']) continue;
      const c = { method, path: concrete(template), body: method === 'POST' ? '{}' : undefined, as: 'flood', expect: 429 };
      let answer;
      for (let attempt = 0; attempt < 5; attempt++) {
        await drain();
        answer = await send(base, c);
        if (answer.response.status === 429) break;
      }
      verify(c, answer.response, answer.text);
    }

    // Coverage: every operation answered, and every documented status caused.
    for (const { template, method, operation } of operations) {
      const seen = exercised.get(`${method} ${template}`) ?? new Set();
      for (const status of Object.keys(operation.responses)) {
        if (status === '500' || status === '503') continue;
        if (!seen.has(status)) fail(`${method} ${template}`, `documented status ${status} was never produced by the walk`);
      }
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}, (error) => {
  console.error(error);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
