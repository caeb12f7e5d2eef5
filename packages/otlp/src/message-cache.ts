import { writeResource, writeScope } from './protobuf-common.js';
import { ProtobufWriter } from './protobuf-writer.js';
import type { OtlpResource, OtlpScope } from './readable.js';

/**
 * The encoded `Resource` and `InstrumentationScope` messages, kept per object (a `WeakMap`, so a
 * resource or scope that is no longer used goes away with its bytes): a service has one resource
 * and a few scopes, so after the first batch each is copied in, never encoded again. A resource
 * still waiting for asynchronous attributes is encoded each time, as its attributes may change.
 */
export class ProtobufMessageCache {
  private readonly resources = new WeakMap<OtlpResource, Buffer>();
  private readonly scopes = new WeakMap<OtlpScope, Buffer>();
  private readonly scratch = new ProtobufWriter(1024);

  resource(resource: OtlpResource): Buffer {
    let bytes = this.resources.get(resource);
    if (bytes === undefined) {
      this.scratch.reset();
      writeResource(this.scratch, resource);
      bytes = this.scratch.copy();
      if (resource.asyncAttributesPending !== true) this.resources.set(resource, bytes);
    }
    return bytes;
  }

  scope(scope: OtlpScope): Buffer {
    let bytes = this.scopes.get(scope);
    if (bytes === undefined) {
      this.scratch.reset();
      writeScope(this.scratch, scope);
      bytes = this.scratch.copy();
      this.scopes.set(scope, bytes);
    }
    return bytes;
  }
}
