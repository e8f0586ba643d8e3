import { toBinary, type DescFile, type DescMessage, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

/** Finds the .proto files behind the services a server offers, for reflection. */
export interface DescriptorIndex {
  /** Fully-qualified names of the services offered. */
  readonly serviceNames: readonly string[];
  /** The file with this name and everything it imports, serialized; undefined if unknown. */
  fileByName(name: string): Uint8Array[] | undefined;
  /** The file declaring a service, method, message, enum or extension, with its imports. */
  fileContainingSymbol(symbol: string): Uint8Array[] | undefined;
}

/**
 * Indexes the descriptors embedded in the generated code of the given
 * services (and, through their imports, every type they use), so that no
 * .proto file is needed at run time.
 */
export function createDescriptorIndex(services: readonly DescService[]): DescriptorIndex {
  const files = new Map<string, DescFile>();
  const symbols = new Map<string, DescFile>();
  const addMessage = (message: DescMessage) => {
    symbols.set(message.typeName, message.file);
    for (const nested of message.nestedMessages) addMessage(nested);
    for (const nested of message.nestedEnums) symbols.set(nested.typeName, message.file);
    for (const extension of message.nestedExtensions) symbols.set(extension.typeName, message.file);
  };
  const addFile = (file: DescFile) => {
    // Keyed by the name clients ask for and imports use ("a/b.proto"); DescFile.name has no ".proto".
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    for (const message of file.messages) addMessage(message);
    for (const anEnum of file.enums) symbols.set(anEnum.typeName, file);
    for (const extension of file.extensions) symbols.set(extension.typeName, file);
    for (const service of file.services) {
      symbols.set(service.typeName, file);
      for (const method of service.methods) symbols.set(`${service.typeName}.${method.name}`, file);
    }
    for (const dependency of file.dependencies) addFile(dependency);
  };
  for (const service of services) addFile(service.file);

  // The file first, then its imports, each once (clients resolve imports from the response).
  const withImports = (file: DescFile): Uint8Array[] => {
    const seen = new Set<string>();
    const out: Uint8Array[] = [];
    const visit = (f: DescFile) => {
      if (seen.has(f.name)) return;
      seen.add(f.name);
      out.push(toBinary(FileDescriptorProtoSchema, f.proto));
      for (const dependency of f.dependencies) visit(dependency);
    };
    visit(file);
    return out;
  };

  return {
    serviceNames: services.map((s) => s.typeName),
    fileByName: (name) => {
      const file = files.get(name);
      return file && withImports(file);
    },
    fileContainingSymbol: (symbol) => {
      const file = symbols.get(symbol.replace(/^\./, ""));
      return file && withImports(file);
    },
  };
}
