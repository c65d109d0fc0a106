/**
 * A minimal `kustomize build` for the features k8s/ uses, so that the manifests can be rendered
 * and validated in a test without a kustomize binary: `resources` (files and directories),
 * `namespace`, `images` (newName/newTag) and `patches` given as inline JSON 6902 operations with a
 * kind/name target. Anything else in a kustomization.yaml is refused rather than ignored.
 * test/integration/deploy-manifests.test.ts compares its output with `kubectl kustomize` where
 * kubectl is installed.
 */
import fs from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";

export interface Manifest {
	apiVersion: string;
	kind: string;
	metadata: { name: string; namespace?: string; [key: string]: unknown };
	[key: string]: unknown;
}

interface Kustomization {
	resources?: string[];
	namespace?: string;
	images?: { name: string; newName?: string; newTag?: string }[];
	patches?: { target: { kind?: string; name?: string }; patch: string }[];
}

const SUPPORTED = new Set(["apiVersion", "kind", "resources", "namespace", "images", "patches"]);

type PatchOperation = { op: "add" | "replace" | "remove"; path: string; value?: unknown };

/** Every document of a YAML file; a syntax error anywhere throws. */
export function readYamlDocuments(file: string): unknown[] {
	const docs = parseAllDocuments(fs.readFileSync(file, "utf8"));
	for (const doc of docs) {
		if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map(e => e.message).join("; ")}`);
	}
	return docs.map(doc => doc.toJS() as unknown).filter(doc => doc != null);
}

export const manifestId = (m: Manifest) => `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ""}/${m.metadata.name}`;

function applyJsonPatch(target: Manifest, operations: PatchOperation[]): void {
	for (const { op, path: pointer, value } of operations) {
		const keys = pointer
			.split("/")
			.slice(1)
			.map(k => k.replace(/~1/g, "/").replace(/~0/g, "~"));
		const last = keys.pop();
		if (last === undefined) throw new Error(`patch path "${pointer}" must name a member`);
		const parent = keys.reduce<Record<string, unknown>>((node, key) => {
			if (node[key] === undefined) throw new Error(`patch path "${pointer}" does not exist in ${manifestId(target)}`);
			return node[key] as Record<string, unknown>;
		}, target);
		if (Array.isArray(parent)) {
			const index = last === "-" ? parent.length : Number(last);
			parent.splice(index, op === "add" ? 0 : 1, ...(op === "remove" ? [] : [structuredClone(value)]));
		} else if (op === "add") {
			parent[last] = structuredClone(value);
		} else {
			if (!(last in parent)) throw new Error(`patch path "${pointer}" does not exist in ${manifestId(target)}`);
			if (op === "remove") delete parent[last];
			else parent[last] = structuredClone(value);
		}
	}
}

function setImages(m: Manifest, images: NonNullable<Kustomization["images"]>): void {
	const podSpec = (m.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec;
	const containers = [podSpec?.containers, podSpec?.initContainers].flat().filter(Boolean) as { image: string }[];
	for (const container of containers) {
		const [, name, tag] = /^(.+?)(?::([^:/]+))?$/.exec(container.image)!;
		const rule = images.find(i => i.name === name);
		const newTag = rule?.newTag ?? tag;
		if (rule) container.image = newTag ? `${rule.newName ?? name}:${newTag}` : (rule.newName ?? name);
	}
}

/** Renders the kustomization in `dir`, as `kustomize build dir` would. */
export function build(dir: string): Manifest[] {
	const [k] = readYamlDocuments(path.join(dir, "kustomization.yaml")) as Kustomization[];
	const unsupported = Object.keys(k).filter(key => !SUPPORTED.has(key));
	if (unsupported.length) throw new Error(`${dir}: unsupported kustomization fields ${unsupported.join(", ")}`);

	const objects: Manifest[] = [];
	for (const resource of k.resources ?? []) {
		const file = path.resolve(dir, resource);
		objects.push(...(fs.statSync(file).isDirectory() ? build(file) : (readYamlDocuments(file) as Manifest[])));
	}
	for (const { target, patch } of k.patches ?? []) {
		const operations = parse(patch) as unknown;
		if (!Array.isArray(operations)) throw new Error(`${dir}: only JSON 6902 patches (a list of operations) are supported`);
		const matched = objects.filter(o => (!target.kind || o.kind === target.kind) && (!target.name || o.metadata.name === target.name));
		if (!matched.length) throw new Error(`${dir}: patch target ${JSON.stringify(target)} matches nothing`);
		for (const m of matched) applyJsonPatch(m, operations as PatchOperation[]);
	}
	for (const m of objects) {
		if (k.namespace) m.metadata.namespace = k.namespace;
		if (k.images) setImages(m, k.images);
	}

	const seen = new Set<string>();
	for (const m of objects) {
		if (seen.has(manifestId(m))) throw new Error(`${dir}: ${manifestId(m)} is defined twice`);
		seen.add(manifestId(m));
	}
	return objects;
}
