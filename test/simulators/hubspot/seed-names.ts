// Word lists for seeded records. They mix Portuguese accents, other Latin scripts,
// apostrophes, quotes and emoji (one with a variation selector, one a ZWJ sequence)
// so that encoding bugs show up in tests.

export const FIRST_NAMES: readonly string[] = [
  'João', 'Conceição', 'Ângela', 'José', 'Maria', 'Ana', 'Luís', 'Inês', 'Gonçalo', 'Leonor',
  'Tomás', 'Beatriz', 'Rúben', 'Sofia', 'Zé 🚀', 'Mafalda', 'Sebastião', 'Margarida', 'Vítor', 'Íris',
  'Francisco', 'Matilde', 'Simão', 'Lúcia', 'André', 'Mónica', 'Estêvão', 'Graça', 'Ivo', 'Bárbara',
  'Emma', 'Liam', 'Olivia', 'Noah', 'Chloé', 'François', 'Zoë', 'Jürgen', 'Łukasz', 'Søren',
  'Åsa', 'Núria', 'Çağla', 'Siobhán', 'Thảo', 'Ayşe', 'Renée', 'Nicolás', 'Sol ☀️', 'Wei',
];

export const LAST_NAMES: readonly string[] = [
  'Conceição', 'Gonçalves', 'Fernandes', 'Magalhães', 'Simões', 'Araújo', 'Brandão', 'Gião', 'Guimarães', 'Estêvão',
  'Silva', 'Santos', 'Ferreira', 'Pereira', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'Jesus', 'Sousa',
  'Lopes', 'Marques', 'Ribeiro', 'Nóbrega', 'Assunção', 'da Silva', 'de Sá', 'Câmara', 'Loureiro', 'Falcão',
  'Smith', "O'Brien", 'Müller', 'Nguyễn', 'Dubois', 'García', 'Kowalczyk', 'Ødegård', 'Öztürk', 'Häkkinen',
];

export const JOB_TITLES: readonly string[] = [
  'Diretora de Operações', 'Engenheiro de Software', 'Gestor de Conta', 'Head of Sales', 'CEO',
  'Responsável de Marketing', 'Técnica de Suporte', 'Programadora 👩‍💻', 'Analista Financeiro', 'Office Manager',
  'Chefe de Compras', 'Consultor Sénior',
];

export const LIFECYCLE_STAGES: readonly string[] = [
  'subscriber', 'lead', 'lead', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer',
  'customer', 'evangelist', 'other',
];

/** City, state or region, country. */
export const LOCATIONS: readonly (readonly [string, string, string])[] = [
  ['Lisboa', 'Lisboa', 'Portugal'],
  ['Porto', 'Porto', 'Portugal'],
  ['Coimbra', 'Coimbra', 'Portugal'],
  ['Braga', 'Braga', 'Portugal'],
  ['Faro', 'Faro', 'Portugal'],
  ['Funchal', 'Madeira', 'Portugal'],
  ['Ponta Delgada', 'Açores', 'Portugal'],
  ['Évora', 'Évora', 'Portugal'],
  ['São Paulo', 'SP', 'Brazil'],
  ['Rio de Janeiro', 'RJ', 'Brazil'],
  ['Belo Horizonte', 'MG', 'Brazil'],
  ['Florianópolis', 'SC', 'Brazil'],
  ['Luanda', 'Luanda', 'Angola'],
  ['Maputo', 'Maputo', 'Mozambique'],
  ['Boston', 'MA', 'United States'],
  ['Berlin', 'Berlin', 'Germany'],
  ['Paris', 'Île-de-France', 'France'],
  ['Kraków', 'Małopolskie', 'Poland'],
];

export const COMPANY_PREFIXES: readonly string[] = [
  'Padaria', 'Vinhos', 'Construções', 'Têxteis', 'Conservas', 'Transportes', 'Farmácia', 'Livraria', 'Oficina',
  'Cerâmica', 'Café', 'Tecnologias', 'Seguros', 'Consultoria',
];

export const COMPANY_SUFFIXES: readonly string[] = ['Lda', 'S.A.', 'Unipessoal', 'Ltd', 'GmbH', '& Filhos', ''];

/** Company names used as they are, for hard cases: quotes, emoji and a leading accent. */
export const SPECIAL_COMPANY_NAMES: readonly string[] = [
  'Livraria "O Leitor"', 'Café Ângelo ☕', 'Açores Telecom', 'Óptica Ideal', 'Zé dos Frangos 🐔',
];

export const INDUSTRIES: readonly string[] = [
  'COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'RETAIL', 'FOOD_BEVERAGES', 'CONSTRUCTION', 'HOSPITAL_HEALTH_CARE',
  'TEXTILES', 'WINE_AND_SPIRITS', 'LOGISTICS_AND_SUPPLY_CHAIN', 'MARKETING_AND_ADVERTISING',
];

// HubSpot's default sales pipeline and its stage ids.
export const DEAL_STAGES: readonly string[] = [
  'appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent',
  'closedwon', 'closedlost',
];

export const DEAL_PRODUCTS: readonly string[] = [
  'Licença anual', 'Renovação', 'Implementação', 'Formação', 'Suporte premium', 'Expansão de equipa', 'Piloto',
];

/** Reserved domains (RFC 2606 and RFC 6761), so seeded addresses can never reach a real mailbox. */
export const EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.org', 'example.net', 'correio.example', 'empresa.example'];
