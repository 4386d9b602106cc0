-- Embeddings of knowledge chunks for hybrid retrieval (full-text fused with cosine similarity)
-- when FLOWLINE_EMBEDDINGS_MODEL is set. A plain real[] (pgvector is not available everywhere
-- Flowline's Postgres runs); vectors are L2-normalised before they are stored, so a dot product is
-- the cosine. The model is kept with each vector: vectors of different models do not compare,
-- and a chunk stored while the embeddings endpoint failed has neither (it is found by full text).
alter table public.knowledge_chunks
  add column embedding real[],
  add column embedding_model text,
  add constraint knowledge_chunks_embedding_pair check ((embedding is null) = (embedding_model is null)),
  add constraint knowledge_chunks_embedding_shape check (embedding is null or (array_ndims(embedding) = 1 and cardinality(embedding) > 0));
