export const COUNTER_STORE = Symbol('COUNTER_STORE');
//# sourceMappingURL=tokens.js.map