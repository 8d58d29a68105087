/**
 * One link of the embedding chain. A provider turns texts into unit-length vectors of a fixed
 * dimension; `id` names the model *and* its version, and is stored with every vector so that
 * vectors of different models are never compared.
 */
export interface EmbeddingProvider {
  /** Stable model id including version, e.g. `glove-100d@1`. */
  readonly id: string;
  readonly dims: number;
  /** Execution provider actually in use (`cpu`, `cuda`, `remote`). */
  readonly device: string;
  /** Returns one L2-normalised vector per input text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** How many of the text's tokens the model's vocabulary knows (vocabulary models only; absent = unknown). */
  knownTokens?(text: string): number;
  dispose(): Promise<void>;
}
