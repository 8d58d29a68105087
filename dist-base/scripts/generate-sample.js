/**
 * Deterministic generator for `data/sample-posts.ndjson`: a synthetic but format-faithful slice of
 * the Bluesky Jetstream firehose (https://github.com/bluesky-social/jetstream), used by the demo
 * source, tests and benchmarks.
 *
 *   node dist/scripts/generate-sample.js [--count 3000] [--seed 42] [--out data/sample-posts.ndjson]
 *                                        [--start-time-us 1748779200000000]
 *
 * Every line is one Jetstream event. ~97% are `app.bsky.feed.post` creates; the rest are the other
 * traffic a real stream carries and the relay must skip: `identity` and `account` events, post
 * deletes (no record) and `app.bsky.feed.like` creates. Output depends only on the options: a
 * seeded PRNG drives everything and no wall-clock time is read.
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
export const DEFAULT_COUNT = 3000;
export const DEFAULT_SEED = 42;
/** 2025-06-01T12:00:00.000Z */
export const DEFAULT_START_TIME_US = 1_748_779_200_000_000;
export const DEFAULT_OUT = 'data/sample-posts.ndjson';
const AUTHOR_COUNT = 400;
const NON_POST_RATE = 0.03;
const PARAPHRASE_RATE = 0.03;
const LONG_POST_RATE = 0.03;
const MAX_POST_CODEPOINTS = 300; // Bluesky's limit is 300 graphemes; code points >= graphemes.
// ---------------------------------------------------------------------------------------------
// PRNG (sfc32 seeded through splitmix32): fast, decent quality, fully deterministic.
class Rng {
    a;
    b;
    c;
    d;
    constructor(seed) {
        let s = seed >>> 0;
        const split = () => {
            s = (s + 0x9e3779b9) >>> 0;
            let z = s;
            z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
            z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
            return (z ^ (z >>> 16)) >>> 0;
        };
        this.a = split();
        this.b = split();
        this.c = split();
        this.d = split();
        for (let i = 0; i < 12; i++)
            this.next();
    }
    /** Uniform in [0, 1). */
    next() {
        const t = (((this.a + this.b) | 0) + this.d) | 0;
        this.d = (this.d + 1) | 0;
        this.a = this.b ^ (this.b >>> 9);
        this.b = (this.c + (this.c << 3)) | 0;
        this.c = (this.c << 21) | (this.c >>> 11);
        this.c = (this.c + t) | 0;
        return (t >>> 0) / 4294967296;
    }
    /** Integer in [lo, hi] inclusive. */
    int(lo, hi) {
        return lo + Math.floor(this.next() * (hi - lo + 1));
    }
    chance(p) {
        return this.next() < p;
    }
    pick(items) {
        return items[Math.floor(this.next() * items.length)];
    }
    weighted(items) {
        let total = 0;
        for (const [, w] of items)
            total += w;
        let r = this.next() * total;
        for (const [item, w] of items) {
            r -= w;
            if (r < 0)
                return item;
        }
        return items[items.length - 1][0];
    }
    zipfTables = new WeakMap();
    /** Zipf-weighted pick: earlier items are more likely (item i has weight 1 / (i + 1)^s). */
    zipf(items, s = 1) {
        let cumulative = this.zipfTables.get(items);
        if (cumulative === undefined) {
            cumulative = [];
            let total = 0;
            for (let i = 0; i < items.length; i++)
                cumulative.push((total += 1 / Math.pow(i + 1, s)));
            this.zipfTables.set(items, cumulative);
        }
        const r = this.next() * cumulative[cumulative.length - 1];
        let lo = 0;
        let hi = cumulative.length - 1;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r)
                hi = mid;
            else
                lo = mid + 1;
        }
        return items[lo];
    }
    shuffle(items) {
        for (let i = items.length - 1; i > 0; i--) {
            const j = Math.floor(this.next() * (i + 1));
            [items[i], items[j]] = [items[j], items[i]];
        }
        return items;
    }
}
// ---------------------------------------------------------------------------------------------
// atproto identifiers.
const B32_LOWER = 'abcdefghijklmnopqrstuvwxyz234567'; // RFC 4648 base32, lowercase (multibase "b")
const B32_SORT = '234567abcdefghijklmnopqrstuvwxyz'; // base32-sortable (TIDs)
function randomB32(rng, n) {
    let s = '';
    for (let i = 0; i < n; i++)
        s += B32_LOWER[rng.int(0, 31)];
    return s;
}
/** A TID: 53-bit microsecond timestamp and 10-bit clock id, as 13 base32-sortable chars. */
function tid(timestampUs, clockId) {
    const v = (BigInt(timestampUs) << 10n) | BigInt(clockId & 1023);
    let s = '';
    for (let i = 12; i >= 0; i--)
        s += B32_SORT[Number((v >> BigInt(i * 5)) & 31n)];
    return s;
}
/** A CIDv1 (dag-cbor, sha2-256) in multibase base32: "bafyrei" + 52 chars. */
function cid(rng) {
    const bytes = [0x01, 0x71, 0x12, 0x20];
    for (let i = 0; i < 32; i++)
        bytes.push(rng.int(0, 255));
    let out = 'b';
    let buf = 0;
    let bits = 0;
    for (const byte of bytes) {
        buf = (buf << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += B32_LOWER[(buf >>> (bits - 5)) & 31];
            bits -= 5;
        }
        buf &= (1 << bits) - 1;
    }
    if (bits > 0)
        out += B32_LOWER[(buf << (5 - bits)) & 31];
    return out;
}
function isoFromUs(us) {
    return new Date(Math.floor(us / 1000)).toISOString();
}
const TOPIC_WEIGHTS = [
    ['crypto', 20], ['tech', 22], ['sports', 12], ['news', 12], ['life', 25], ['culture', 9],
];
const FIRST_NAMES = [
    'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory',
    'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'zoe', 'maya', 'liam',
    'noah', 'emma', 'ava', 'mia', 'ethan', 'lucas', 'amara', 'kenji', 'priya', 'diego', 'sofia',
    'mateo', 'leila', 'omar', 'chloe', 'hana', 'yuki', 'ines', 'jonas', 'freya', 'tariq', 'nadia',
    'felix', 'ruby', 'theo', 'iris', 'marco', 'elena', 'sam', 'jess', 'kai', 'nina', 'oscar', 'paula',
    'quinn', 'rosa', 'soren', 'tess', 'uma', 'vera', 'wes', 'xena', 'yara', 'zane', 'aiden', 'bea',
    'cleo', 'dani', 'eli', 'fatima', 'gus', 'hugo', 'isla', 'jack', 'kira', 'leo', 'mira', 'nico',
];
const LAST_NAMES = [
    'smith', 'nguyen', 'garcia', 'kim', 'patel', 'mueller', 'rossi', 'silva', 'tanaka', 'okafor',
    'cohen', 'larsen', 'dubois', 'novak', 'haddad', 'reyes', 'walsh', 'fischer', 'moreau', 'santos',
    'ito', 'khan', 'murphy', 'jensen', 'costa', 'ali', 'brown', 'wright', 'lopez', 'park',
];
const HANDLE_WORDS = [
    'codes', 'writes', 'draws', 'runs', 'builds', 'ships', 'bakes', 'reads', 'trades', 'hodl',
    'dev', 'art', 'photo', 'music', 'news', 'posts', 'lab', 'studio', 'zone', 'online',
];
const CUSTOM_TLDS = ['dev', 'com', 'net', 'xyz', 'io', 'blog', 'social', 'me', 'org', 'art'];
/** Well-known accounts people mention. */
const FAMOUS_HANDLES = ['bsky.app', 'jay.bsky.team', 'atproto.com', 'nytimes.com', 'theverge.com', 'npr.org', 'wired.com'];
const COINS = ['btc', 'eth', 'sol', 'doge', 'pepe', 'xrp', 'wif', 'link', 'ada', 'avax', 'sui', 'bonk', 'arb', 'ton', 'op'];
const COIN_NAMES = {
    btc: 'bitcoin', eth: 'ethereum', sol: 'solana', pepe: 'pepe', wif: 'dogwifhat', doge: 'dogecoin',
    xrp: 'XRP', ada: 'cardano', avax: 'avalanche', link: 'chainlink', bonk: 'bonk', sui: 'sui',
    arb: 'arbitrum', op: 'optimism', ton: 'toncoin',
};
/** Plausible USD price range per ticker, so "{coin} broke {price}" reads right. */
const PRICE_RANGES = {
    btc: [58_000, 125_000], eth: [1_500, 4_800], sol: [90, 290], doge: [0.08, 0.45], pepe: [0.000006, 0.000026],
    xrp: [0.45, 3.4], wif: [0.4, 4.5], link: [9, 28], ada: [0.3, 1.2], avax: [14, 55], sui: [0.8, 5],
    bonk: [0.00001, 0.00005], arb: [0.3, 1.9], ton: [2, 8], op: [0.6, 4],
    nvda: [95, 185], tsla: [150, 480], aapl: [170, 260], spy: [480, 640], msft: [360, 520], amzn: [160, 240],
    meta: [450, 780], goog: [140, 210], amd: [80, 210], pltr: [20, 150], coin: [150, 380], mstr: [200, 520],
    qqq: [400, 570], nflx: [600, 1_250], gme: [12, 35], intc: [18, 35],
};
const STOCKS = ['nvda', 'tsla', 'aapl', 'spy', 'msft', 'amzn', 'meta', 'goog', 'amd', 'pltr', 'coin', 'mstr', 'qqq', 'nflx', 'gme', 'intc'];
const STOCK_NAMES = {
    nvda: 'nvidia', tsla: 'tesla', aapl: 'apple', msft: 'microsoft', amzn: 'amazon', goog: 'google',
    meta: 'meta', amd: 'amd', pltr: 'palantir', coin: 'coinbase', mstr: 'microstrategy', spy: 'the S&P 500',
    qqq: 'the nasdaq', gme: 'gamestop', nflx: 'netflix', intc: 'intel',
};
const LANG_TAGS = {
    Rust: 'rust', TypeScript: 'typescript', Go: 'golang', Python: 'python', Zig: 'zig', Kotlin: 'kotlin',
    Elixir: 'elixir', 'C++': 'cpp', Swift: 'swift', OCaml: 'ocaml', Haskell: 'haskell', Java: 'java',
};
const LANGS = Object.keys(LANG_TAGS);
const DBS = ['Postgres', 'SQLite', 'Redis', 'DuckDB', 'ClickHouse', 'MySQL', 'MongoDB', 'Kafka'];
const DB_TAGS = { Postgres: 'postgres', SQLite: 'sqlite', DuckDB: 'duckdb', Redis: 'redis' };
const EDITORS = ['Neovim', 'VS Code', 'Emacs', 'Zed', 'Helix', 'JetBrains'];
const RUNTIMES = ['Node 20', 'Bun', 'Deno', 'the JVM', 'WASM', 'Python 3.13'];
const INFRA = ['Kubernetes', 'Terraform', 'Nginx', 'Docker', 'Nix', 'systemd', 'Caddy', 'GitHub Actions'];
const TOOLS = [...DBS, ...EDITORS, ...RUNTIMES, ...INFRA];
const MODELS = ['GPT-5', 'Claude', 'Llama 4', 'Gemini', 'Mistral', 'a 7B model', 'DeepSeek', 'Qwen', 'a tiny local model', 'Phi'];
const TECH_THINGS = [
    'the borrow checker', 'type inference', 'a memory leak', 'flaky tests', 'the build pipeline',
    'our k8s cluster', 'the vector index', 'prompt caching', 'our RAG pipeline', 'the tokenizer',
    'a race condition', 'the ORM', 'dependency hell', 'the monorepo', 'CI minutes', 'cold starts',
    'the embeddings job', 'a segfault', 'off-by-one errors', 'the staging database', 'YAML indentation',
    'timezone handling', 'cache invalidation', 'websocket reconnects', 'our rate limiter', 'DNS',
    'a missing index', 'unicode normalisation', 'leap seconds', 'a circular import',
];
const TECH_SYSTEMS = ['search service', 'auth service', 'ingest pipeline', 'CI', 'staging env', 'billing job', 'feature store', 'queue workers', 'home server', 'side project', 'blog'];
const TECH_TAGS = [
    'ai', 'llm', 'rust', 'typescript', 'python', 'webdev', 'opensource', 'javascript', 'golang',
    'machinelearning', 'devops', 'atproto', 'postgres', 'linux', 'kubernetes', 'buildinpublic',
    '100DaysOfCode', 'genai', 'selfhosted', 'nodejs', 'react', 'sqlite', 'zig', 'MLOps',
];
const TEAM_LEAGUE = {
    Lakers: 'NBA', Celtics: 'NBA', Warriors: 'NBA', Knicks: 'NBA', Nuggets: 'NBA',
    Arsenal: 'PremierLeague', Liverpool: 'PremierLeague', 'Man City': 'PremierLeague', Spurs: 'PremierLeague',
    'Real Madrid': 'LaLiga', 'Barça': 'LaLiga', Bayern: 'Bundesliga', Yankees: 'MLB', Dodgers: 'MLB',
    Mets: 'MLB', Cubs: 'MLB', Chiefs: 'NFL', Eagles: 'NFL', '49ers': 'NFL', Packers: 'NFL',
    Leafs: 'NHL', Canadiens: 'NHL', Rangers: 'NHL', 'Inter Miami': 'MLS', 'LA Galaxy': 'MLS', Dortmund: 'Bundesliga',
};
/** Football clubs are named without an article ("Arsenal won"), US teams with one ("the Lakers won"). */
const NO_ARTICLE_LEAGUES = new Set(['PremierLeague', 'LaLiga', 'Bundesliga', 'MLS']);
const LEAGUE_ROLES = {
    NBA: ['the point guard', 'our center', 'the rookie', 'the sixth man', 'the coach'],
    NFL: ['the QB', 'our kicker', 'the rookie', 'the defensive coordinator', 'the coach'],
    MLB: ['the closer', 'our shortstop', 'the rookie', 'the starting pitcher', 'the manager'],
    NHL: ['our goalie', 'the captain', 'the rookie', 'the fourth line', 'the coach'],
    football: ['our striker', 'the keeper', 'the manager', 'the captain', 'the teenage winger', 'the ref'],
};
const TEAMS = Object.keys(TEAM_LEAGUE);
const SPORT_EVENTS = [
    'the Super Bowl', 'the playoffs', 'the derby', 'Wimbledon', 'the marathon', 'the Monaco GP',
    'the Champions League final', 'game 7', 'the World Cup qualifier', 'the Tour de France stage',
    'opening day', 'the trade deadline', 'the draft', 'the NBA finals', 'the US Open',
];
const SPORT_TAGS = ['sports', 'gameday', 'matchday', 'F1', 'tennis', 'running', 'WorldCup', 'UCL'];
const SPORT_MOMENTS = ['last-minute goal', 'buzzer beater', 'red card', 'penalty save', 'walk-off homer', 'hat trick', 'VAR decision', 'fourth quarter comeback', 'overtime winner', 'goal-line clearance'];
const NEWS_TOPICS = [
    'the election', 'the heatwave', 'the wildfires', 'the budget vote', 'the transit strike',
    'the housing bill', 'the inflation numbers', 'the jobs report', 'the hurricane', 'the court ruling',
    'the new tariffs', 'the rail strike', 'the climate summit', 'the ceasefire talks', 'the measles outbreak',
    'the bridge collapse', 'the power outage', 'the school board meeting', 'the city council vote',
];
const NEWS_TAGS = ['news', 'politics', 'climate', 'breaking', 'economy', 'uspol', 'ukpolitics', 'housing'];
const PLACES = [
    'Chicago', 'Toronto', 'London', 'Berlin', 'Zürich', 'São Paulo', 'Montréal', 'Kraków', 'München',
    'Tokyo (東京)', 'Seattle', 'Austin', 'Lagos', 'Melbourne', 'Dublin', 'Lisbon', 'Mexico City', 'Seoul',
    'Portland', 'Denver', 'Nairobi', 'Oslo', 'Barcelona', 'Reykjavík',
];
const FOODS = [
    'ramen', 'tacos al pastor', 'a jalapeño bagel', 'crème brûlée', 'banana bread', 'sourdough',
    'pho', 'shakshuka', 'dumplings', 'a crêpe', 'butter chicken', 'pad thai', 'birria', 'a croissant',
    'kimchi fried rice', 'pierogi', 'focaccia', 'a smash burger', 'matcha', 'cold brew', 'jollof rice',
    'okonomiyaki', 'pastel de nata', 'lasagna', 'a fancy salad',
];
const PETS = ['my cat', 'the dog', 'our cat', 'my puppy', 'the kitten', 'my parrot', 'our corgi', 'the rabbit'];
const CHORES = ['laundry', 'the dishes', 'taxes', 'meal prep', 'vacuuming', 'the grocery run', 'emails', 'my inbox', 'the garden'];
const FEELINGS = ['exhausted', 'weirdly productive', 'so tired', 'grateful', 'cozy', 'anxious', 'hyped', 'content', 'burnt out', 'chill'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const TIMES = ['this morning', 'tonight', 'today', 'this afternoon', 'last night', 'at 6am', 'after work', 'over the weekend'];
const LIFE_TAGS = ['caturday', 'cooking', 'gardening', 'running', 'photography', 'MondayMotivation', 'café', 'dogsofbluesky'];
const MEDIA = [
    'Severance', 'The Bear', 'Dune', 'Shōgun', 'Arcane', 'The Last of Us', 'Andor', 'Succession',
    'Past Lives', 'Oppenheimer', 'Frieren', 'Blue Eye Samurai', 'Slow Horses', 'Poor Things',
];
const GAMES = ['Zelda', 'Elden Ring', "Baldur's Gate 3", 'Stardew Valley', 'Hades II', 'Balatro', 'Pokémon', 'Hollow Knight', 'Factorio', 'Tetris'];
const BOOKS = ['Piranesi', 'Project Hail Mary', 'The Left Hand of Darkness', 'Middlemarch', 'Klara and the Sun', 'Tomorrow, and Tomorrow, and Tomorrow', 'The Overstory', 'Babel'];
const MUSIC = ['the new Radiohead side project', 'Phoebe Bridgers', 'a Björk record', 'some 90s jungle', 'Khruangbin', 'lo-fi beats', 'the Beyoncé album', 'Fleetwood Mac', 'Bad Bunny', 'Sigur Rós'];
const CULTURE_TAGS = ['books', 'film', 'gaming', 'nowplaying', 'TV', 'bookclub', 'Pokémon', 'music'];
const CRYPTO_TAGS = ['crypto', 'bitcoin', 'trading', 'defi', 'memecoins'];
const STOCK_TAGS = ['stocks', 'investing', 'trading', 'markets'];
const MARKET_TAGS = ['crypto', 'bitcoin', 'stocks', 'trading', 'defi', 'memecoins', 'investing'];
const INTERESTS = [
    'crypto', 'markets', 'rust', 'typescript', 'ai', 'open source', 'football', 'basketball', 'cooking',
    'gardening', 'books', 'film', 'climate', 'local news', 'running', 'photography', 'urbanism', 'games',
];
const EMOJI = {
    crypto: ['🚀', '📈', '📉', '💎🙌', '🐸', '🔥', '😬', '🤡', '🫡', '💀'],
    tech: ['🦀', '🤖', '💻', '🔥', '😅', '🧵', '✨', '🐛', '⚡️', '🙃'],
    sports: ['⚽️', '🏀', '🏈', '⚾️', '🏒', '🔥', '😤', '🏆', '😭', '🙌'],
    news: ['😔', '🙏', '⚠️', '📰', '😡', '🤞', '💔', '👀'],
    life: ['☕️', '❤️', '🥲', '😂', '✨', '🌞', '😴', '🙃', '🫠', '💛'],
    culture: ['🎬', '📚', '🎧', '🎮', '😭', '🤌', '✨', '🍿'],
};
const TOPIC_TAGS = {
    crypto: MARKET_TAGS, tech: TECH_TAGS, sports: SPORT_TAGS, news: NEWS_TAGS, life: LIFE_TAGS, culture: CULTURE_TAGS,
};
const GITHUB_REPOS = [
    'bluesky-social/atproto', 'bluesky-social/jetstream', 'rust-lang/rust', 'microsoft/TypeScript',
    'denoland/deno', 'vitejs/vite', 'pgvector/pgvector', 'nestjs/nest', 'ollama/ollama', 'tokio-rs/tokio',
    'oven-sh/bun', 'astral-sh/uv', 'duckdb/duckdb', 'neovim/neovim', 'ziglang/zig', 'huggingface/transformers',
];
const SLUGS = {
    crypto: [
        'bitcoin-hits-record-high', 'crypto-etf-inflows-surge', 'nvidia-shares-climb-on-ai-demand',
        'fed-holds-rates-steady', 'stocks-slide-as-yields-rise', 'memecoin-mania-returns', 'tesla-deliveries-miss',
    ],
    tech: [
        'the-case-for-boring-technology', 'we-rewrote-it-in-rust', 'postgres-is-enough',
        'llm-evals-are-hard', 'why-our-build-takes-40-minutes', 'vector-search-in-practice', 'local-first-software',
    ],
    sports: ['late-winner-stuns-rivals', 'trade-deadline-winners-and-losers', 'rookie-breaks-scoring-record', 'title-race-heats-up'],
    news: [
        'heat-wave-breaks-records', 'city-council-approves-housing-plan', 'transit-strike-enters-third-day',
        'wildfire-smoke-air-quality', 'jobs-report-beats-expectations', 'storm-knocks-out-power', 'budget-deal-reached',
    ],
    life: ['easy-weeknight-dinners', 'how-to-keep-houseplants-alive', 'the-perfect-sourdough', 'best-coffee-in-town'],
    culture: ['the-best-films-of-the-year', 'why-everyone-is-reading-this-novel', 'season-finale-recap', 'indie-games-to-play-now'],
};
function slugify(name) {
    return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
const YT_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// ---------------------------------------------------------------------------------------------
// Templates. `{slot}` placeholders are filled per post (a slot used twice in one post gets the same
// value; `{coin2}` is always a different coin from `{coin}`); `{>part}` expands a grammar part.
const TEMPLATES = {
    crypto: [
        '{Coin} just broke {price}, not selling a single sat {emoji}',
        'bought more {coin} on the dip. see you at {price} {emoji}',
        'if {coin} holds {price} this week we are so back',
        '{coin} down {pct} and the timeline is acting like it’s the end of the world lol',
        'rotating out of {coin} into {coin2}. not financial advice',
        'anyone else watching {coin} vs {coin2} right now? wild divergence',
        '{Coin} funding rates are getting spicy, careful with leverage',
        'my portfolio: 60% {coin}, 30% {coin2}, 10% regret',
        '{stock} earnings after the bell. {pct} move priced in apparently',
        'sold my {stock} way too early again {emoji}',
        '{stock} up {pct} premarket on the datacenter news',
        'the {stock} chart looks like a ski slope today',
        'trimmed {stock}, added {stock2}. boring is good',
        'cashtag watch: {coin}, {coin2}, {stock}. what am I missing?',
        '{coinName} ETF inflows were huge again today, {coin} barely moved though',
        'memecoin season: {coin} and {coin2} both doing {pct} days. this ends well surely {emoji}',
        'people really paid {usd} for a jpeg of a frog. anyway, {coin}',
        'the {coin} unlock next week is going to be messy',
        'lost {pct} on {coin} today, lesson learned (I did not learn the lesson)',
        'my dad asked me what {coinName} is at dinner and now he owns more {coin} than me',
        'staking rewards on {coin} just hit my wallet, small wins',
        'bear case for {stock}: everything is priced for perfection. bull case: {emoji}',
        'why is {stock} pumping? someone explain like I’m five',
        'covered calls on {stock} paying my rent this month, not complaining',
        '{coinName} is a tech stock with extra steps. {coin} tracks {stock2} tick for tick',
        'paid {usd} in fees for a single swap, I give up',
        'DCA update, week {week}: still buying {coin} every friday, still ignoring the noise',
        'the {coin} chart is just a heartbeat monitor at this point {emoji}',
        'liquidated on {coin} shorts again. the market can stay irrational longer than I can stay solvent',
        'reminder that {coinName} was {price} a year ago. zoom out',
        'new ATH on {stock}? in this economy?',
        'just moved my {coin} to cold storage, feels good',
        'whoever is market buying {coin} at 3am, I salute you {emoji}',
        'CPI print tomorrow, expect {coin} and {stock} to go absolutely nowhere and then everywhere',
        '{stock} guidance was weak but the stock is up {pct}. markets make no sense',
        'got rugged on a {coin} fork I never should have touched. {usd} gone',
        'is it too late to get into {coinName}? asking for me',
        '{coin}/{coin2} ratio at a multi-month low, watching closely',
        'ok {coin} bulls, what is the actual use case. genuinely curious',
        'the {stockName} call today was a masterclass in saying nothing. {stock} {pct} after hours',
        'my barber gave me a {coin} tip today. is that the top signal?',
        'spent $20 on lunch and {usd} on {coin} today. one of those was a good decision',
    ],
    tech: [
        'spent {time} fighting {techThing} in {lang}. {emoji}',
        'finally shipped the {lang} rewrite. {pct} faster and half the code',
        '{tool} is honestly underrated for this kind of workload',
        'hot take: you probably do not need {infra}, you need a single VM and {db}',
        'tried {model} on our codebase and it found {techThing} nobody noticed for months',
        'TIL {editor} can do this out of the box. years of my life wasted',
        'the hardest part of {lang} is not the language, it’s {techThing}',
        'benchmarked {model} vs {model2} on our eval set, results were closer than expected',
        'my {lang} side project now has more config files than source files',
        'new blog post: what I learned running {db} in production for a year',
        'ran {model} locally on my laptop and it’s actually usable now',
        'every LLM demo: wow. every LLM in prod: {techThing}',
        'code review comment of the day: "why is this a class?"',
        'prod is down because of {techThing}. again. {emoji}',
        '{lang} compile times are a feature, they give me time to post here',
        'switched from {db} to {db2} and our p99 latency dropped {pct}',
        'open-sourced our little {lang} library for {techThing}, feedback welcome',
        'is anyone else seeing weird {techThing} issues after upgrading {runtime}?',
        'teaching my team {lang} and the questions are making me rethink everything',
        'the AI wrote the code, the AI wrote the tests, the tests pass. nobody knows what it does',
        'fine-tuned {model} on our support tickets, it now apologises exactly like our support team',
        'wrote a tiny vector search on top of {db} in an afternoon, embeddings are magic',
        'the {lang} community is so welcoming, shoutout to everyone answering questions today',
        '{n} tabs of docs open, zero lines of code written {emoji}',
        'pro tip: read the {infra} changelog before upgrading. ask me how I know',
        'our agent kept calling the same tool in a loop for {mins} minutes. {techThing} strikes again',
        'type errors are just the compiler caring about you {emoji}',
        'rubber duck debugging but the duck is {model}',
        'migrated {n}k rows into {db} without downtime, team did amazing work',
        'unpopular opinion: {lang} error messages are the best in the business',
        'is {model} actually better at coding or just more confident?',
        'spent the morning reading papers about retrieval and the afternoon fixing {techThing}',
        'deleted {big} lines of dead code today. best PR of the quarter',
        'the real 10x engineer is the one who deletes the microservice',
        'day {n} of learning {lang}: the compiler and I are now on speaking terms',
        'if your {infra} setup needs a dedicated team, maybe you don’t need {infra}',
        'someone please make {techThing} a solved problem',
        'LLM context windows keep growing and I still cannot fit our legacy codebase in one',
        'on-call week survived. only one page, caused by {techThing}',
        'moved my dotfiles to {editor} and lost a whole weekend. worth it',
        'the #{tag} discourse today is exhausting',
        '#{tag} folks: what are you building this weekend?',
        'every time I think I understand {techThing}, it humbles me',
        'ported our CLI from {lang} to {lang2}. startup time went from 400ms to 8ms',
        'DM me or email {email} if you want the slides from my {lang} talk',
    ],
    sports: [
        'what a game by {theTeam} {emoji}',
        '{team} {score} {team2}. I need to lie down',
        'cannot believe {role} did that in the last minute. {team} fans, are we ok?',
        '{team} fans, we ride at dawn. {event} here we come',
        'ref missed an obvious call at the end, {team} got robbed',
        'the defending from {theTeam} tonight was a crime scene',
        'watching {event} with my dad, he’s yelling at the tv already',
        '{role} has been carrying {theTeam} all season',
        'trade rumours about {theTeam} are getting out of hand',
        'first time at a {team} game in person, the atmosphere is unreal {emoji}',
        '{team} lose again. at least the hot dogs were good',
        'new PB at parkrun today! {min5k}:{sec} for 5k {emoji}',
        'the {team} bench is somehow worse than my rec league team',
        '{event} is going to be a bloodbath, {team} in {games}',
        'overtime! {team} vs {team2} is must-watch',
        'can we talk about how {role} is playing for {theTeam} this season',
        'my fantasy team is cursed. every {team} player I pick gets injured',
        'the {team} vs {team2} rivalry never disappoints',
        'hot take: {theTeam} are overrated and {event} will prove it',
        'the crowd at {event} tonight was electric {emoji}',
        'sprained my ankle at five-a-side. retiring (until thursday)',
        'bike ride this morning, {km}km along the river, legs are jelly',
        'that {team} shootout took ten years off my life',
        'we are so back. {team} win {score}',
        'watching {event} highlights on repeat instead of working',
        'long run done: {km}km in the rain. marathon is {week} weeks out',
    ],
    news: [
        'reading about {news} in {place} and it’s grim. {link}',
        'update on {news}: officials say more details tomorrow',
        'good thread on {news} from {mention}',
        'local paper has the best coverage of {news}. support local journalism',
        '{news} is all anyone in {place} is talking about',
        'not a lot of nuance in the coverage of {news} today',
        'the live blog on {news} is worth following {link}',
        '{place} is under a weather warning again, stay safe out there {emoji}',
        'transit in {place} is a mess because of {news}',
        'my take on {news}: everyone is missing the housing angle',
        'big if true re: {news}',
        'I’ll be honest, I cannot keep up with {news} anymore',
        'the fact check on {news} is worth a read',
        'headline writers outdid themselves with {news} today',
        'press conference on {news} starting now',
        'rent in {place} went up {pct} this year. how is anyone supposed to live here',
        'interesting explainer on {news} and what it means for {place}',
        'protest downtown in {place} about {news}, very peaceful so far',
        'friends in {place}, are you ok? seeing the news about {news}',
        'gas prices in {place} are up again, filling the tank hurt today',
        'the {news} story is a lot more complicated than the headlines',
        'vote in your local elections. the school board matters more than you think',
    ],
    life: [
        'made {food} from scratch {time} and honestly nailed it {emoji}',
        '{pet} has decided that my keyboard is the best bed in the house',
        'it’s only {day} and I’m already {feeling}',
        'put off {chore} for a week, finally did it, feel like a new person',
        'the barista remembered my order today, that’s the highlight of my {day}',
        'raining all day in {place}, perfect excuse for {food} and a blanket {emoji}',
        'ran {km}km {time}, slow but it counts',
        'new plant update: it’s alive. I am as surprised as you are 🌱',
        '{pet} knocked my coffee off the table while maintaining eye contact',
        'my sourdough starter is older than some of my friendships',
        'bus was {mins} minutes late {time}, cool cool cool',
        'treated myself to {food} after a long week',
        'a stranger complimented my jacket and I’ve been smiling for an hour',
        'kids are finally asleep. time to stare at the wall in silence',
        'tried to fix the sink myself, now there is water everywhere {emoji}',
        'weekend plans: {chore}, {food}, and absolutely nothing else',
        'walked past a bakery in {place} and the smell alone was worth the trip',
        'why does {pet} only want to cuddle when I’m on a work call',
        'deep cleaned the fridge. found things that should be studied by science',
        'first swim of the year, the lake was freezing 🥶',
        'my neighbour is learning the trumpet. it’s going... great',
        'accidentally took a 3 hour nap, now I will be awake until 4am',
        'grocery prices are wild, paid {usd} for {food} ingredients',
        'hosted a dinner party {time}, nobody noticed I burned the rice',
        'reminder to drink water and text your friends back (I’m talking to myself)',
        'moving apartments next week, I own way too many mugs',
        'farmers market haul: tomatoes, peaches, and {food} from a tiny stall',
        'the sunset over {place} tonight was unreal 🌅',
        'started journaling again. day {n}. so far it’s mostly complaints about the weather',
        'spilled {food} on my white shirt before the meeting. classic',
        'train delayed {mins} minutes, read half a book, not even mad',
        'learned to make {food} from my grandma, sharing the recipe soon',
        'my therapist says I should rest more so I am resting aggressively',
        'tiny win: replied to all my emails before lunch',
        'cozy night in. tea, {food}, and a candle that smells like a forest 🕯️',
        'update: {pet} has figured out how to open the treat drawer. we are doomed',
        'the {place} heat is no joke, 3 showers today and counting 🥵',
    ],
    culture: [
        'finished {media} last night and I need to talk about it with someone {emoji}',
        'reading {book} and it’s so good I keep texting quotes to friends',
        'rewatching {media} for the third time, still catching new details',
        '{game} has eaten {hours} hours of my life this month and I regret nothing',
        'the soundtrack for {media} is on repeat while I work {emoji}',
        'just saw {media} in the cinema, the sound design alone is worth it',
        'listening to {music} on the train and the vibes are immaculate',
        'book club picked {book} and I already finished it, oops',
        'hot take: {media} season 2 was better than season 1',
        'my {game} save file is older than my car',
        'concert tonight! {music} live is a religious experience {emoji}',
        'recommend me something like {book}, I’m begging',
        'the ending of {media} hit me harder than expected',
        'started {game} "for ten minutes" at 9pm. it’s now 2am',
        'library haul: {book} and two cookbooks I will never cook from',
        '{media} fans, what did you think of the finale?',
        'spotify wrapped says I listened to {music} for {bighours} hours. no comment',
        'comfort show: {media}. comfort game: {game}. comfort food: {food}',
    ],
};
/** Short social posts that fit any author. */
const GENERIC_TEMPLATES = [
    'good morning everyone {emoji}',
    'new here, say hi! I post about {interest} and {interest2}',
    'this app is so much nicer than the other place',
    '{mention} congrats on the launch!!',
    '{mention} you were right about {interest}',
    'following {mention} for the best takes on {interest}',
    'thread 🧵 on {interest}, 1/{thread}',
    'lol {mention} this is so you',
    'cc {mention} you will like this',
    'anyone have good accounts to follow for {interest}?',
    'what is everyone up to this {day}?',
    '{mention} happy birthday!! 🎉',
    'ok that’s it, logging off for the night ✨',
    '{mention} {mention2} are we still on for {day}?',
    'moving my {interest} posts over here, give me a follow',
];
/** Phrase grammar for compositional posts: `{>name}` picks one alternative and fills it. */
const PARTS = {
    // crypto
    cOpen: ['', '', '', 'gm. ', 'ok ', 'welp. ', 'lmao ', 'so ', 'wow. ', 'update: ', 'PSA: '],
    cCore: [
        '{coin} {>cMove} {>when}', '{coinName} {>cMove} {>when}', '{stock} {>cMove} {>when}',
        '{coin} {>cMove} {>when}, {coin2} {>cFollow}', 'watching {coin} {>cVerb} {price} {>when}',
        '{coin} at {price} {>when}', '{stockName} {>cMove} {>when}, {stock} holders eating good',
        'my {coin} bags {>cMove} {>when}', '{stock} {>cMove} {>when} and {coin} {>cFollow}',
    ],
    cFollow: ['did nothing', 'followed', 'went the other way', 'is still asleep', 'outperformed again', 'lagged as usual'],
    cMove: [
        'is up {pct}', 'just dumped {pct}', 'ripped {pct}', 'bled another {pct}', 'went nowhere', 'broke {price}',
        'lost {price} support', 'reclaimed {price}', 'is flat', 'wicked down to {price}',
        'pumped {pct} then gave it all back', 'is grinding higher', 'is getting absolutely rekt', 'doubled',
    ],
    cVerb: ['hover around', 'chop around', 'test', 'flirt with', 'reject', 'break through'],
    cClose: [
        '', '', '. not selling', '. pain.', ', so back', '. wake me up when it’s over', '. bullish', '. bearish tbh',
        '. I’m fine, everything is fine', '. zoom out', '. called it', ', and I’m still holding', '. time to touch grass',
        '. someone check on the leverage traders', ' {emoji}', ' {emoji}', '. nfa', '. that’s the post',
    ],
    when: ['overnight', 'since the open', 'this week', 'in an hour', 'today', 'while I was asleep', 'after the CPI print', 'on no news', 'after the fed meeting', 'into the weekend', 'before lunch', 'again'],
    // tech
    tOpen: ['', '', '', 'TIL ', 'ok ', 'so ', 'friendly reminder: ', 'lesson learned: ', 'confession: ', 'shower thought: ', 'honestly '],
    tCore: [
        '{lang} {>tOpinion}', '{tool} {>tOpinion}', '{model} {>aiOpinion}', 'our {system} {>tFailure}',
        'spent {hours} hours {>tActivity} {techThing}', 'the {lang} {>tThing} {>tVerdict}',
        'switching the {system} from {db} to {db2} {>tVerdict}', 'pairing with {model} on {techThing} {>tVerdict}',
    ],
    tOpinion: [
        'is great until you hit {techThing}', 'finally clicked for me', 'has the best docs I’ve read in years',
        'makes {techThing} way less painful', 'is overkill for most side projects', 'is a joy once you stop fighting it',
        'release notes are worth reading this time', 'just shipped a huge release', 'keeps surprising me in good ways',
        'is not the problem, {techThing} is', 'is what I reach for by default now', 'has a learning curve like a cliff',
    ],
    aiOpinion: [
        'wrote half my tests today and they were... fine?', 'hallucinated an entire API for me',
        'is shockingly good at explaining legacy code', 'got confused by {techThing} just like the rest of us',
        'summarised a 40 page RFC in seconds', 'is great at regex and terrible at dates',
        'confidently suggested a library that does not exist', 'refactored a 2k line file without breaking anything',
    ],
    tFailure: [
        'fell over because of {techThing}', 'is 3x faster after dropping {infra}', 'now runs on a single box',
        'has been green for a week (suspicious)', 'leaks memory every tuesday', 'got paged at 3am because of {techThing}',
        'finally has real tests', 'is now 40% {lang}',
    ],
    tActivity: ['debugging', 'chasing', 'trying to understand', 'working around', 'writing tests for', 'documenting'],
    tThing: ['ecosystem', 'tooling', 'package manager', 'formatter', 'type system', 'async story', 'LSP'],
    tVerdict: ['is wild', 'was worth it', 'was a mistake', 'went better than expected', 'is a rabbit hole', 'deserves a blog post', 'is underrated'],
    tClose: ['', '', '', ' {emoji}', '. anyway', '. wild times', '. back to work', '. more soon', '. thoughts?', '. 10/10 would debug again', '. send help'],
    // sports
    sOpen: ['', '', 'WOW ', 'unreal. ', 'ok ', 'lads. ', 'full time: ', 'yes!!! '],
    sCore: [
        '{theTeam} {>sResult} {theTeam2} {>sWhen}', '{role} {>sPerf}', 'that {moment} from {theTeam} {>sWhen}', 'that {moment} {>sWhen}',
        '{theTeam} {>sResult} {theTeam2} and {role} {>sPerf}',
    ],
    sResult: ['beat', 'crushed', 'edged past', 'lost to', 'drew with', 'got embarrassed by', 'came back against', 'scraped a win over'],
    sPerf: [
        'was unreal tonight', 'needs a rest', 'is playing like an MVP', 'had the worst game of their career',
        'saved us again', 'is the reason we won', 'cannot buy a basket right now', 'deserves a statue',
    ],
    sWhen: ['tonight', 'last night', 'in overtime', 'in the last minute', 'on the road', 'at home', 'in the rain'],
    sClose: ['', '!!!', '. I’m shaking', '. unreal', '. pain', ', what a night', '. we move', '. terrible officiating', ' {emoji}', ' {emoji}'],
    // news
    nOpen: ['', '', '', 'breaking: ', 'update: ', 'wow. ', 'so ', 'ugh. '],
    nCore: ['{news} {>nUpdate}', '{place} {>nPlace}', '{news} in {place} {>nUpdate}'],
    nUpdate: [
        'is dominating the headlines again', 'just got a lot more complicated', 'vote is expected {>when}',
        'coverage is all over the place', 'is going to affect a lot of families', 'explained in one chart',
        'has officials scrambling', 'is finally getting attention', 'keeps getting worse',
    ],
    nPlace: [
        'is bracing for more storms', 'just announced free transit for the summer', 'approved the new bike lane plan',
        'is dealing with a water main break downtown', 'set a heat record today', 'has a new mayor',
        'schools are closed tomorrow', 'is voting on rent control next week', 'lost power across half the city',
    ],
    nClose: ['', '', '. stay safe everyone', '. thoughts with everyone affected', '. more as I hear it', '. read the full story:', ' {emoji}'],
    // life
    lOpen: ['', '', '', 'ok so ', 'small update: ', 'tiny win: ', 'honestly ', 'today’s mood: '],
    lCore: ['{time} I {>lAct}', '{pet} {>lPet}', 'currently {>lState}', 'it’s {day} and I {>lAct}'],
    lAct: [
        'made {food}', 'finally did {chore}', 'walked {km}km just to get {food}', 'fell asleep on the couch at 8pm',
        'cleaned the whole apartment', 'called my mom for an hour', 'went to the farmers market',
        'tried a new recipe for {food}', 'got caught in the rain without an umbrella', 'repotted all my plants',
        'fixed the wobbly table (with a folded napkin)', 'ate {food} standing over the sink',
    ],
    lPet: [
        'is asleep on my laptop', 'stole a piece of {food} off my plate', 'screamed at a bird for ten minutes',
        'has claimed my chair', 'refuses to go outside in the rain', 'learned to open the cupboard', 'is judging me',
    ],
    lState: ['{feeling}', 'eating {food} and watching {media}', 'procrastinating on {chore}', 'waiting for the bus in {place}', 'on my third coffee', 'hiding from {chore}'],
    lClose: ['', '', ' {emoji}', ' {emoji}', '. life is good', '. send snacks', '. adulting is hard', '. 10/10 day', ', no notes', '. this is my life now', ' lol'],
    // culture
    kOpen: ['', '', '', 'ok ', 'not me ', 'PSA: ', 'late to this but '],
    kCore: ['{media} {>kMedia}', '{book} {>kBook}', '{game} {>kGame}', 'listening to {music} {>when}', '{media} and {book} {>kBoth}'],
    kMedia: ['is the best thing on tv right now', 'made me cry twice', 'deserves every award', 'is slow but worth it', 'lost me halfway through', 'has the best cast'],
    kBook: ['wrecked me in the best way', 'is the perfect train read', 'took me a month but wow', 'should be required reading'],
    kGame: ['is ruining my sleep schedule', 'has the best soundtrack', 'is harder than it looks', 'is my comfort game now'],
    kBoth: ['are weirdly similar', 'scratch the same itch', 'are my whole personality this month'],
    kClose: ['', '', ' {emoji}', '. no spoilers pls', '. highly recommend', '. thoughts?', '. 10/10'],
};
const GRAMMAR = {
    crypto: ['cOpen', 'cCore', 'cClose'],
    tech: ['tOpen', 'tCore', 'tClose'],
    sports: ['sOpen', 'sCore', 'sClose'],
    news: ['nOpen', 'nCore', 'nClose'],
    life: ['lOpen', 'lCore', 'lClose'],
    culture: ['kOpen', 'kCore', 'kClose'],
};
/**
 * Paraphrase groups: each phrasing is emitted once, scattered through the stream, so semantic
 * search can be tested ("the fed raised interest rates again" should find "central bank hikes rates
 * once more").
 */
export const PARAPHRASE_GROUPS = [
    ['the fed raised interest rates again', 'central bank hikes rates once more', 'another rate hike from the federal reserve, mortgages are going to hurt'],
    ['bitcoin just hit a new all-time high', '$BTC smashes its previous record price 🚀'],
    ['my flight got cancelled and I am stuck at the airport', 'stranded at the terminal after the airline scrapped my flight'],
    ['the new iphone battery life is terrible', 'apple’s latest phone drains its battery way too fast'],
    ['it has been raining all week here', 'seven straight days of rain, send help 🌧️'],
    ['we just adopted a puppy!', 'brought home a new dog today and my heart is full 🐶'],
    ['openai released a new model today', 'new llm just dropped from openai #ai'],
    ['the stock market crashed this afternoon', 'equities tumbled sharply today, worst session in months 📉'],
    ['learning rust is hard but worth it', 'the #rust borrow checker is painful but I am glad I stuck with it'],
    ['coffee prices keep going up', 'paying way more for my morning latte than last year ☕️'],
    ['the team won the championship last night', 'they clinched the title yesterday evening, what a season 🏆'],
    ['tech companies announced more layoffs this week', 'another round of job cuts across big tech'],
    ['a heatwave is hitting the city, stay hydrated', 'record temperatures downtown today, drink water and stay inside'],
    ['rent is getting impossible to afford', 'housing costs have gotten completely out of reach for normal people'],
    ['working from home makes me way more productive', 'remote work beats the office for getting real work done'],
    ['electric cars are finally getting cheaper', 'EV prices have dropped a lot this year'],
    ['the earthquake last night shook the whole building', 'felt a strong tremor around midnight, everything was rattling'],
    ['I cannot stop playing this new video game', 'completely addicted to this game, lost my whole weekend to it 🎮'],
    ['the train was delayed again this morning', 'my commuter rail was late for the third day in a row'],
    ['ethereum gas fees are way too high right now', 'paying a fortune in fees just to move my $ETH'],
    ['nvidia stock keeps climbing on ai demand', '$NVDA rallies again as datacenter orders pour in'],
    ['wildfire smoke is making the air unbreathable', 'air quality is awful today because of the fires'],
    ['I finally finished my marathon training', 'done with months of running prep, race day is sunday 🏃'],
    ['the government shutdown is starting to hurt people', 'federal workers are going unpaid because of the budget standoff'],
    ['my code works and I have no idea why', 'the program runs fine and I genuinely do not understand how'],
    ['inflation came in lower than expected', 'consumer prices rose less than forecast last month'],
];
/** Building blocks for long (near 300 char) posts: an opener, shuffled middles, an optional closer. */
const LONG = {
    crypto: {
        open: ['Some thoughts on {coin} after a wild week.', 'Everyone keeps asking whether {coin} has topped, and honestly nobody knows.', 'Long post about {stock} because people keep asking.'],
        middle: [
            'The last time funding looked like this, {coin} dropped {pct} in a weekend.', 'I’m not selling, but I’m also not adding at {price}.',
            'Meanwhile {stock} keeps grinding higher like nothing is happening.', 'Position sizing matters more than picking the perfect entry.',
            'The macro backdrop has not changed much since the last fed meeting.', 'On-chain data looks healthy, exchange balances keep falling.',
        ],
        close: ['If you can’t sleep at night, you’re holding too much.', 'Not financial advice, obviously.', 'Zoom out.'],
    },
    tech: {
        open: ['We moved our search stack to {db} last quarter and I want to share some notes.', 'A few lessons from a year of running {lang} in production.', 'Thread on what actually broke when we adopted {model}.'],
        middle: [
            'Latency dropped {pct}, but the real win was how much simpler the code got.', 'The surprising part was {techThing}, which cost us more time than everything else combined.',
            'We also tried {model} for summarisation and it was good enough for internal tools.', 'Tests caught less than we hoped; observability caught more.',
            'The migration took {week} weeks instead of the planned two.', 'Nobody misses the old {infra} setup.',
        ],
        close: ['If you’re starting fresh in {lang}, keep the architecture boring.', 'Happy to answer questions, write-up below.', 'More in the blog post.'],
    },
    sports: {
        open: ['I have watched {theTeam} for twenty years and tonight was something else.', 'Some thoughts after {event}, now that I have calmed down.'],
        middle: [
            'The first half was sloppy, the second half was the best half I’ve seen all season.', '{role} was everywhere, blocking shots and starting every attack.',
            'People will say the ref decided it, but {theTeam2} simply ran out of ideas.', 'The away end never stopped singing, not once.',
            'The injury list is long and the schedule is brutal.', 'Tactically it was a masterclass from the coach.',
        ],
        close: ['Whatever happens next, this team has already overachieved.', 'Now a week off before {event}.', 'What a time to be a fan.'],
    },
    news: {
        open: ['A quick summary of {news} for anyone who missed it today.', 'Some context on {news}, since the headlines are confusing.'],
        middle: [
            'Officials in {place} confirmed the details this afternoon.', 'The numbers are still changing, so treat early reports with caution.',
            'Local reporters have been doing incredible work on the ground.', 'The longer-term questions are about housing, transit and who pays.',
            'Several neighbourhoods are still without power.', 'A vote is expected early next week.',
        ],
        close: ['I will keep updating this thread as things develop.', 'Stay safe, everyone.', 'Full story below.'],
    },
    life: {
        open: ['Small appreciation post for the people who run the café on my corner.', 'Long day, long post, sorry in advance.'],
        middle: [
            'They remember everyone, they know my order, and they always ask about {pet}.', 'Today I made {food} at home and it was not as good as theirs, but it was close.',
            'Life has been hectic lately, so the little routines really matter.', 'I walked {km}km just to clear my head and it actually worked.',
            'The weather in {place} finally turned and everyone is outside.', '{pet} has been extra clingy all week.',
        ],
        close: ['Go tell someone you appreciate them, it takes ten seconds.', 'Anyway, back to {chore}.', 'That’s it, that’s the post.'],
    },
    culture: {
        open: ['Finally got around to {media} and I understand the hype now.', 'Mini review of {book}, no spoilers.'],
        middle: [
            'The writing is careful, the performances are great, and it never talks down to you.', 'It reminded me a lot of {book}, which is the highest compliment I can give.',
            'I put on {music} afterwards and just sat with it for a while.', 'The pacing drags in the middle, but the last act makes up for it.',
            'Some scenes are going to stay with me for a long time.', 'It’s funnier than people told me, too.',
        ],
        close: ['If you bounced off the first episode, give it until the third.', 'No spoilers in the replies please.', 'Ten out of ten, no notes.'],
    },
};
const PREFIXES = ['ok but ', 'honestly ', 'not gonna lie, ', 'lol ', 'ugh ', 'real talk: '];
const SUFFIXES = [' lol', ' tbh', ' 🙃', ' ngl', ' 😂', ' !!', '...', ' fr', ' 👀', ' smh', ' 🙏', ' (thread)'];
const TEMPLATE_MAX_USES = 3;
function makeHandle(rng, taken) {
    for (;;) {
        const first = rng.pick(FIRST_NAMES);
        const style = rng.int(0, 9);
        let h;
        if (style <= 3)
            h = `${first}.bsky.social`;
        else if (style <= 5)
            h = `${first}${rng.pick(LAST_NAMES)}.bsky.social`;
        else if (style === 6)
            h = `${first}-${rng.pick(HANDLE_WORDS)}.bsky.social`;
        else if (style === 7)
            h = `${first}${rng.int(1, 99)}.bsky.social`;
        else if (style === 8)
            h = `${first}.${rng.pick(CUSTOM_TLDS)}`;
        else
            h = `${first}${rng.pick(HANDLE_WORDS)}.${rng.pick(CUSTOM_TLDS)}`;
        if (!taken.has(h)) {
            taken.add(h);
            return h;
        }
    }
}
function makeAuthors(rng) {
    const handles = new Set();
    const dids = new Set();
    const authors = [];
    while (authors.length < AUTHOR_COUNT) {
        const did = `did:plc:${randomB32(rng, 24)}`;
        if (dids.has(did))
            continue;
        dids.add(did);
        authors.push({ did, handle: makeHandle(rng, handles), topic: rng.weighted(TOPIC_WEIGHTS), posts: [] });
    }
    return authors;
}
/**
 * Zipf-Mandelbrot author activity (weight 1 / (rank + 4)): a few very active accounts and a long
 * tail. When the count allows, every author appears at least once.
 */
function authorSequence(rng, count) {
    const cumulative = [];
    let total = 0;
    for (let i = 0; i < AUTHOR_COUNT; i++)
        cumulative.push((total += 1 / (i + 5)));
    const draw = () => {
        const r = rng.next() * total;
        let lo = 0;
        let hi = cumulative.length - 1;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    };
    const seq = [];
    if (count >= AUTHOR_COUNT * 2)
        for (let i = 0; i < AUTHOR_COUNT; i++)
            seq.push(i);
    while (seq.length < count)
        seq.push(draw());
    return rng.shuffle(seq);
}
const SIMPLE_SLOTS = {
    lang: LANGS, db: DBS, editor: EDITORS, runtime: RUNTIMES, infra: INFRA, tool: TOOLS, model: MODELS,
    techThing: TECH_THINGS, system: TECH_SYSTEMS, event: SPORT_EVENTS,
    moment: SPORT_MOMENTS, news: NEWS_TOPICS, place: PLACES, food: FOODS, pet: PETS, chore: CHORES,
    feeling: FEELINGS, day: DAYS, time: TIMES, media: MEDIA, game: GAMES, book: BOOKS, music: MUSIC,
    interest: INTERESTS,
};
class TextGen {
    rng;
    authors;
    templateUses = new Map();
    constructor(rng, authors) {
        this.rng = rng;
        this.authors = authors;
    }
    newCtx(topic, self) {
        return { topic, self, memo: new Map(), raw: new Map(), tags: [], upperTickers: this.rng.chance(0.4) };
    }
    /** A price for the post's coin (or stock), formatted the way people type prices. */
    price(ctx) {
        const r = this.rng;
        const ticker = ctx.raw.get('coin') ?? ctx.raw.get('stock') ?? r.zipf(COINS);
        const [lo, hi] = PRICE_RANGES[ticker] ?? [1, 100];
        const v = lo + (hi - lo) * r.next();
        if (v >= 10_000)
            return r.chance(0.3) ? `${Math.round(v / 1000)}k` : `$${Math.round(v).toLocaleString('en-US')}`;
        if (v >= 1_000)
            return r.chance(0.4) ? `$${(v / 1000).toFixed(1)}k` : `$${Math.round(v).toLocaleString('en-US')}`;
        if (v >= 20)
            return `$${Math.round(v)}`;
        if (v >= 1)
            return `$${v.toFixed(2)}`;
        if (v >= 0.01)
            return `$${v.toFixed(r.chance(0.5) ? 2 : 3)}`;
        return `$${v.toPrecision(3).replace(/0+$/, '')}`;
    }
    /** An amount of money that is not an asset price ("$1,200 gone"). */
    usd() {
        const r = this.rng;
        const v = r.chance(0.6) ? r.int(5, 300) : r.int(300, 25_000);
        return `$${v.toLocaleString('en-US')}`;
    }
    /** Picks for `key` from `items`, avoiding the value already picked for its sibling (`x` vs `x2`). */
    rawPick(ctx, key, items, zipf) {
        const existing = ctx.raw.get(key);
        if (existing !== undefined)
            return existing;
        const sibling = ctx.raw.get(key.endsWith('2') ? key.slice(0, -1) : key + '2');
        let v = zipf ? this.rng.zipf(items) : this.rng.pick(items);
        for (let i = 0; i < 10 && v === sibling; i++)
            v = zipf ? this.rng.zipf(items) : this.rng.pick(items);
        ctx.raw.set(key, v);
        return v;
    }
    link(topic) {
        const r = this.rng;
        const yt = () => Array.from({ length: 11 }, () => YT_CHARS[r.int(0, 63)]).join('');
        const mm = String(r.int(5, 6)).padStart(2, '0');
        const dd = String(r.int(1, 28)).padStart(2, '0');
        const slug = (t = topic) => r.pick(SLUGS[t]);
        const generic = [
            () => 'https://www.example.com/path?x=1',
            () => `https://example.com/blog/${slug()}`,
            () => `https://www.youtube.com/watch?v=${yt()}`,
            () => `https://youtu.be/${yt()}`,
            () => `https://youtube.com/shorts/${yt()}?feature=share`,
            () => `https://blog.example.org:8443/posts/${r.int(1, 400)}`,
            () => `www.example.net/${slug()}`,
            () => `https://${r.pick(FIRST_NAMES)}.substack.com/p/${slug()}`,
        ];
        const byTopic = {
            crypto: [
                () => `https://www.coingecko.com/en/coins/${COIN_NAMES[r.zipf(COINS)]}`,
                () => `https://www.reuters.com/markets/${slug()}-2025-${mm}-${dd}/`,
                () => `https://www.bloomberg.com/news/articles/2025-${mm}-${dd}/${slug()}`,
                () => `https://finance.yahoo.com/quote/${r.zipf(STOCKS).toUpperCase()}/`,
            ],
            tech: [
                () => `https://github.com/${r.pick(GITHUB_REPOS)}`,
                () => `https://github.com/${r.pick(GITHUB_REPOS)}/pull/${r.int(10, 9999)}`,
                () => `https://github.com/${r.pick(GITHUB_REPOS)}/issues/${r.int(10, 9999)}#issuecomment-${r.int(2000000000, 2999999999)}`,
                () => `https://news.ycombinator.com/item?id=${r.int(40000000, 45999999)}`,
                () => `https://arxiv.org/abs/25${String(r.int(1, 6)).padStart(2, '0')}.${r.int(10000, 19999)}`,
                () => `https://arstechnica.com/ai/2025/${mm}/${slug()}/`,
                () => `https://www.theverge.com/2025/${mm}/${dd}/${slug()}`,
                () => `https://docs.rs/tokio/latest/tokio/`,
                () => `http://localhost:3000/debug?trace=1`,
            ],
            sports: [
                () => `https://www.espn.com/nba/story/_/id/${r.int(40000000, 45000000)}/${slug()}`,
                () => `https://www.bbc.co.uk/sport/football/${r.int(60000000, 69999999)}`,
                () => `www.theathletic.com/${r.int(5000000, 6999999)}/2025/${mm}/${dd}/${slug()}/`,
            ],
            news: [
                () => `https://www.nytimes.com/2025/${mm}/${dd}/${r.pick(['us', 'world', 'business', 'climate'])}/${slug()}.html`,
                () => `https://apnews.com/article/${slug()}-${randomB32(r, 8)}`,
                () => `https://www.theguardian.com/world/2025/${mm}/${dd}/${slug()}`,
                () => `https://www.bbc.com/news/articles/c${randomB32(r, 10)}o`,
                () => `https://www.reuters.com/world/${slug()}-2025-${mm}-${dd}/`,
                () => `https://www.npr.org/2025/${mm}/${dd}/${r.int(1000000000, 1299999999)}/${slug()}`,
            ],
            life: [
                () => `https://www.instagram.com/p/${yt()}/`,
                () => `https://cooking.nytimes.com/recipes/${r.int(1000000, 1029999)}-${slug()}`,
            ],
            culture: [
                () => `https://letterboxd.com/film/${slugify(r.pick(MEDIA))}/`,
                () => `https://open.spotify.com/track/${yt()}${yt()}`,
                () => `https://bookshop.org/p/books/${slugify(r.pick(BOOKS))}/${r.int(100000, 999999)}`,
            ],
        };
        return r.pick(r.chance(0.3) ? generic : byTopic[topic])();
    }
    mention(self) {
        const r = this.rng;
        if (r.chance(0.1))
            return '@' + r.pick(FAMOUS_HANDLES);
        let i = r.int(0, this.authors.length - 1);
        if (i === self)
            i = (i + 1) % this.authors.length;
        return '@' + this.authors[i].handle;
    }
    slot(key, ctx) {
        if (key.startsWith('>'))
            return this.fill(this.rng.pick(PARTS[key.slice(1)]), ctx);
        const memo = ctx.memo.get(key);
        if (memo !== undefined)
            return memo;
        const v = this.computeSlot(key, ctx);
        ctx.memo.set(key, v);
        return v;
    }
    computeSlot(key, ctx) {
        const r = this.rng;
        const base = key.endsWith('2') ? key.slice(0, -1) : key;
        switch (base) {
            case 'coin': {
                const c = this.rawPick(ctx, key, COINS, true);
                ctx.tags.push(c === 'btc' ? 'bitcoin' : 'crypto');
                return '$' + (ctx.upperTickers ? c.toUpperCase() : c);
            }
            case 'Coin':
                return '$' + this.rawPick(ctx, 'coin', COINS, true).toUpperCase();
            case 'coinName':
                return COIN_NAMES[this.rawPick(ctx, 'coin', COINS, true)];
            case 'stock': {
                const s = this.rawPick(ctx, key, STOCKS, true);
                ctx.tags.push('stocks');
                return '$' + (ctx.upperTickers ? s.toUpperCase() : s);
            }
            case 'stockName':
                return STOCK_NAMES[this.rawPick(ctx, 'stock', STOCKS, true)];
            case 'price':
                return this.price(ctx);
            case 'usd':
                return this.usd();
            case 'theTeam': {
                const team = this.team(ctx, key === 'theTeam2' ? 'team2' : 'team');
                return NO_ARTICLE_LEAGUES.has(TEAM_LEAGUE[team]) ? team : `the ${team}`;
            }
            case 'team':
                return this.team(ctx, key);
            case 'role': {
                // Roles follow the post's team (picking it now if the role comes first in the template).
                const league = TEAM_LEAGUE[ctx.raw.get('team') ?? ctx.raw.get('team2') ?? this.team(ctx, 'team')];
                return r.pick(LEAGUE_ROLES[NO_ARTICLE_LEAGUES.has(league) ? 'football' : league]);
            }
            case 'pct':
                return `${r.chance(0.5) ? r.int(1, 40) : `${r.int(0, 9)}.${r.int(1, 9)}`}%`;
            case 'n':
                return String(r.int(2, 40));
            case 'big':
                return String(r.int(50, 20000));
            case 'km':
                return String(r.int(3, 42));
            case 'mins':
                return String(r.int(4, 55));
            case 'hours':
                return String(r.int(2, 60));
            case 'bighours':
                return String(r.int(80, 900));
            case 'week':
                return String(r.int(2, 40));
            case 'games':
                return String(r.int(4, 7));
            case 'thread':
                return String(r.int(3, 12));
            case 'min5k':
                return String(r.int(18, 34));
            case 'sec':
                return String(r.int(0, 59)).padStart(2, '0');
            case 'score':
                return `${r.int(0, 5)}-${r.int(0, 5)}`;
            case 'emoji':
                return r.pick(EMOJI[ctx.topic]);
            case 'tag':
                return r.zipf(TOPIC_TAGS[ctx.topic]);
            case 'email':
                return `${r.pick(FIRST_NAMES)}@${r.pick(['example.com', 'proton.me', 'fastmail.com', 'gmail.com'])}`;
            case 'mention':
                return this.mention(ctx.self);
            case 'link':
                return this.link(ctx.topic);
            default: {
                const items = SIMPLE_SLOTS[base];
                if (items === undefined)
                    return key;
                const v = this.rawPick(ctx, key, items, false);
                if (base === 'lang')
                    ctx.tags.push(LANG_TAGS[v]);
                else if (base === 'db' && DB_TAGS[v])
                    ctx.tags.push(DB_TAGS[v]);
                else if (base === 'model')
                    ctx.tags.push(r.chance(0.5) ? 'ai' : 'llm');
                return v;
            }
        }
    }
    /** Picks a team for `key`; `team2` comes from the same league as `team` (and vice versa). */
    team(ctx, key) {
        const existing = ctx.raw.get(key);
        if (existing !== undefined)
            return existing;
        const sibling = ctx.raw.get(key === 'team' ? 'team2' : 'team');
        const pool = sibling === undefined ? TEAMS : TEAMS.filter((t) => t !== sibling && TEAM_LEAGUE[t] === TEAM_LEAGUE[sibling]);
        const team = this.rng.pick(pool.length > 0 ? pool : TEAMS);
        ctx.raw.set(key, team);
        if (sibling === undefined)
            ctx.tags.push(TEAM_LEAGUE[team]);
        return team;
    }
    fill(template, ctx) {
        return template.replace(/\{(>?\w+)\}/g, (_m, key) => this.slot(key, ctx));
    }
    /** 1–3 hashtags: the ones the content suggests first, then popular tags of the topic. */
    hashtags(ctx) {
        const r = this.rng;
        const k = ctx.topic === 'tech' ? r.weighted([[1, 5], [2, 3], [3, 1]]) : r.weighted([[1, 4], [2, 1]]);
        const tags = [];
        for (const t of r.shuffle([...new Set(ctx.tags)]))
            if (tags.length < k && r.chance(0.7))
                tags.push(t);
        let pool = TOPIC_TAGS[ctx.topic];
        if (ctx.topic === 'crypto' || ctx.topic === 'tech') {
            const coins = ctx.raw.has('coin') || ctx.raw.has('coin2');
            const stocks = ctx.raw.has('stock') || ctx.raw.has('stock2');
            if (coins && !stocks)
                pool = CRYPTO_TAGS;
            else if (stocks && !coins)
                pool = STOCK_TAGS;
        }
        else if (ctx.topic === 'sports' && ctx.tags.length > 0) {
            pool = ['sports', 'gameday'];
        }
        for (let i = 0; tags.length < k && i < 20; i++) {
            const t = r.zipf(pool);
            if (!tags.includes(t))
                tags.push(t);
        }
        return tags.map((t) => '#' + (r.chance(0.15) ? t.toLowerCase() : t));
    }
    pickTemplate(topic) {
        const list = this.rng.chance(0.1) ? GENERIC_TEMPLATES : TEMPLATES[topic];
        for (let i = 0; i < 8; i++) {
            const t = this.rng.pick(list);
            const uses = this.templateUses.get(t) ?? 0;
            if (uses < TEMPLATE_MAX_USES) {
                this.templateUses.set(t, uses + 1);
                return t;
            }
        }
        return undefined;
    }
    /** A normal short post: a (use-capped) template or a compositional sentence, then decorations. */
    post(topic, self) {
        const r = this.rng;
        const ctx = this.newCtx(topic, self);
        const template = r.chance(0.45) ? this.pickTemplate(topic) : undefined;
        let text;
        if (template !== undefined) {
            text = this.fill(template, ctx);
            if (r.chance(0.08) && !/^[\w ]{0,14}:/.test(text))
                text = r.pick(PREFIXES) + text;
        }
        else {
            const [open, core, close] = GRAMMAR[topic];
            text = this.fill(`{>${open}}{>${core}}{>${close}}`, ctx)
                .replace(/\s+/g, ' ')
                .replace(/([.?!])[.,](?=\s|$)/g, '$1')
                .trim();
            if (r.chance(0.35))
                text = text.charAt(0).toUpperCase() + text.slice(1);
        }
        if (r.chance(0.08))
            text += r.pick(SUFFIXES);
        const generic = template !== undefined && GENERIC_TEMPLATES.includes(template);
        const tagChance = generic ? 0 : topic === 'tech' ? 0.5 : topic === 'life' ? 0.12 : 0.25;
        if (!text.includes('#') && r.chance(tagChance))
            text += (r.chance(0.8) ? ' ' : '\n\n') + this.hashtags(ctx).join(' ');
        if (!text.includes('@') && r.chance(0.07))
            text += r.pick([' cc ', ' h/t ', ' via ']) + this.mention(self);
        if (!/https?:|www\./.test(text) && r.chance(topic === 'news' ? 0.35 : topic === 'life' ? 0.05 : 0.12)) {
            text += (r.chance(0.75) ? ' ' : '\n') + this.link(topic);
        }
        if (r.chance(0.015))
            text = text.toUpperCase().replace(/(HTTPS?:\/\/|WWW\.)\S+/g, (u) => u.toLowerCase());
        return text;
    }
    /** A long post close to the 300-char limit. */
    long(topic, self) {
        const r = this.rng;
        const ctx = this.newCtx(topic, self);
        const parts = LONG[topic];
        let text = this.fill(r.pick(parts.open), ctx);
        const close = this.fill(r.pick(parts.close), ctx);
        const budget = MAX_POST_CODEPOINTS - [...close].length - 1;
        for (const m of r.shuffle([...parts.middle])) {
            const candidate = `${text} ${this.fill(m, ctx)}`;
            if ([...candidate].length > budget)
                continue;
            text = candidate;
        }
        text = `${text} ${close}`;
        if (r.chance(0.4)) {
            const tail = r.chance(0.5) ? ' ' + this.hashtags(ctx).join(' ') : '\n' + this.link(topic);
            if ([...text].length + [...tail].length <= MAX_POST_CODEPOINTS)
                text += tail;
        }
        return text;
    }
}
// ---------------------------------------------------------------------------------------------
// Events.
export function generateSample(opts) {
    const count = Math.max(0, Math.floor(opts.count));
    const rng = new Rng(opts.seed);
    const authors = makeAuthors(rng);
    const sequence = authorSequence(rng, count);
    const gen = new TextGen(rng, authors);
    const paraphrases = rng.shuffle(PARAPHRASE_GROUPS.flat());
    const usedTexts = new Set();
    const usedTids = new Set();
    const lines = [];
    let timeUs = Math.floor(opts.startTimeUs);
    let seq = 5_200_000_000 + rng.int(0, 99_999_999);
    const newTid = (us) => {
        for (;;) {
            const t = tid(us, rng.int(0, 1023));
            if (!usedTids.has(t)) {
                usedTids.add(t);
                return t;
            }
        }
    };
    const pastTid = (us, minAgoUs, maxAgoUs) => tid(us - rng.int(minAgoUs, maxAgoUs), rng.int(0, 1023));
    for (let i = 0; i < count; i++) {
        if (i > 0)
            timeUs += rng.int(1_000, 400_000); // 1–400 ms between events
        const authorIndex = sequence[i];
        const author = authors[authorIndex];
        const rev = newTid(timeUs - rng.int(50, 5_000));
        if (i > 0 && rng.chance(NON_POST_RATE)) {
            const kind = rng.weighted([['identity', 25], ['account', 15], ['delete', 35], ['like', 25]]);
            seq += rng.int(1, 4000);
            const time = isoFromUs(timeUs - rng.int(100_000, 900_000));
            let event;
            if (kind === 'identity') {
                event = { did: author.did, time_us: timeUs, kind, identity: { did: author.did, handle: author.handle, seq, time } };
            }
            else if (kind === 'account') {
                event = { did: author.did, time_us: timeUs, kind, account: { active: true, did: author.did, seq, time } };
            }
            else if (kind === 'delete') {
                const rkey = author.posts.length > 0 && rng.chance(0.7)
                    ? rng.pick(author.posts).rkey
                    : pastTid(timeUs, 3_600_000_000, 90 * 86_400_000_000);
                event = { did: author.did, time_us: timeUs, kind: 'commit', commit: { rev, operation: 'delete', collection: 'app.bsky.feed.post', rkey } };
            }
            else {
                const target = authors[rng.int(0, authors.length - 1)];
                const liked = target.posts.length > 0
                    ? rng.pick(target.posts)
                    : { rkey: pastTid(timeUs, 60_000_000, 86_400_000_000), cid: cid(rng) };
                event = {
                    did: author.did,
                    time_us: timeUs,
                    kind: 'commit',
                    commit: {
                        rev,
                        operation: 'create',
                        collection: 'app.bsky.feed.like',
                        rkey: newTid(timeUs - rng.int(100, 800_000)),
                        record: {
                            $type: 'app.bsky.feed.like',
                            createdAt: isoFromUs(timeUs),
                            subject: { cid: liked.cid, uri: `at://${target.did}/app.bsky.feed.post/${liked.rkey}` },
                        },
                        cid: cid(rng),
                    },
                };
            }
            lines.push(JSON.stringify(event));
            continue;
        }
        const topic = rng.chance(0.65) ? author.topic : rng.weighted(TOPIC_WEIGHTS);
        let text = '';
        if (paraphrases.length > 0 && rng.chance(PARAPHRASE_RATE)) {
            text = paraphrases.pop();
        }
        else {
            const long = rng.chance(LONG_POST_RATE);
            for (let attempt = 0; attempt < 50; attempt++) {
                text = long ? gen.long(topic, authorIndex) : gen.post(topic, authorIndex);
                if (!usedTexts.has(text) && [...text].length <= MAX_POST_CODEPOINTS)
                    break;
            }
        }
        usedTexts.add(text);
        const rkey = newTid(timeUs - rng.int(100, 800_000));
        const recordCid = cid(rng);
        author.posts.push({ rkey, cid: recordCid });
        lines.push(JSON.stringify({
            did: author.did,
            time_us: timeUs,
            kind: 'commit',
            commit: {
                rev,
                operation: 'create',
                collection: 'app.bsky.feed.post',
                rkey,
                record: { $type: 'app.bsky.feed.post', createdAt: isoFromUs(timeUs), langs: ['en'], text },
                cid: recordCid,
            },
        }));
    }
    return lines;
}
// ---------------------------------------------------------------------------------------------
// CLI.
function parseArgs(argv) {
    const args = { count: DEFAULT_COUNT, seed: DEFAULT_SEED, out: DEFAULT_OUT, startTimeUs: DEFAULT_START_TIME_US };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
        const value = () => {
            const v = inline ?? argv[++i];
            if (v === undefined)
                throw new Error(`missing value for ${name}`);
            return v;
        };
        const int = (v) => {
            const n = Number(v);
            if (!Number.isSafeInteger(n) || n < 0)
                throw new Error(`${name} expects a non-negative integer, got "${v}"`);
            return n;
        };
        switch (name) {
            case '--count':
                args.count = int(value());
                break;
            case '--seed':
                args.seed = int(value());
                break;
            case '--out':
                args.out = value();
                break;
            case '--start-time-us':
                args.startTimeUs = int(value());
                break;
            case '-h':
            case '--help':
                process.stdout.write('usage: node dist/scripts/generate-sample.js [--count 3000] [--seed 42] [--out data/sample-posts.ndjson] [--start-time-us N]\n');
                process.exit(0);
                break;
            default:
                throw new Error(`unknown argument: ${flag}`);
        }
    }
    return args;
}
function main() {
    const args = parseArgs(process.argv.slice(2));
    const lines = generateSample({ count: args.count, seed: args.seed, startTimeUs: args.startTimeUs });
    const out = resolve(args.out);
    mkdirSync(dirname(out), { recursive: true });
    const body = lines.length > 0 ? lines.join('\n') + '\n' : '';
    writeFileSync(out, body);
    process.stdout.write(`wrote ${lines.length} events (${Buffer.byteLength(body)} bytes) to ${out}\n`);
}
function isMain() {
    const entry = process.argv[1];
    if (entry === undefined)
        return false;
    try {
        return import.meta.url === pathToFileURL(realpathSync(entry)).href;
    }
    catch {
        return false;
    }
}
if (isMain()) {
    try {
        main();
    }
    catch (err) {
        process.stderr.write(`generate-sample: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    }
}
//# sourceMappingURL=generate-sample.js.map