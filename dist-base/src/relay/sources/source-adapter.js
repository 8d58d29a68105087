export {};
//# sourceMappingURL=source-adapter.js.map