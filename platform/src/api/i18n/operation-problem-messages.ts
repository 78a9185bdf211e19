import type { MessageParams } from './problem-messages.js';

// Portuguese sentences of the errors that come from running a connection: provider
// responses, network failures, paused providers, deliveries and replays. Each sentence
// returns undefined when a fact it names is missing, and the English message is kept then.

type Sentence = (params: MessageParams) => string | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Quotes the provider's own message for after the status, or returns an empty string when it sent none. */
function quoteProviderMessage(params: MessageParams): string {
  const message = text(params.providerMessage);
  return message === undefined ? '' : `: "${message}"`;
}

export const OPERATION_MESSAGES: Record<string, { 'pt-BR': Sentence }> = {
  PROVIDER_AUTH_FAILED: {
    'pt-BR': (params) => {
      const status = count(params.providerStatus);
      if (status === undefined) return undefined;
      return `O provedor recusou as credenciais com HTTP ${status}${quoteProviderMessage(params)}. Confira se elas são válidas e têm os escopos necessários, e conecte de novo.`;
    },
  },
  PROVIDER_RATE_LIMITED: {
    'pt-BR': () => 'O provedor limitou as requisições (HTTP 429); tente de novo depois que o limite dele zerar.',
  },
  PROVIDER_REQUEST_FAILED: {
    'pt-BR': (params) => {
      const status = count(params.providerStatus);
      if (status === undefined) return undefined;
      const advice = status >= 500 ? 'tente de novo mais tarde' : 'confira os valores enviados';
      return `O provedor respondeu HTTP ${status}${quoteProviderMessage(params)}; ${advice}.`;
    },
  },
  PROVIDER_TIMEOUT: {
    'pt-BR': (params) => {
      const url = text(params.url);
      const timeoutMs = count(params.timeoutMs);
      if (url === undefined || timeoutMs === undefined) return undefined;
      return `A requisição a ${url} ficou ${timeoutMs} ms sem resposta; tente de novo mais tarde.`;
    },
  },
  PROVIDER_UNREACHABLE: {
    'pt-BR': (params) => {
      const url = text(params.url);
      if (url === undefined) return undefined;
      const cause = text(params.errorCode) ?? 'erro de rede';
      return `A requisição a ${url} falhou antes de chegar uma resposta (${cause}); confira se o provedor está acessível.`;
    },
  },
  PROVIDER_CIRCUIT_OPEN: {
    'pt-BR': (params) => {
      const connector = text(params.connector);
      const nextProbeAt = text(params.nextProbeAt);
      if (connector === undefined || nextProbeAt === undefined) return undefined;
      if (params.state === 'halfOpen') return `${connector} está falhando; uma requisição de teste está em andamento, e as demais esperam até ela dar certo.`;
      return `${connector} está falhando, então as requisições a ele estão pausadas até ${nextProbeAt}, quando uma requisição de teste passa.`;
    },
  },
  PROVIDER_RETRIES_EXHAUSTED: {
    'pt-BR': (params) => {
      const connector = text(params.connector);
      const operation = text(params.operation);
      if (connector === undefined || operation === undefined) return undefined;
      if (params.reason === 'budgetSpent') return `A requisição "${operation}" a ${connector} não foi repetida de novo porque o orçamento de novas tentativas desta execução acabou; rode de novo mais tarde.`;
      return `A requisição "${operation}" a ${connector} falhou em todas as tentativas; tente de novo mais tarde ou veja o status do provedor.`;
    },
  },
  HOST_NOT_ALLOWED: {
    'pt-BR': (params) => {
      const host = text(params.host);
      if (host === undefined) return undefined;
      return `A conexão não permite requisições ao host "${host}". Se ele for legítimo, acrescente-o em connection.allowedHosts no manifesto.`;
    },
  },
  DESTINATION_NOT_ALLOWED: {
    'pt-BR': (params) => {
      const host = text(params.host);
      if (host === undefined) return undefined;
      return `O host "${host}" é um endereço interno que as requisições dos conectores não podem alcançar; aponte a conexão para um host público.`;
    },
  },
  MAPPING_MISSING: {
    'pt-BR': () => 'Esta conexão não tem mapeamento de campos ativo para esse objeto; salve um no Studio ou com PUT /v1/integrations/{id}/field-mappings/{objeto}.',
  },
  WEBHOOK_EVENT_BUSY: {
    'pt-BR': () => 'Esse evento está sendo processado agora; reprocesse quando o processamento terminar.',
  },
  WEBHOOK_REPLAY_STATUS_INVALID: {
    'pt-BR': () => 'O reprocessamento em massa aceita só os status dead e failed; para outros eventos, passe a lista de ids.',
  },
  WEBHOOK_TEST_UNSUPPORTED: {
    'pt-BR': () => 'A plataforma não consegue montar uma entrega de teste para este conector; envie uma pelo próprio provedor.',
  },
  EVENT_DELIVERY_NOT_FOUND: {
    'pt-BR': () => 'Essa assinatura não tem essa entrega; GET /v1/webhooks/{id}/deliveries lista as entregas.',
  },
  EVENT_DELIVERY_BUSY: {
    'pt-BR': () => 'Essa entrega está sendo enviada agora; reenvie quando a tentativa terminar.',
  },
  EVENT_REPLAY_STATUS_INVALID: {
    'pt-BR': () => 'O reenvio em massa aceita só os status dead e failed; para outras entregas, passe a lista de ids.',
  },
  EVENT_SUBSCRIPTION_LIMIT: {
    'pt-BR': () => 'Este workspace já tem o máximo de assinaturas de eventos; apague uma antes de criar outra.',
  },
  EVENT_SUBSCRIPTION_HOST_UNRESOLVED: {
    'pt-BR': (params) => {
      const host = text(params.host);
      if (host === undefined) return undefined;
      return `O host "${host}" da url não foi encontrado no DNS; confira a grafia ou espere o registro DNS existir.`;
    },
  },
  API_KEY_INVALID: {
    'pt-BR': () => 'Uma chave de API escolhida precisa ter de 24 a 256 caracteres entre letras, dígitos, "-", "_", "." e "~".',
  },
  WORKSPACE_NOT_FOUND: {
    'pt-BR': () => 'Esse workspace não existe; crie-o antes.',
  },
};
