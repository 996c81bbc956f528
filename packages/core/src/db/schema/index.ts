export * from './classes.js';
export * from './settings.js';
export * from './jobs.js';
