/** The breakers live in libs/resilience so remote embedding links and LLM links share one mechanism. */
export * from '../../libs/resilience/breakers.js';
