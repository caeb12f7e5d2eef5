export { createResource } from './sdk-resource.js';
