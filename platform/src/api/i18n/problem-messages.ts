import type { ApiLanguage } from './accept-language.js';
import { localizeMappingProblems } from './mapping-problem-messages.js';
import { OPERATION_MESSAGES } from './operation-problem-messages.js';

/** Facts a sentence may name: the error's details plus the request's method and path. */
export type MessageParams = Record<string, unknown>;

/** Writes the sentence, or returns undefined when a fact it needs is missing. */
type Sentence = (params: MessageParams) => string | undefined;

/**
 * Sentences of one error code. English is only listed where the catalogue is the source of the
 * message (the request validator's codes), because the English message raised with an error
 * names the value and the fix more precisely than a shared sentence could.
 */
interface CatalogueEntry {
  en?: Sentence;
  'pt-BR': Sentence;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function withField(params: MessageParams, write: (field: string) => string): string | undefined {
  const field = text(params.field);
  return field === undefined ? undefined : write(field);
}

function countProblems(params: MessageParams): number {
  return Array.isArray(params.problems) ? params.problems.length : 0;
}

const CATALOGUE: Record<string, CatalogueEntry> = {
  REQUEST_INVALID: {
    en: (params) => {
      const count = Number(params.count ?? 0);
      const more = count > 1 ? ` ${count - 1} more problem${count > 2 ? 's are' : ' is'} listed in "errors".` : '';
      return `The request body does not match this operation's schema: ${String(params.first)}${more}`;
    },
    'pt-BR': (params) => {
      const count = Number(params.count ?? 0);
      const more = count > 1 ? ` Há mais ${count - 1} problema${count > 2 ? 's' : ''} em "errors".` : '';
      return `O corpo da requisição não segue o esquema desta operação: ${String(params.first)}${more}`;
    },
  },
  AUTHENTICATION_REQUIRED: {
    'pt-BR': () => 'Envie uma chave de API no cabeçalho "Authorization: Bearer <chave>", ou entre pelo studio.',
  },
  AUTHENTICATION_INVALID: {
    'pt-BR': () => 'A chave de API é desconhecida ou foi revogada, ou o cabeçalho Authorization não tem a forma "Bearer <chave>".',
  },
  PERMISSION_DENIED: {
    'pt-BR': (params) => {
      const permission = text(params.permission);
      return permission ? `Esta chave ou usuário não tem a permissão ${permission}, que esta operação exige.` : 'Esta chave ou usuário não tem a permissão que esta operação exige.';
    },
  },
  LOGIN_FAILED: {
    'pt-BR': () => 'E-mail ou senha incorretos.',
  },
  CSRF_TOKEN_INVALID: {
    'pt-BR': () => 'Envie o cabeçalho x-csrf-token com o csrfToken da sessão; ele vem na resposta de GET /v1/session.',
  },
  ROUTE_NOT_FOUND: {
    'pt-BR': (params) => `Nenhuma rota corresponde a ${String(params.method)} ${String(params.path)}; a referência em /v1/docs lista as rotas.`,
  },
  INTERNAL_ERROR: {
    'pt-BR': () => 'A plataforma falhou de forma inesperada; o log tem os detalhes com este requestId.',
  },
  BODY_INVALID_JSON: {
    'pt-BR': () => 'O corpo da requisição não é um JSON válido.',
  },
  BODY_INVALID: {
    'pt-BR': () => 'O corpo da requisição deve ser um objeto JSON.',
  },
  BODY_TOO_LARGE: {
    'pt-BR': (params) => (params.maxBytes === undefined ? 'O corpo da requisição é grande demais.' : `O corpo da requisição passa de ${String(params.maxBytes)} bytes.`),
  },
  CONTENT_TYPE_UNSUPPORTED: {
    'pt-BR': () => 'Envie o corpo como JSON, com o cabeçalho "Content-Type: application/json".',
  },
  FIELD_REQUIRED: {
    'pt-BR': (params) => withField(params, (field) => `${field} é obrigatório.`),
  },
  FIELD_INVALID: {
    'pt-BR': (params) => withField(params, (field) => `O valor de ${field} é inválido; a referência em /v1/docs descreve os valores aceitos.`),
  },
  FIELD_UNKNOWN: {
    'pt-BR': (params) => withField(params, (field) => `${field} não é um campo desta requisição; a referência em /v1/docs lista os campos aceitos.`),
  },
  QUERY_PARAMETER_UNKNOWN: {
    'pt-BR': (params) => withField(params, (field) => `${field} não é um parâmetro de consulta desta operação; a referência em /v1/docs lista os aceitos.`),
  },
  WRITE_REQUEST_INVALID: {
    'pt-BR': (params) => {
      const count = countProblems(params);
      return withField(params, (field) => `A requisição de escrita tem ${count} problema${count === 1 ? '' : 's'}, listado${count === 1 ? '' : 's'} em "problems"; o primeiro está em ${field}. Nada foi gravado.`);
    },
  },
  CREDENTIALS_INVALID: {
    'pt-BR': (params) => withField(params, (field) => `${field} é inválido: as credenciais são um objeto JSON de nomes para textos, como {"accessToken": "…"}.`),
  },
  CONNECTION_CONFIG_INVALID: {
    'pt-BR': () => 'A configuração da conexão é inválida; cada problema está em "problems".',
  },
  CONNECTION_TEST_FAILED: {
    'pt-BR': () => 'O teste da conexão falhou no provedor; confira as credenciais e tente de novo. Nada foi salvo.',
  },
  CONNECTOR_NOT_FOUND: {
    'pt-BR': () => 'Nenhum conector com esse nome está instalado; GET /v1/integrations lista os instalados.',
  },
  INTEGRATION_NOT_FOUND: {
    'pt-BR': () => 'Este workspace não tem essa conexão; conecte-a antes com POST /v1/integrations/{id}/connect.',
  },
  SYNC_RUN_NOT_FOUND: {
    'pt-BR': () => 'Esta conexão não tem essa execução de sincronização; GET .../sync/status lista as recentes.',
  },
  EVENT_SUBSCRIPTION_NOT_FOUND: {
    'pt-BR': () => 'Este workspace não tem essa assinatura de eventos; GET /v1/webhooks lista as assinaturas.',
  },
  WEBHOOK_EVENT_NOT_FOUND: {
    'pt-BR': () => 'Esta conexão não tem esse evento de webhook; GET .../webhooks/logs lista os eventos.',
  },
  OBJECT_NOT_FOUND: {
    'pt-BR': (params) => {
      const objects = Array.isArray(params.objects) ? params.objects.filter((entry): entry is string => typeof entry === 'string') : [];
      if (objects.length === 0) return 'O conector não tem esse objeto; confira o nome do objeto no manifesto do conector.';
      return `O conector não tem esse objeto; os objetos dele são ${objects.map((entry) => `"${entry}"`).join(', ')}.`;
    },
  },
  OBJECT_NOT_READABLE: {
    'pt-BR': () => 'Esse objeto não tem operação get, então não dá para ler um registro dele no provedor; liste os registros guardados com GET /v1/records.',
  },
  RECORD_NOT_FOUND: {
    'pt-BR': (params) => {
      const provider = text(params.provider) ?? 'O provedor';
      const object = text(params.object);
      const externalId = text(params.externalId);
      if (object === undefined || externalId === undefined) return `${provider} não tem esse registro.`;
      return `${provider} não tem registro de ${object} com id "${externalId}".`;
    },
  },
  ACTION_NOT_FOUND: {
    'pt-BR': () => 'O conector não tem essa ação; GET /v1/integrations/{id}/actions lista as ações.',
  },
  ACTION_INPUT_INVALID: {
    'pt-BR': () => 'A entrada da ação é inválida; GET /v1/integrations/{id}/actions mostra o esquema de entrada de cada ação.',
  },
  API_KEY_NAME_INVALID: {
    'pt-BR': () => 'O nome da chave de API está vazio; dê à chave o nome da pessoa ou do sistema que a usa.',
  },
  API_KEY_NOT_FOUND: {
    'pt-BR': () => 'Este workspace não tem essa chave de API; GET /v1/api-keys lista as chaves.',
  },
  API_KEY_SCOPES_INVALID: {
    'pt-BR': () => 'Os escopos da chave de API devem ser uma lista de textos não vazios.',
  },
  CONNECTION_AMBIGUOUS: {
    'pt-BR': () => 'Este workspace tem mais de uma conexão com esse conector; use o id da conexão no lugar do nome do conector.',
  },
  CONNECTION_DISCONNECTED: {
    'pt-BR': () => 'A conexão está desconectada; conecte-a de novo com POST /v1/integrations/{id}/connect.',
  },
  CONNECTION_NAME_INVALID: {
    'pt-BR': () => 'O nome da conexão está vazio; dê um nome à conexão.',
  },
  CONNECTOR_INVALID: {
    'pt-BR': () => 'O conector não foi carregado porque o manifesto é inválido; rode `npx lumio-connector validate` na pasta dele para ver por quê.',
  },
  CREDENTIALS_MISSING: {
    'pt-BR': () => 'A conexão não tem credenciais guardadas; conecte-a de novo.',
  },
  INVALID_CURSOR: {
    'pt-BR': () => 'O cursor é inválido; envie o nextCursor de uma página anterior, ou nenhum cursor para a primeira página.',
  },
  INVALID_LIMIT: {
    'pt-BR': () => 'O limit está fora do intervalo aceito; a referência em /v1/docs mostra o máximo de cada lista.',
  },
  INVALID_TIMESTAMP: {
    'pt-BR': () => 'A data não está no formato ISO 8601; envie uma data como 2024-05-01T12:00:00Z.',
  },
  LOGIN_RATE_LIMITED: {
    'pt-BR': (params) => (params.retryAfterSeconds === undefined ? undefined : `Houve tentativas de login falhas demais para este email ou endereço; tente de novo em ${String(params.retryAfterSeconds)} segundos.`),
  },
  MAPPING_NOT_FOUND: {
    'pt-BR': () => 'A conexão ainda não tem mapeamento de campos para esse objeto; salve um com PUT .../field-mappings/{objeto}.',
  },
  MAPPING_VERSION_NOT_FOUND: {
    'pt-BR': () => 'O mapeamento de campos não tem essa versão; GET .../field-mappings/{objeto}/versions lista as versões.',
  },
  MAPPING_DEFAULT_NOT_FOUND: {
    'pt-BR': () => 'O conector não declara mapeamento padrão para esse objeto, então não há o que restaurar.',
  },
  SESSION_EXPIRED: {
    'pt-BR': () => 'A sessão do Studio expirou ou foi encerrada; entre de novo com POST /v1/session.',
  },
  USER_EMAIL_EXISTS: {
    'pt-BR': () => 'Já existe um usuário com esse email; escolha outro email ou exclua esse usuário antes.',
  },
  USER_NOT_FOUND: {
    'pt-BR': () => 'Este workspace não tem esse usuário; GET /v1/users lista os usuários.',
  },
  PASSWORD_TOO_SHORT: {
    'pt-BR': () => 'A senha é curta demais; use uma senha mais longa.',
  },
  PASSWORD_TOO_LONG: {
    'pt-BR': () => 'A senha é longa demais; use uma senha mais curta.',
  },
  WEBHOOKS_NOT_SUPPORTED: {
    'pt-BR': () => 'Este conector não recebe webhooks; o manifesto dele não declara nenhum.',
  },
  WRITE_NOT_FOUND: {
    'pt-BR': () => 'Este workspace não tem essa escrita; use o id devolvido por POST /v1/records.',
  },
  WRITE_BATCH_NOT_FOUND: {
    'pt-BR': () => 'Este workspace não tem esse lote de escritas; use o batchId devolvido por POST /v1/records.',
  },
  WRITEBACK_OBJECT_NOT_MAPPED: {
    'pt-BR': () => 'A conexão não tem mapeamento ativo que produza esse objeto canônico, então não há objeto do provedor para gravar.',
  },
  MAPPING_INVALID: {
    'pt-BR': (params) => {
      const problems = Array.isArray(params.problems) ? localizeMappingProblems(params.problems, 'pt-BR') : [];
      const first = problems[0] as { message?: unknown } | undefined;
      const more = problems.length > 1 ? ` (e mais ${problems.length - 1})` : '';
      const lead = typeof first?.message === 'string' ? `: ${first.message}${more}` : '.';
      return `O mapeamento de campos é inválido${lead} Cada problema está em "problems".`;
    },
  },
  MAPPING_VERSION_CONFLICT: {
    'pt-BR': () => 'O mapeamento mudou depois da versão enviada em baseVersion; leia a versão ativa e aplique a mudança sobre ela.',
  },
  ...OPERATION_MESSAGES,
};

/** A problem's `detail` and the language it is written in, for `Content-Language`. */
export interface LocalizedDetail {
  detail: string;
  language: ApiLanguage;
}

/**
 * Writes the problem's `detail` in `language`. English keeps the message raised with the
 * error, except for codes whose English sentence the catalogue writes. A code without a
 * sentence in the language, or missing a fact the sentence needs, keeps the English message.
 */
export function localizeDetail(code: string, language: ApiLanguage, params: MessageParams, englishDetail: string): LocalizedDetail {
  const sentence = CATALOGUE[code]?.[language];
  const detail = sentence?.(params);
  if (detail !== undefined) return { detail, language };
  return { detail: englishDetail, language: 'en' };
}
