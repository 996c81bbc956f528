export { MemoryReplica, type ReplicaRow } from './memory-replica.js';
