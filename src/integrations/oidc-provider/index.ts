/** oidc-provider on the session management service: the adapter, the provider binding and the connection. */
export { createServiceAdapter, type ServiceAdapterOptions } from "./adapter.js";
export { bindProviderToService, type ProviderBindingOptions } from "./provider-binding.js";
export { createServiceConnection, type ServiceConnection, type ServiceConnectionOptions } from "./service-connection.js";
export { createMemoryStore, type MemoryStoreOptions } from "./memory-store.js";
export { placeOf, type ModelPlace } from "./model-mapping.js";
