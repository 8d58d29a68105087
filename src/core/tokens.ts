export const SIFT_CONFIG = Symbol('SIFT_CONFIG');
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
