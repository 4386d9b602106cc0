import OpenAI from 'openai';

/*
 * Embeddings of knowledge chunks and messages, from the same OpenAI-compatible endpoint as the
 * chat model (FLOWLINE_EMBEDDINGS_MODEL names the model; unset, there is no embedder and
 * retrieval is full-text only). Vectors are L2-normalised here, so a dot product is a cosine.
 */
export interface Embedder {
  model: string;
  /** One vector per text, in order (several requests for many texts). */
  embed(texts: string[]): Promise<number[][]>;
  /** Where a failed call is reported: callers carry on without embeddings, so nobody else sees it. */
  warn(err: unknown, message: string): void;
}

export interface EmbedderSettings {
  baseURL: string;
  apiKey: string;
  timeoutMs: number;
  model: string;
  log: { warn(obj: object, msg: string): void };
}

/** Inputs per request: OpenAI takes up to 2048, smaller batches keep each request quick. */
export const EMBED_BATCH = 128;

export function normalise(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

/** The embedder FLOWLINE_EMBEDDINGS_MODEL asks for, on the chat model's endpoint; none when unset. */
export function embedderFromEnv(
  env: { FLOWLINE_EMBEDDINGS_MODEL?: string; OPENAI_BASE_URL: string; OPENAI_API_KEY?: string; LLM_TIMEOUT_MS: number },
  log: EmbedderSettings['log'],
): Embedder | undefined {
  if (!env.FLOWLINE_EMBEDDINGS_MODEL) return undefined;
  return openAiEmbedder({ baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY ?? 'not-configured', timeoutMs: env.LLM_TIMEOUT_MS, model: env.FLOWLINE_EMBEDDINGS_MODEL, log });
}

export function openAiEmbedder(settings: EmbedderSettings): Embedder {
  // Retries belong to the caller (an activity's retry policy, a person's second click).
  const client = new OpenAI({ baseURL: settings.baseURL, apiKey: settings.apiKey, maxRetries: 0, timeout: settings.timeoutMs });
  return {
    model: settings.model,
    async embed(texts) {
      const vectors: number[][] = [];
      for (let i = 0; i < texts.length; i += EMBED_BATCH) {
        const batch = texts.slice(i, i + EMBED_BATCH);
        const res = await client.embeddings.create({ model: settings.model, input: batch });
        if (res.data.length !== batch.length) throw new Error(`the embeddings endpoint answered ${res.data.length} vectors for ${batch.length} texts`);
        for (const item of [...res.data].sort((a, b) => a.index - b.index)) vectors.push(normalise(item.embedding));
      }
      return vectors;
    },
    warn(err, message) {
      settings.log.warn({ err, model: settings.model }, message);
    },
  };
}
