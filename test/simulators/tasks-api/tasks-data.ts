/** A person a task names: its assignee or its customer contact. */
export interface TaskPerson {
  name: string;
  email: string;
  phone: string;
}

/** One task of the simulated sales task board, in the API's JSON shape. */
export interface Task {
  /** "task_0001", "task_0002", … */
  id: string;
  title: string;
  /** Board column, e.g. "Proposta enviada". */
  column: string;
  status: 'open' | 'done' | 'cancelled';
  /** Value of the deal the task works towards, in centavos. */
  value_cents: number;
  currency: 'BRL';
  /** Due date, YYYY-MM-DD. */
  due_on: string;
  assignee: TaskPerson;
  customer: TaskPerson;
  /** Account-specific fields, as a list of name and value pairs. */
  custom_fields: { name: string; value: string }[];
  archived: boolean;
  /** ISO 8601 with milliseconds, UTC. */
  created_at: string;
  updated_at: string;
}

export interface TaskSeedOptions {
  /** Tasks to generate. Default 25. */
  count?: number;
  /** Seed of the pseudo-random choices, so the same options give the same tasks. Default 1. */
  seed?: number;
}

/** Creation time of the first seeded task; later ones follow three hours apart. */
const FIRST_CREATED_AT = Date.parse('2025-03-03T09:00:00.000Z');
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Every twelfth seeded task is archived, so deletion flags appear in any list of 12 or more. */
const ARCHIVED_EVERY = 12;

const CUSTOMERS = [
  ['Padaria Pão Quente', 'paoquente'],
  ['Mercado São João', 'mercadosaojoao'],
  ['Clínica Bem-Estar', 'clinicabemestar'],
  ['Oficina Três Irmãos', 'oficinatresirmaos'],
  ['Papelaria Aquarela', 'papelariaaquarela'],
  ['Restaurante Sabor Mineiro', 'sabormineiro'],
  ['Academia Movimento', 'academiamovimento'],
  ['Floricultura Ipê Amarelo', 'ipeamarelo'],
] as const;

const ASSIGNEES: readonly TaskPerson[] = [
  { name: 'Ana Souza', email: 'ana.souza@vendas.example.com', phone: '+55 11 98765-4321' },
  { name: 'Bruno Lima', email: 'Bruno.Lima@vendas.example.com', phone: '+55 21 99876-1234' },
  { name: 'Carla Dias', email: 'carla.dias@vendas.example.com', phone: '+55 31 97654-3210' },
];

const ACTIONS = ['Enviar proposta', 'Agendar demonstração', 'Negociar renovação', 'Cobrar retorno', 'Preparar contrato'];
const COLUMNS = ['Novo contato', 'Demonstração', 'Proposta enviada', 'Negociação', 'Fechamento'];
const SOURCES = ['indicação', 'site', 'evento', 'instagram'];
const PRIORITIES = ['alta', 'média', 'baixa'];

/** Generates the seeded tasks, the same ones for the same options. */
export function seedTasks(options: TaskSeedOptions = {}): Task[] {
  const random = createRandom(options.seed ?? 1);
  const count = options.count ?? 25;
  return Array.from({ length: count }, (_, index) => makeTask(index, random));
}

/** Formats epoch milliseconds as the API does: ISO 8601 with milliseconds, in UTC. */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function makeTask(index: number, random: () => number): Task {
  const [customerName, customerSlug] = pick(CUSTOMERS, random);
  const createdAt = FIRST_CREATED_AT + index * 3 * HOUR_MS;
  const updatedAt = createdAt + Math.floor(random() * 48) * HOUR_MS + Math.floor(random() * 60) * 60_000;
  const status = pickStatus(random());

  return {
    id: `task_${String(index + 1).padStart(4, '0')}`,
    title: `${pick(ACTIONS, random)} - ${customerName}`,
    column: pick(COLUMNS, random),
    status,
    value_cents: (50 + Math.floor(random() * 1950)) * 1000,
    currency: 'BRL',
    due_on: formatTime(createdAt + (7 + Math.floor(random() * 24)) * DAY_MS).slice(0, 10),
    assignee: { ...pick(ASSIGNEES, random) },
    customer: {
      name: customerName,
      email: `compras@${customerSlug}.example.com.br`,
      phone: `(11) 3${String(100 + Math.floor(random() * 900))}-${String(1000 + Math.floor(random() * 9000))}`,
    },
    custom_fields: [
      { name: 'origem', value: pick(SOURCES, random) },
      { name: 'prioridade', value: pick(PRIORITIES, random) },
    ],
    archived: index % ARCHIVED_EVERY === ARCHIVED_EVERY - 1,
    created_at: formatTime(createdAt),
    updated_at: formatTime(updatedAt),
  };
}

/** Picks a status from a number in [0, 1): 70 % open, 20 % done, 10 % cancelled. */
function pickStatus(roll: number): Task['status'] {
  if (roll < 0.7) return 'open';
  if (roll < 0.9) return 'done';
  return 'cancelled';
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** mulberry32: a small seeded generator of numbers in [0, 1), for data that must repeat exactly. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
