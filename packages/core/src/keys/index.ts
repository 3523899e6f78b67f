export { dataKeyProvider, kmsDataKeyProvider, localDataKeyProvider, type DataKeyProvider } from "./data-key-provider.ts";
export { seal, open } from "./seal.ts";
