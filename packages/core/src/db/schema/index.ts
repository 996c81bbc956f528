export * from './classes.js';
export * from './settings.js';
export * from './jobs.js';
export * from './materials.js';
export * from './chunks.js';
export * from './conversations.js';
export * from './lectures.js';
export * from './transcripts.js';
