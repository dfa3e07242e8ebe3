// @scorefeed/client: live scores from ScoreFeed's hubs in a browser (or any JavaScript runtime with WebSocket).
// The contract's types (docs/wire-contract.md, docs/asyncapi.yaml), the client that follows topics and keeps every
// match in order across reconnects, the tracker with the contract's client rules, and the match clock.
export * from './contract.js';
export * from './connection.js';
export * from './tracker.js';
export * from './client.js';
export * from './clock.js';
export * from './tokens.js';
