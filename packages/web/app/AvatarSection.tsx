/**
 * The user's picture: upload a new one (preview, then the browser sends it straight to S3 with the
 * form the API signs, with progress), wait while the service turns it into a 256×256 WebP, or remove it.
 */
import { useEffect, useState } from "react";
import { api, describeError, type ErrorInfo, type User } from "./api.ts";
import { can, type Me } from "./permissions.ts";
import { Empty, ErrorText } from "./ui.tsx";

const types = ["image/png", "image/jpeg", "image/webp"] as const;
type AvatarType = (typeof types)[number];
const maxBytes = 5 * 1024 * 1024;
/** The contract: the new picture shows within 10 s of the upload; wait a little longer before giving up. */
const processingTimeoutMs = 15_000;

const problem = (message: string): ErrorInfo => ({ code: "", message, fields: {} });

/** POSTs the form (every field, then `file`) with upload progress; S3's XML error becomes a message. */
function sendForm(form: { url: string; fields: Record<string, string> }, file: File, onProgress: (fraction: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
    body.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.url);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      const message = /<Message>([^<]*)<\/Message>/.exec(xhr.responseText)?.[1];
      reject(problem(`The upload was refused (${xhr.status})${message ? `: ${message}` : ""}.`));
    };
    xhr.onerror = () => reject(problem("The upload did not reach the storage service."));
    xhr.send(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function AvatarSection({ user, me, onChanged }: { user: User; me: Me; onChanged: (user: User) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [phase, setPhase] = useState<"idle" | "uploading" | "processing" | "removing">("idle");
  const [error, setError] = useState<ErrorInfo | null>(null);
  const editable = can.edit(me, user);

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  function choose(chosen: File | undefined) {
    setError(null);
    setFile(null);
    if (!chosen) return;
    if (!types.includes(chosen.type as AvatarType)) return setError(problem("Choose a PNG, JPEG or WebP picture."));
    if (chosen.size > maxBytes) return setError(problem("The picture is larger than 5 MiB."));
    setFile(chosen);
  }

  async function upload() {
    if (!file) return;
    setError(null);
    setPhase("uploading");
    setProgress(0);
    try {
      const form = await api.users.avatarUpload.mutate({ userId: user.userId, contentType: file.type as AvatarType, size: file.size });
      await sendForm(form, file, setProgress);
      setPhase("processing");
      const deadline = Date.now() + processingTimeoutMs;
      for (;;) {
        const latest = await api.users.get.query({ userId: user.userId });
        if (latest.avatarUrl && latest.avatarUrl !== user.avatarUrl) {
          setFile(null);
          onChanged(latest);
          break;
        }
        if (Date.now() > deadline) throw problem("The picture was uploaded but not accepted: is it really a PNG, JPEG or WebP image?");
        await sleep(500);
      }
    } catch (caught) {
      setError("code" in (caught as object) && "fields" in (caught as object) ? (caught as ErrorInfo) : describeError(caught));
    } finally {
      setPhase("idle");
      setProgress(null);
    }
  }

  async function remove() {
    setError(null);
    setPhase("removing");
    try {
      onChanged(await api.users.removeAvatar.mutate({ userId: user.userId, expectedVersion: user.version }));
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setPhase("idle");
    }
  }

  const busy = phase !== "idle";
  return (
    <section className="card" aria-labelledby="avatar-heading">
      <h2 id="avatar-heading">Picture</h2>
      {user.avatarUrl ? (
        <img className="avatar" src={user.avatarUrl} alt={`${user.firstName} ${user.lastName}`} width={128} height={128} data-testid="avatar" />
      ) : (
        <Empty>No picture.</Empty>
      )}
      {editable && (
        <>
          <label>
            New picture (PNG, JPEG or WebP, at most 5 MiB)
            <input
              type="file"
              accept={types.join(",")}
              disabled={busy}
              data-testid="avatar-file"
              onChange={(event) => choose(event.currentTarget.files?.[0])}
            />
          </label>
          {preview && <img className="avatar preview" src={preview} alt="Preview of the new picture" width={128} height={128} data-testid="avatar-preview" />}
          {progress !== null && phase === "uploading" && (
            <progress max={1} value={progress} aria-label="Upload progress" data-testid="avatar-progress" />
          )}
          {phase === "processing" && (
            <p role="status" aria-live="polite">
              Uploaded; preparing the picture…
            </p>
          )}
          <div className="actions">
            <button type="button" disabled={!file || busy} onClick={() => void upload()}>
              Upload picture
            </button>
            {user.avatarUrl && (
              <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
                Remove picture
              </button>
            )}
          </div>
        </>
      )}
      <ErrorText error={error} />
    </section>
  );
}
