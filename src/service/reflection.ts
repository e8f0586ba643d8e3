import { Code, type ConnectRouter } from "@connectrpc/connect";
import * as v1 from "../../gen/ts/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../gen/ts/grpc/reflection/v1alpha/reflection_pb.js";
import type { DescriptorIndex } from "./descriptor-index.js";

type Request = v1.ServerReflectionRequest | v1alpha.ServerReflectionRequest;

/**
 * Registers gRPC server reflection, v1 and v1alpha (grpcurl and buf curl try
 * v1 first, older clients only know v1alpha), answered from the descriptors
 * embedded in the generated code.
 */
export function registerReflection(router: ConnectRouter, index: DescriptorIndex): void {
  router.service(v1.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) yield answer(index, request) as v1.ServerReflectionResponse;
    },
  });
  router.service(v1alpha.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) yield answer(index, request) as v1alpha.ServerReflectionResponse;
    },
  });
}

// Both versions share field names and numbers, so one plain init object serves either.
function answer(index: DescriptorIndex, request: Request) {
  const base = { validHost: request.host, originalRequest: request };
  const files = (found: Uint8Array[] | undefined, what: string) =>
    found === undefined
      ? { ...base, messageResponse: { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: `${what} not found` } } }
      : { ...base, messageResponse: { case: "fileDescriptorResponse", value: { fileDescriptorProto: found } } };
  const { messageRequest } = request;
  switch (messageRequest.case) {
    case "listServices":
      return {
        ...base,
        messageResponse: { case: "listServicesResponse", value: { service: index.serviceNames.map((name) => ({ name })) } },
      };
    case "fileByFilename":
      return files(index.fileByName(messageRequest.value), `file ${messageRequest.value}`);
    case "fileContainingSymbol":
      return files(index.fileContainingSymbol(messageRequest.value), `symbol ${messageRequest.value}`);
    case "allExtensionNumbersOfType":
      // None of the offered types is extended.
      return { ...base, messageResponse: { case: "allExtensionNumbersResponse", value: { baseTypeName: messageRequest.value, extensionNumber: [] } } };
    default:
      return {
        ...base,
        messageResponse: { case: "errorResponse", value: { errorCode: Code.Unimplemented, errorMessage: "not supported" } },
      };
  }
}
