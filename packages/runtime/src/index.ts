export { loadConfigOrExit, onShutdownSignal } from './process-lifecycle';
