/**
 * Builds `eval/relevance-set.json`, the labelled retrieval set `npm run eval:search` scores
 * against (and the model eval gate of issue #20). Deterministic: a seeded PRNG and fixed
 * vocabularies in the sample generator's topics (crypto, sports, news, food, tech), nothing
 * downloaded, so the project may ship it.
 *
 *   node dist/scripts/build-relevance-set.js [--out eval/relevance-set.json] [--noise 1500]
 *
 * A subject is an entity with an aspect (e.g. solana × crash, Arsenal × injury). Each subject
 * gets three posts worded from the aspect's own phrases; queries about it are a sentence-length
 * question (some reuse the posts' words, some only paraphrase them: the case BM25 misses) and a
 * short one (a ticker or name plus a word: the case a mean of word vectors blurs). Grades: 2 =
 * the subject's posts, 1 = the same entity under another aspect, 0 = everything else, including
 * the generator's posts mixed in as noise. Subjects alternate between the `tune` split (fusion
 * weights are chosen on it) and the `test` split (the reported metrics).
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../libs/common/random.js';
import { JetstreamAdapter } from '../src/relay/sources/jetstream.adapter.js';
import { DEFAULT_START_TIME_US, generateSample } from './generate-sample.js';

export interface RelevanceDocument {
  id: string;
  text: string;
}
export interface RelevanceQuery {
  id: string;
  text: string;
  kind: 'sentence' | 'short';
  split: 'tune' | 'test';
  /** Document id → grade (1 partial, 2 exact); unlisted documents are grade 0. */
  relevant: Record<string, 1 | 2>;
}
export interface RelevanceSet {
  name: string;
  description: string;
  documents: RelevanceDocument[];
  queries: RelevanceQuery[];
}

interface Aspect {
  key: string;
  /** Phrases the posts use. */
  post: string[];
  /** Phrases only queries use (paraphrases: no shared content word with `post`). */
  para: string[];
  /** Short-query words. */
  short: string[];
}
interface Family {
  topic: string;
  /** [name shown in posts, alternative name (ticker, nickname)]. */
  entities: [string, string][];
  aspects: Aspect[];
  openers: string[];
  closers: string[];
  asks: string[];
}

const FAMILIES: Family[] = [
  {
    topic: 'crypto',
    entities: [['bitcoin', 'btc'], ['ethereum', 'eth'], ['solana', 'sol'], ['dogecoin', 'doge'], ['cardano', 'ada'], ['chainlink', 'link'], ['avalanche', 'avax'], ['toncoin', 'ton']],
    aspects: [
      { key: 'surge', post: ['pumped hard overnight', 'ripped to a new all-time high', 'rallied twenty percent today', 'shot straight up this morning'], para: ['soaring in value', 'price skyrocketing', 'climbing like crazy'], short: ['rally', 'pump'] },
      { key: 'crash', post: ['dumped hard overnight', 'tanked forty percent', 'crashed through support', 'bled out all week'], para: ['losing value fast', 'price collapsing', 'falling off a cliff'], short: ['crash', 'dump'] },
      { key: 'hack', post: ['bridge got exploited for millions', 'wallet drainer hit holders', 'protocol exploit drained the pool'], para: ['stolen funds after a security breach', 'hackers stealing coins', 'theft from a compromised contract'], short: ['exploit', 'hack'] },
      { key: 'etf', post: ['spot etf approved by the sec', 'etf inflows hit a record', 'etf filing just got the green light'], para: ['exchange traded fund news', 'regulators allowing a fund', 'institutional fund money arriving'], short: ['etf', 'etf inflows'] },
    ],
    openers: ['wow', 'ok so', 'gm,', 'not financial advice but', 'lol'],
    closers: ['wild market', 'stay safe out there', 'charts look insane', 'told you so', 'ngmi'],
    asks: ['why is', 'anyone know why', 'what is going on with', 'can someone explain', 'is it true that'],
  },
  {
    topic: 'sports',
    entities: [['Arsenal', 'gunners'], ['Lakers', 'lakers'], ['Yankees', 'yanks'], ['Chiefs', 'kc'], ['Liverpool', 'reds'], ['Celtics', 'celtics'], ['Dodgers', 'dodgers'], ['Packers', 'packers']],
    aspects: [
      { key: 'win', post: ['won in the final minute', 'beat their rivals four to one', 'clinched the title tonight', 'grabbed a huge victory'], para: ['triumph in the big match', 'celebrating a famous result', 'came out on top'], short: ['win', 'victory'] },
      { key: 'loss', post: ['lost again at home', 'got thrashed five nil', 'blew a big lead and lost', 'suffered another defeat'], para: ['humiliating result for the team', 'fans furious after the match', 'beaten badly'], short: ['loss', 'defeat'] },
      { key: 'injury', post: ['star player tore his acl', 'captain out with a hamstring injury', 'injury list keeps growing'], para: ['player hurt and sidelined for months', 'medical update on the knee', 'who is missing through fitness problems'], short: ['injury', 'acl'] },
      { key: 'trade', post: ['signed a new striker on deadline day', 'traded their point guard', 'transfer fee agreed for the winger'], para: ['acquiring a player from another club', 'roster move announced', 'new signing rumours'], short: ['trade', 'transfer'] },
    ],
    openers: ['unreal,', 'cannot believe it,', 'matchday thoughts:', 'honestly', 'what a night,'],
    closers: ['#gameday', 'season is on', 'football is cruel', 'so proud', 'rough one'],
    asks: ['did the', 'has anyone heard whether the', 'what happened with the', 'any news on the', 'how did the'],
  },
  {
    topic: 'news',
    entities: [['Chicago', 'chi'], ['London', 'ldn'], ['Toronto', 'tdot'], ['Berlin', 'berlin'], ['Seattle', 'sea'], ['Lagos', 'lagos'], ['Melbourne', 'melb'], ['Dublin', 'dub']],
    aspects: [
      { key: 'heat', post: ['heatwave breaks temperature records', 'scorching heat advisory issued', 'hottest day ever recorded'], para: ['extreme weather with very high temperatures', 'people struggling in the sweltering summer', 'climate making summers unbearable'], short: ['heatwave', 'heat'] },
      { key: 'strike', post: ['transit strike shuts down the subway', 'rail workers walk out', 'bus drivers strike for better pay'], para: ['public transport workers stop working', 'commuters stranded by industrial action', 'union dispute halting trains'], short: ['strike', 'transit strike'] },
      { key: 'housing', post: ['housing bill passes council', 'rents jumped again this year', 'new zoning rules for apartments'], para: ['cost of a place to live rising', 'affordable homes policy', 'landlords and tenants fighting over prices'], short: ['housing', 'rent'] },
      { key: 'outage', post: ['power outage leaves thousands in the dark', 'blackout hits downtown', 'grid failure cuts electricity'], para: ['no electricity across the city', 'lights went out everywhere', 'utility problems after the storm'], short: ['outage', 'blackout'] },
    ],
    openers: ['breaking:', 'local news:', 'just in,', 'ugh,', 'update:'],
    closers: ['#news', 'more soon', 'stay safe everyone', 'what a week', 'thoughts with everyone affected'],
    asks: ['what is happening with', 'is there any update about', 'how bad is', 'why is there', 'anyone affected by'],
  },
  {
    topic: 'food',
    entities: [['ramen', 'noodles'], ['sourdough', 'bread'], ['tacos', 'tacos'], ['dumplings', 'dumplings'], ['pho', 'pho'], ['lasagna', 'lasagna']],
    aspects: [
      { key: 'homemade', post: ['made from scratch at home tonight', 'finally nailed my homemade recipe', 'spent all sunday cooking a big batch'], para: ['cooking it yourself in your own kitchen', 'tips for preparing it without takeout', 'easy instructions to cook'], short: ['recipe', 'homemade'] },
      { key: 'restaurant', post: ['best spot in town just opened downtown', 'waited an hour at that new place', 'tiny shop near the station serves the best bowl'], para: ['where to eat out for a great meal', 'good dining recommendations nearby', 'eatery worth visiting'], short: ['restaurant', 'best place'] },
    ],
    openers: ['yum,', 'food post:', 'ok', 'highly recommend,', 'cozy evening,'],
    closers: ['#cooking', 'so good', 'ten out of ten', 'worth it', 'happy belly'],
    asks: ['any advice on', 'where can i find good', 'what is the best way to get', 'who has tried', 'looking for'],
  },
  {
    topic: 'tech',
    entities: [['Rust', 'rustc'], ['Postgres', 'postgresql'], ['Kubernetes', 'k8s'], ['TypeScript', 'tsc'], ['Python', 'cpython'], ['Docker', 'containers']],
    aspects: [
      { key: 'bug', post: ['segfault in production again', 'memory leak took down the service', 'weird race condition in the build'], para: ['software crashing unexpectedly', 'debugging a nasty defect', 'program keeps failing at runtime'], short: ['bug', 'segfault'] },
      { key: 'release', post: ['new major version just shipped', 'release notes are out for the update', 'upgraded to the latest version today'], para: ['announcement of fresh features', 'what changed in the newest edition', 'should i upgrade now'], short: ['release', 'new version'] },
      { key: 'perf', post: ['query got ten times faster after tuning', 'benchmarks show huge latency wins', 'cut cpu usage in half'], para: ['making things run quicker', 'speed improvements and optimisation', 'reducing slowness'], short: ['performance', 'faster'] },
    ],
    openers: ['til', 'hot take:', 'shipping update:', 'devlog:', 'friday deploy:'],
    closers: ['#buildinpublic', 'send help', 'love this stack', 'never again', 'onwards'],
    asks: ['how do i deal with', 'has anyone seen', 'what is new with', 'tips for', 'thoughts on'],
  },
];

/** `count` post texts from the sample generator, parsed by the real Jetstream adapter (what the relay stores). */
function generatorPosts(count: number, seed: number): string[] {
  const adapter = new JetstreamAdapter({ name: 'eval', url: 'ws://eval.invalid', collections: [], resume: true }, 1 << 20);
  const out: string[] = [];
  for (const line of generateSample({ count: Math.ceil(count * 1.06) + 50, seed, startTimeUs: DEFAULT_START_TIME_US })) {
    if (!line.includes('"operation":"create","collection":"app.bsky.feed.post"')) continue;
    const r = adapter.parse(Buffer.from(line));
    if (r.kind === 'event') out.push(r.event.text);
    if (out.length === count) break;
  }
  return out;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export function buildRelevanceSet(noise = 1500, seed = 16): RelevanceSet {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const documents: RelevanceDocument[] = [];
  const queries: RelevanceQuery[] = [];
  const byEntity = new Map<string, string[]>();
  const subjects: { family: Family; entity: [string, string]; aspect: Aspect; docs: string[] }[] = [];
  for (const family of FAMILIES) {
    for (const entity of family.entities) {
      for (const aspect of family.aspects) {
        const docs: string[] = [];
        for (let i = 0; i < 3; i++) {
          const id = `d${documents.length + 1}`;
          const name = rnd() < 0.75 ? entity[0] : entity[1];
          const article = family.topic === 'sports' && !/^(Arsenal|Liverpool)$/.test(entity[0]) ? 'the ' : '';
          const text = `${pick(family.openers)} ${article}${name} ${aspect.post[(i + Math.floor(rnd() * 4)) % aspect.post.length]}, ${pick(family.closers)}`;
          documents.push({ id, text });
          docs.push(id);
        }
        const key = `${family.topic}:${entity[0]}`;
        byEntity.set(key, [...(byEntity.get(key) ?? []), ...docs]);
        subjects.push({ family, entity, aspect, docs });
      }
    }
  }
  // Noise: the sample generator's own posts (its topics overlap these, so they compete).
  for (const text of generatorPosts(noise, 4242)) documents.push({ id: `n${documents.length + 1}`, text });

  subjects.forEach((s, si) => {
    const split = si % 2 === 0 ? 'tune' : 'test';
    const relevant: Record<string, 1 | 2> = {};
    for (const d of byEntity.get(`${s.family.topic}:${s.entity[0]}`)!) relevant[d] = 1;
    for (const d of s.docs) relevant[d] = 2;
    const article = s.family.topic === 'sports' && !/^(Arsenal|Liverpool)$/.test(s.entity[0]) ? 'the ' : '';
    // Sentence: a question; a third reuse one post phrase's words, the rest paraphrase only.
    const style = si % 3;
    const middle = style === 0 ? pick(s.aspect.post) : pick(s.aspect.para);
    const name = style === 2 ? s.entity[1] : s.entity[0];
    const ask = pick(s.family.asks);
    const tail = pick(['?', ' today?', ', what happened?', ', any details?', ' this week? my feed is full of it']);
    const sentence = `${ask} ${ask.endsWith(' the') ? '' : article}${name} ${middle}${tail}`;
    queries.push({ id: `q${queries.length + 1}`, text: sentence.replace(/\s+/g, ' '), kind: 'sentence', split, relevant });
    const short = `${rnd() < 0.5 ? s.entity[1] : s.entity[0]} ${pick(s.aspect.short)}`;
    queries.push({ id: `q${queries.length + 1}`, text: short, kind: 'short', split, relevant });
  });
  return {
    name: 'sift-topics-v1',
    description: 'Synthetic posts in the sample generator\'s topics (entity × aspect subjects, 3 posts each) plus generator posts as noise; sentence and short queries with graded relevance (2 same subject, 1 same entity). Built by scripts/build-relevance-set.ts.',
    documents,
    queries,
  };
}

function isMain(): boolean {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  const args = process.argv.slice(2);
  const out = resolve(argValue(args, 'out') ?? 'eval/relevance-set.json');
  const set = buildRelevanceSet(Number(argValue(args, 'noise') ?? 1500));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(set, null, 0).replace(/\},\{/g, '},\n{') + '\n');
  process.stderr.write(`${set.queries.length} queries, ${set.documents.length} documents → ${out}\n`);
}
