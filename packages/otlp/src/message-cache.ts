import { OtlpJsonWriter } from './json-common.js';
import { CLOSE_BRACE, utf8 } from './json-writer.js';
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

const RESOURCE_ATTRIBUTES = utf8('{"attributes":');
const RESOURCE_REST = utf8(',"droppedAttributesCount":0');
const SCHEMA_URL = utf8(',"schemaUrl":');
const SCOPE_NAME = utf8('{"name":');
const SCOPE_VERSION = utf8(',"version":');
const SCOPE_ATTRIBUTES = utf8(',"attributes":');
const DROPPED_ATTRIBUTES = utf8(',"droppedAttributesCount":');

/**
 * The JSON `Resource` and `InstrumentationScope` objects, kept as bytes per object as the
 * protobuf ones are (see `ProtobufMessageCache`): a resource still waiting for asynchronous
 * attributes is written each time.
 */
export class JsonMessageCache {
  private readonly resources = new WeakMap<OtlpResource, Uint8Array>();
  private readonly scopes = new WeakMap<OtlpScope, Uint8Array>();
  private readonly scratch = new OtlpJsonWriter(1024);

  resource(resource: OtlpResource): Uint8Array {
    let json = this.resources.get(resource);
    if (json === undefined) {
      const w = this.scratch;
      w.reset();
      w.raw(RESOURCE_ATTRIBUTES);
      w.keyValues(resource.attributes);
      w.raw(RESOURCE_REST);
      if (resource.schemaUrl) w.field(SCHEMA_URL, resource.schemaUrl);
      w.byte(CLOSE_BRACE);
      json = new Uint8Array(w.view());
      if (resource.asyncAttributesPending !== true) this.resources.set(resource, json);
    }
    return json;
  }

  scope(scope: OtlpScope): Uint8Array {
    let json = this.scopes.get(scope);
    if (json === undefined) {
      const w = this.scratch;
      w.reset();
      w.raw(SCOPE_NAME);
      w.value(scope.name);
      w.field(SCOPE_VERSION, scope.version);
      if (scope.attributes && Object.keys(scope.attributes).length > 0) {
        w.raw(SCOPE_ATTRIBUTES);
        w.keyValues(scope.attributes);
        w.raw(DROPPED_ATTRIBUTES);
        w.value(scope.droppedAttributesCount ?? 0);
      }
      w.byte(CLOSE_BRACE);
      json = new Uint8Array(w.view());
      this.scopes.set(scope, json);
    }
    return json;
  }
}
