import { displayNameKey } from "../domain/display-name-key.js";
import { grantTypes } from "../domain/grant-types.js";
import { demoMetadataRow, metadataColumns } from "./demo-metadata.js";
import { demoClientIds, demoPeople, type DemoPersonSession } from "./demo-people.js";

/** Column order of the flat session rows; ids are explicit so that client links can refer to them. */
export const sessionColumns = [
  "id",
  "session_key",
  "scheme",
  "subject_id",
  "session_id",
  "display_name",
  "display_name_key",
  "issuer",
  "created",
  "renewed",
  "expires",
  "ticket",
  ...metadataColumns,
] as const;

/** Column order of the flat session_clients rows. */
export const sessionClientColumns = ["session_pk", "client_id"] as const;

/** Column order of the flat persisted_grants rows (their ids are left to the database). */
export const grantColumns = [
  "grant_key",
  "grant_type",
  "subject_id",
  "session_id",
  "client_id",
  "creation_time",
  "expiration",
  "consumed_time",
  "data",
] as const;

/** Column order of the flat clients rows. */
export const clientColumns = [
  "client_id",
  "enabled",
  "backchannel_logout_uri",
  "backchannel_logout_session_required",
  "created",
  "updated",
] as const;

/** What to generate. The same options always give the same rows. */
export interface DemoDataOptions {
  /** Generated sessions, the README's people not included. */
  sessions: number;
  seed: number;
  /** Id of the first session; the others follow consecutively. */
  firstId: number;
  /** Sessions are created over the days before it; it also names the run, which keeps keys unique. */
  now: Date;
  /** Sessions per batch. */
  batchSize: number;
  /** How many of the generated sessions have expired by `now`, spread evenly over them; none by default. */
  expired?: number;
  /**
   * Subjects of the README's people (see demo-people.ts) whose sessions, with
   * their grants and clients, follow the generated ones; none by default.
   */
  people?: readonly string[];
  /**
   * Gives most generated clients a back-channel logout URI at
   * https://rp-N.example.com, for benchmarks and tests that queue
   * notifications without delivering them. Never for a demo: its server
   * would try to deliver them. Off by default.
   */
  logoutUris?: boolean;
  /**
   * The share of sessions signed in to rp-1, the most used client (0–1), for
   * benchmarks that need one client of a known size; the other clients keep
   * their popularity among themselves. By default rp-1 is simply the most
   * popular of them all.
   */
  firstClientShare?: number;
}

/** Consecutive sessions with their client links and grants, as flat rows in the column orders above. */
export interface DemoBatch {
  sessions: unknown[];
  sessionClients: unknown[];
  grants: unknown[];
}

/** A data set, generated as it is read. */
export interface DemoData {
  /** Part of every generated key, and of the generated sids and subject ids; differs for every `now`. */
  readonly runId: string;
  /** The sessions in id order, `batchSize` at a time (the people's in the last one); can be iterated once. */
  readonly batches: Generator<DemoBatch, void, undefined>;
  /** Flat rows of the clients that the sessions generated so far signed in to. */
  clientRows(): unknown[];
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
// Sessions are created over this many days, up to a few hours before `now`
// (the README's people sign in after them); with a sliding lifetime of 14
// days, none has expired by `now` unless asked for.
const sessionWindow = 13 * day;
const windowEndsBeforeNow = 4 * hour;
const slidingLifetime = 14 * day;
// Most sessions are active for a few hours after sign-in; the rest ("remember
// me") were last renewed at any time since.
const shortLivedShare = 0.7;
const shortActivity = 8 * hour;
const issuer = "https://idp.example.com";
const scheme = "idsrv";
// The service never opens tickets; a small constant keeps a million rows small.
const ticket = Buffer.from("demo-ticket:not-a-real-authentication-ticket");
// A subject's sessions all fall inside one chunk of this many consecutive
// sessions (about a day at a million sessions), shuffled within it: people
// sign in on a few devices within a short time, and new subject ids reach the
// subject indexes near their end instead of all over them.
const chunkSize = 65_536;
const sessionsPerSubjectWeights = [40, 22, 14, 9, 6, 4, 3, 2];
const clientsPerSessionWeights = [20, 20, 25, 20, 15];
// Client popularity follows Zipf's law: a few clients are in most sessions.
const clientPopularityExponent = 1.1;

/** Generates demo sessions, client links, grants and clients; pure and deterministic. */
export function createDemoData(options: DemoDataOptions): DemoData {
  const random = createRandom(options.seed);
  const runId = options.now.getTime().toString(36);
  const clients = createClientPool(Math.max(8, Math.round(Math.sqrt(options.sessions))), random, options.logoutUris === true, options.firstClientShare);
  const people = demoPeople.filter((p) => options.people?.includes(p.subjectId));
  return {
    runId,
    batches: generateBatches(options, runId, random, clients, people),
    clientRows: () => [...clients.rows(options.now), ...(people.length > 0 ? demoClientRows(options.now) : [])],
  };
}

function* generateBatches(
  options: DemoDataOptions,
  runId: string,
  random: () => number,
  clients: ClientPool,
  people: readonly DemoPersonSession[],
): Generator<DemoBatch, void, undefined> {
  const nowMs = options.now.getTime();
  const startMs = nowMs - windowEndsBeforeNow - sessionWindow;
  const expired = Math.min(options.expired ?? 0, options.sessions);
  const step = sessionWindow / options.sessions;
  const sidPrefix = `${runId.toUpperCase()}S`;
  const subjects = createSubjectChunks(runId, random);
  // Metadata draws from its own stream, so that the rest stays as it was.
  const metadataRandom = createRandom(options.seed ^ 0x6d657461);
  let grantSeq = 0;
  let batch: DemoBatch = { sessions: [], sessionClients: [], grants: [] };
  const grant = (type: string, subject: string, sid: string | null, client: string, created: number, expires: number | null, consumed: number | null, data: string) => {
    batch.grants.push(
      `${runId}-g${hex(grantSeq++)}`,
      type,
      subject,
      sid,
      client,
      new Date(created),
      expires === null ? null : new Date(expires),
      consumed === null ? null : new Date(consumed),
      data,
    );
  };

  for (let i = 0; i < options.sessions; i++) {
    const subject = subjects.next(i, options.sessions);
    const id = options.firstId + i;
    const seq = hex(i);
    const sid = `${sidPrefix}${seq.toUpperCase()}`;
    // Within one step of its own slot, so that created grows with id.
    const created = Math.floor(startMs + (i + random()) * step);
    const activity = random() < shortLivedShare ? Math.min(random() ** 2 * shortActivity, nowMs - created) : random() * (nowMs - created);
    // The expired ones, evenly spread and drawn without the random sequence
    // (so that asking for them changes nothing else), ran out half way to now.
    const isExpired = Math.floor(((i + 1) * expired) / options.sessions) > Math.floor((i * expired) / options.sessions);
    const renewed = created + Math.floor(isExpired ? Math.min(activity, (nowMs - created) / 4) : activity);
    const expires = isExpired ? created + Math.floor((nowMs - created) / 2) : renewed + slidingLifetime;
    batch.sessions.push(
      id,
      `${runId}-${seq}`,
      scheme,
      subject.id,
      sid,
      names.display[subject.name],
      names.keys[subject.name],
      issuer,
      new Date(created),
      new Date(renewed),
      new Date(expires),
      ticket,
      ...demoMetadataRow(subject.id, renewed, metadataRandom),
    );

    // Clients join within minutes of the sign-in (single sign-on) and get
    // their tokens then, so grant times, like session times, grow with id.
    let joined = created;
    const sessionClients = clients.pickForSession();
    for (const client of sessionClients) {
      batch.sessionClients.push(id, client);
      if (random() < 0.55) grant(grantTypes.refreshToken, subject.id, sid, client, joined, joined + 30 * day, null, refreshTokenData);
      if (random() < 0.12) grant(grantTypes.referenceToken, subject.id, sid, client, joined, joined + hour, null, referenceTokenData);
      // Consents belong to a subject and client, not to one session.
      if (!subject.consentAsked.has(client)) {
        subject.consentAsked.add(client);
        if (random() < 0.4) grant(grantTypes.userConsent, subject.id, null, client, joined, null, null, consentData);
      }
      joined += Math.floor(random() * 2 * minute);
    }
    if (random() < 0.05) {
      const consumed = random() < 0.7 ? created + 1_500 : null;
      grant(grantTypes.authorizationCode, subject.id, sid, sessionClients[0]!, created, created + 5 * minute, consumed, codeData);
    }

    if ((i + 1) % options.batchSize === 0) {
      yield batch;
      batch = { sessions: [], sessionClients: [], grants: [] };
    }
  }

  // The README's people, after everyone else, with tokens and consents that outlive a demo.
  const consented = new Set<string>();
  people.forEach((person, n) => {
    const id = options.firstId + options.sessions + n;
    const created = nowMs - person.createdAgoMs;
    const renewed = nowMs - person.renewedAgoMs;
    batch.sessions.push(
      id,
      `${runId}-${person.sessionId}`,
      scheme,
      person.subjectId,
      person.sessionId,
      person.displayName,
      displayNameKey(person.displayName),
      issuer,
      new Date(created),
      new Date(renewed),
      new Date(renewed + slidingLifetime),
      ticket,
      ...demoMetadataRow(person.sessionId, renewed, metadataRandom),
    );
    for (const client of person.clientIds) {
      batch.sessionClients.push(id, client);
      grant(grantTypes.refreshToken, person.subjectId, person.sessionId, client, created, nowMs + 30 * day, null, refreshTokenData);
      if (!consented.has(`${person.subjectId} ${client}`)) {
        consented.add(`${person.subjectId} ${client}`);
        grant(grantTypes.userConsent, person.subjectId, null, client, created, null, null, consentData);
      }
    }
  });
  if (batch.sessions.length > 0) yield batch;
}

// The README's clients: enabled, no back-channel logout URI.
function demoClientRows(at: Date): unknown[] {
  return demoClientIds.flatMap((clientId) => [clientId, 1, null, 1, at, at]);
}

interface Subject {
  id: string;
  /** Index into `names`. */
  name: number;
  consentAsked: Set<string>;
}

// Hands out the subject of each session. A chunk's subjects get 1–8 of its
// sessions each, in shuffled order.
function createSubjectChunks(runId: string, random: () => number) {
  const pickCount = cumulative(sessionsPerSubjectWeights);
  const slots: Subject[] = [];
  let nextSubject = 0;
  return {
    next(session: number, sessions: number): Subject {
      const position = session % chunkSize;
      if (position === 0) {
        const length = Math.min(chunkSize, sessions - session);
        slots.length = 0;
        while (slots.length < length) {
          const subject: Subject = {
            id: `${runId}-u${hex(nextSubject++)}`,
            name: Math.floor(random() * names.display.length),
            consentAsked: new Set(),
          };
          for (let n = Math.min(pick(pickCount, random()) + 1, length - slots.length); n > 0; n--) slots.push(subject);
        }
        for (let i = length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          const swap = slots[i]!;
          slots[i] = slots[j]!;
          slots[j] = swap;
        }
      }
      return slots[position]!;
    },
  };
}

type ClientPool = ReturnType<typeof createClientPool>;

// Clients rp-1 … rp-n, the first ones the most popular. A client's settings
// depend on its number only, so every run and seed agrees on them.
function createClientPool(size: number, random: () => number, logoutUris: boolean, firstClientShare?: number) {
  const ids = Array.from({ length: size }, (_, i) => `rp-${i + 1}`);
  const popularity = cumulative(ids.map((_, i) => 1 / (i + 1) ** clientPopularityExponent));
  const pickCount = cumulative(clientsPerSessionWeights);
  const used = new Uint8Array(size);
  return {
    /** 1–5 distinct clients. */
    pickForSession(): string[] {
      const picked: number[] = [];
      const count = pick(pickCount, random()) + 1;
      if (firstClientShare !== undefined && random() < firstClientShare) picked.push(0);
      while (picked.length < count) {
        const c = pick(popularity, random());
        if (!picked.includes(c) && (firstClientShare === undefined || c !== 0)) picked.push(c);
      }
      return picked.map((c) => {
        used[c] = 1;
        return ids[c]!;
      });
    },
    rows(at: Date): unknown[] {
      const rows: unknown[] = [];
      used.forEach((flag, c) => {
        const n = c + 1;
        if (flag === 0) return;
        // Mostly enabled and, when asked for, notifiable; some without a back-channel URI, a few disabled.
        const uri = !logoutUris || n % 8 === 3 ? null : `https://rp-${n}.example.com/backchannel-logout`;
        rows.push(ids[c], n % 25 === 7 ? 0 : 1, uri, n % 6 === 5 ? 0 : 1, at, at);
      });
      return rows;
    },
  };
}

// Fixed width keeps generated keys in insertion order in their unique indexes.
function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}

// Small placeholders: the service stores grant data but never reads it.
const refreshTokenData = '{"Version":4,"Lifetime":2592000,"ConsumedTime":null}';
const referenceTokenData = '{"Version":1,"Lifetime":3600,"Type":"access_token"}';
const codeData = '{"Lifetime":300,"CodeChallengeMethod":"S256","IsOpenId":true}';
const consentData = '{"Scopes":["openid","profile","api"]}';

// Shared first and last names, so that display-name prefixes match many
// sessions ("Bob S" finds "Bob Smith" and "Bob Stone"); a few need case
// folding or escaping (Zoë, Müller, O'Brien).
const firstNames = [
  "Aaron", "Ada", "Adam", "Aisha", "Alan", "Alice", "Amir", "Amy", "Ana", "Andrea", "Anna", "Ben", "Bob", "Bobby",
  "Carla", "Carlos", "Carol", "Chen", "Chloé", "Chris", "Clara", "Dan", "Daniel", "Dave", "David", "Diana", "Elena",
  "Eli", "Emma", "Eric", "Erik", "Eva", "Fatima", "Felix", "Frank", "Grace", "Hana", "Hannah", "Hugo", "Ian", "Ines",
  "Isaac", "Ivan", "Jack", "Jan", "Jane", "Jean", "Jia", "Joe", "John", "José", "Julia", "Jürgen", "Kai", "Karen",
  "Kate", "Kim", "Lars", "Laura", "Lea", "Leo", "Li", "Liam", "Lina", "Lucas", "Luis", "Maria", "Marie", "Mark",
  "Martin", "Mary", "Max", "Mei", "Mia", "Mike", "Nina", "Noah", "Olga", "Omar", "Paul", "Peter", "Priya", "Raj",
  "Rosa", "Sam", "Sara", "Sarah", "Sofia", "Søren", "Tom", "Tomás", "Vera", "Wei", "Yuki", "Zoe", "Zoë",
];
const lastNames = [
  "Adams", "Ahmed", "Allen", "Andersen", "Baker", "Becker", "Bell", "Brown", "Campbell", "Carter", "Chen", "Clark",
  "Cohen", "Cooper", "Davies", "Davis", "Díaz", "Dubois", "Edwards", "Evans", "Fischer", "Fernández", "Garcia",
  "García", "Green", "Hall", "Harris", "Hill", "Hoffmann", "Hughes", "Jackson", "Jensen", "Johnson", "Jones", "Kaur",
  "Khan", "Kim", "King", "Klein", "Kowalski", "Lee", "Lewis", "Li", "López", "Martin", "Martínez", "Meyer", "Miller",
  "Moore", "Morris", "Müller", "Murphy", "Nguyen", "Nielsen", "Novak", "O'Brien", "Patel", "Perez", "Petrov",
  "Price", "Reed", "Richter", "Roberts", "Robinson", "Rossi", "Santos", "Schmidt", "Schneider", "Scott", "Silva",
  "Singh", "Smith", "Smythe", "Stone", "Suzuki", "Tanaka", "Taylor", "Thomas", "Thompson", "Walker", "Wang",
  "Weber", "White", "Williams", "Wilson", "Wright", "Young", "Zhang",
];
// Every display name and its key, computed once rather than once per session.
const names = (() => {
  const display = firstNames.flatMap((first) => lastNames.map((last) => `${first} ${last}`));
  return { display, keys: display.map(displayNameKey) };
})();

// Cumulative weights, normalised to end at 1.
function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const result = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (result[i] = sum += w / total));
  result[weights.length - 1] = 1;
  return result;
}

// The index whose cumulative weight first exceeds u (binary search).
function pick(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// mulberry32: small, fast and good enough for demo data; Math.random cannot be seeded.
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
