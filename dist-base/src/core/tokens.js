export const SIFT_CONFIG = Symbol('SIFT_CONFIG');
export const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');
//# sourceMappingURL=tokens.js.map