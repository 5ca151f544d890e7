import 'server-only';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { S3Store, type MetadataValue } from '@tus/s3-store';
import { Upload, type KvStore } from '@tus/server';
import type { S3Config } from '@/lib/core/config';
import { checkedKey, type BlobStore } from './types';

// An upload's .info object in the bucket is the one truth about it, so that
// any instance may continue an upload another one began: nothing is cached.
const noCache: KvStore<MetadataValue> = { get: async () => undefined, set: async () => undefined, delete: async () => undefined };

/**
 * tus's S3 store (multipart uploads, the .info object holding the upload's
 * length and multipart id, a .part object for a tail shorter than S3's
 * smallest part) with every key below the configured prefix. tus and the app
 * see the keys without it.
 */
class PrefixedS3Store extends S3Store {
  constructor(
    private readonly keyPrefix: string,
    options: ConstructorParameters<typeof S3Store>[0],
  ) {
    super(options);
  }

  private outer(upload: Upload): Upload {
    upload.id = upload.id.slice(this.keyPrefix.length);
    return upload;
  }

  override async create(upload: Upload): Promise<Upload> {
    const { id, size, offset, metadata } = upload;
    const made = await super.create(new Upload({ id: this.keyPrefix + id, size, offset, metadata }));
    upload.creation_date = made.creation_date;
    upload.storage = made.storage;
    return upload;
  }
  override async getUpload(id: string): Promise<Upload> {
    return this.outer(await super.getUpload(this.keyPrefix + id));
  }
  override write(src: Readable, id: string, offset: number): Promise<number> {
    return super.write(src, this.keyPrefix + id, offset);
  }
  override read(id: string): Promise<Readable> {
    return super.read(this.keyPrefix + id);
  }
  override remove(id: string): Promise<void> {
    return super.remove(this.keyPrefix + id);
  }
  override declareUploadLength(id: string, length: number): Promise<void> {
    return super.declareUploadLength(this.keyPrefix + id, length);
  }
}

const isNotFound = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err.name === 'NotFound' || err.name === 'NoSuchKey' || err.name === 'NoSuchUpload' || err.$metadata?.httpStatusCode === 404;
};

/** Blobs as objects in an S3-compatible bucket, below the configured prefix. */
export function s3BlobStore(cfg: S3Config): BlobStore {
  const clientConfig: S3ClientConfig = { region: cfg.region, endpoint: cfg.endpoint, forcePathStyle: cfg.forcePathStyle, credentials: cfg.credentials };
  const client = new S3Client(clientConfig);
  const Bucket = cfg.bucket;
  const full = (key: string) => cfg.prefix + key;

  /** Multipart uploads in progress keep their parts outside any listing (and on the bill) until aborted. */
  async function abortUploads(prefix: string) {
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (;;) {
      const page = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: prefix, KeyMarker, UploadIdMarker }));
      for (const u of page.Uploads ?? []) {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: u.Key, UploadId: u.UploadId })).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
      }
      if (!page.IsTruncated) return;
      KeyMarker = page.NextKeyMarker;
      UploadIdMarker = page.NextUploadIdMarker;
    }
  }

  return {
    kind: 's3',
    uploads: new PrefixedS3Store(cfg.prefix, { s3ClientConfig: { ...clientConfig, bucket: Bucket }, cache: noCache }),
    async size(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: full(checkedKey(key, 'key')) }));
        return head.ContentLength ?? null;
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
    async read(key) {
      try {
        const got = await client.send(new GetObjectCommand({ Bucket, Key: full(checkedKey(key, 'key')) }));
        if (!got.Body || got.ContentLength === undefined) return null;
        return { body: got.Body.transformToWebStream(), bytes: got.ContentLength };
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
    async removePrefix(prefix) {
      const Prefix = full(checkedKey(prefix, 'prefix'));
      await abortUploads(Prefix);
      let removed = 0;
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
        const Objects = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
        if (Objects.length) {
          const res = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }));
          if (res.Errors?.length) throw new Error(`S3: ${res.Errors.length} of ${Objects.length} objects below ${Prefix} not removed (${res.Errors[0]!.Code})`);
          removed += Objects.length;
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return removed;
    },
  };
}
